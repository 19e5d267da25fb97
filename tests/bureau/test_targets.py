"""The plan's targets: platform figures and entered figures, each with its source, never mixed."""

from __future__ import annotations

from datetime import date

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditRecord
from tests.bureau.conftest import make_course, make_event
from tests.support.clock import FakeClock, local
from tests.support.factories import auth, make_staff


def _by_code(body: dict[str, object]) -> dict[str, dict[str, object]]:
    return {t["code"]: t for t in body["items"]}  # type: ignore[attr-defined,index]


async def test_targets_carry_their_source_and_year_figures(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    admin = auth(app, await make_staff(session))
    # Held in 2025 (Beijing time): 1 Jan 00:30 local is still 2024 in UTC.
    await make_event(session, local(2025, 1, 1, 0, 30))
    await make_event(
        session,
        local(2025, 3, 2, 9, 0),
        kind="livestream",
        online=True,
        address=None,
        platform="douyin",
        host="主持人",
    )
    await make_event(session, local(2025, 6, 1, 9, 0), status="cancelled")  # not held
    await make_event(session, local(2025, 6, 20, 9, 0))  # not yet held
    await make_event(session, local(2024, 12, 31, 23, 30))  # last year
    await make_course(session, date(2025, 4, 1))
    await make_course(session, date(2025, 5, 1), groups=("graduate",))
    await make_course(session, date(2025, 5, 2), groups=("general",))  # not youth
    await make_course(session, date(2025, 7, 1))  # not started yet

    for month, value in [("2025-01", 500), ("2025-02", 420)]:
        put = await client.put(
            f"/api/v1/admin/targets/new_urban_employment/entries/{month}",
            json={"value": value, "note": "统计局月报"},
            headers=admin,
        )
        assert put.status_code == 200, put.text
    corrected = await client.put(
        "/api/v1/admin/targets/new_urban_employment/entries/2025-02",
        json={"value": 480},
        headers=admin,
    )
    assert corrected.json()["value"] == 480

    response = await client.get("/api/v1/admin/targets", params={"year": 2025}, headers=admin)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["through_month"] == "2025-06"
    targets = _by_code(body)
    assert list(targets) == [
        "new_urban_employment",
        "recruitment_events",
        "assisted_employment_rate",
        "youth_job_training",
    ]
    employment = targets["new_urban_employment"]
    assert employment["source"] == "entered"
    assert employment["value"] == 980
    assert employment["threshold"] == 6500
    assert employment["months"] == [
        {"month": "2025-01", "value": 500},
        {"month": "2025-02", "value": 480},
    ]
    assert employment["references"] == [
        {"key": "hires", "label": "平台内录用人数", "value": 0, "source": "platform"}
    ]
    events = targets["recruitment_events"]
    assert (events["source"], events["value"], events["clause"]) == ("platform", 2, "6")
    assert events["met"] is False
    youth = targets["youth_job_training"]
    assert (youth["source"], youth["value"], youth["met"]) == ("platform", 2, True)
    rate = targets["assisted_employment_rate"]
    # The people ledger is wired; with no ledger graduates this year the rate has no value.
    assert (rate["available"], rate["value"], rate["met"]) == (True, None, None)
    assert rate["note"]

    last_year = (
        await client.get("/api/v1/admin/targets", params={"year": 2024}, headers=admin)
    ).json()
    assert last_year["through_month"] == "2024-12"
    assert _by_code(last_year)["recruitment_events"]["value"] == 1  # 31 Dec 23:30 Beijing time
    assert _by_code(last_year)["new_urban_employment"]["value"] is None

    audits = (
        await session.scalars(
            select(AuditRecord).where(AuditRecord.action == "bureau.target_entered")
        )
    ).all()
    assert [a.details["before"] for a in audits] == [
        None,
        None,
        {"value": 420, "note": "统计局月报"},
    ]


async def test_entering_is_refused_for_computed_targets_and_future_months(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    admin = auth(app, await make_staff(session))
    computed = await client.put(
        "/api/v1/admin/targets/recruitment_events/entries/2025-05", json={"value": 3}, headers=admin
    )
    assert (computed.status_code, computed.json()["code"]) == (409, "bureau.target_computed")
    future = await client.put(
        "/api/v1/admin/targets/new_urban_employment/entries/2025-07",
        json={"value": 3},
        headers=admin,
    )
    assert (future.status_code, future.json()["code"]) == (422, "bureau.month_in_future")
    unknown = await client.put(
        "/api/v1/admin/targets/nothing/entries/2025-05", json={"value": 3}, headers=admin
    )
    assert unknown.status_code == 404
    bad_month = await client.put(
        "/api/v1/admin/targets/new_urban_employment/entries/2025-13",
        json={"value": 3},
        headers=admin,
    )
    assert bad_month.status_code == 422
    reviewer = auth(app, await make_staff(session, roles=("reviewer",)))
    refused = await client.put(
        "/api/v1/admin/targets/new_urban_employment/entries/2025-05",
        json={"value": 3},
        headers=reviewer,
    )
    assert refused.status_code == 403
    # Reading is open to any staff member, never to anonymous callers.
    assert (await client.get("/api/v1/admin/targets", headers=reviewer)).status_code == 200
    assert (await client.get("/api/v1/admin/targets")).status_code == 401
