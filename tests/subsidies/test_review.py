"""The review workflow: statuses, who may do what, overrides, history and audit."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditRecord
from app.identity.models import User
from app.subsidies.models import SubsidyAward
from tests.employers.factories import add_recruiter
from tests.subsidies.helpers import (
    GRADUATE_FACTS,
    act,
    acted,
    agency,
    agency_body,
    graduate_body,
    person,
    referral_list,
    reviewer,
    submitted,
)
from tests.support.factories import auth, make_staff

SME_LIVING = 300_000


async def _upload(client: httpx.AsyncClient, app: FastAPI, user: User) -> str:
    response = await client.post(
        "/api/v1/files",
        files={"file": ("证明.pdf", b"%PDF-1.4 sample material", "application/pdf")},
        data={"purpose": "subsidy_material"},
        headers=auth(app, user),
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_returned_then_resubmitted_then_approved_then_paid(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await person(session, app)
    staff = await reviewer(session)
    first_file = await _upload(client, app, user)
    created = await submitted(client, app, user, graduate_body(material_file_ids=[first_file]))
    app_id = created["id"]
    assert [m["round"] for m in created["materials"]] == [1]
    material = created["materials"][0]
    assert material["thumbnail_url"] is None  # a PDF
    signed = await client.get(material["url"])  # a signed link: no Authorization
    assert signed.status_code == 200 and signed.content == b"%PDF-1.4 sample material"

    await acted(client, app, staff, app_id, "start_review")
    returned = await acted(client, app, staff, app_id, "return", note="请补充社保缴费明细")
    assert (returned["status"], returned["return_note"]) == ("returned", "请补充社保缴费明细")

    # the applicant answers with another material and corrected facts
    second_file = await _upload(client, app, user)
    facts = {"person": {**GRADUATE_FACTS["person"], "registered_unemployed": False}}
    answer = await client.post(
        f"/api/v1/subsidy-applications/{app_id}/resubmit",
        json={"material_file_ids": [second_file], "facts": facts, "note": "已补充"},
        headers=auth(app, user),
    )
    assert answer.status_code == 200, answer.text
    resubmitted = answer.json()
    assert resubmitted["status"] == "submitted"
    assert sorted(m["round"] for m in resubmitted["materials"]) == [1, 2]
    assert resubmitted["facts"]["person"]["registered_unemployed"] is False
    assert resubmitted["expected_amount_fen"] == SME_LIVING

    await acted(client, app, staff, app_id, "start_review")
    approved = await acted(client, app, staff, app_id, "approve")
    assert (approved["status"], approved["approved_amount_fen"]) == ("approved", SME_LIVING)
    assert approved["override_reason"] is None
    paid = await acted(
        client, app, staff, app_id, "mark_paid", paid_on="2025-09-10", payment_reference="ZF-001"
    )
    assert (paid["status"], paid["paid_on"], paid["payment_reference"]) == (
        "paid",
        "2025-09-10",
        "ZF-001",
    )
    assert [h["to_status"] for h in paid["history"]] == [
        "submitted",
        "under_review",
        "returned",
        "submitted",
        "under_review",
        "approved",
        "paid",
    ]
    audited = select(AuditRecord.action).where(AuditRecord.subject_id == app_id)
    actions = (await session.execute(audited)).scalars().all()
    assert Counter(actions) == Counter(
        [
            "subsidy.submit",
            "subsidy.start_review",
            "subsidy.return",
            "subsidy.resubmit",
            "subsidy.start_review",
            "subsidy.approve",
            "subsidy.mark_paid",
        ]
    )
    # the applicant sees the payment
    mine = await client.get(f"/api/v1/subsidy-applications/{app_id}", headers=auth(app, user))
    assert mine.json()["status"] == "paid"


async def test_moves_out_of_order_are_refused(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await person(session, app)
    staff = await reviewer(session)
    app_id = (await submitted(client, app, user, graduate_body()))["id"]
    for action, fields in (
        ("approve", {}),
        ("mark_paid", {"paid_on": "2025-09-10", "payment_reference": "X"}),
        ("return", {"note": "补充"}),
    ):
        response = await act(client, app, staff, app_id, action, **fields)
        assert (response.status_code, response.json()["code"]) == (
            409,
            "subsidy.transition_invalid",
        ), action
    resubmit = await client.post(
        f"/api/v1/subsidy-applications/{app_id}/resubmit", json={}, headers=auth(app, user)
    )
    assert resubmit.json()["code"] == "subsidy.transition_invalid"
    missing_note = await act(client, app, staff, app_id, "return")
    assert missing_note.status_code == 422
    await acted(client, app, staff, app_id, "start_review")
    rejected = await acted(client, app, staff, app_id, "reject", note="材料不实")
    assert (rejected["status"], rejected["rejection_reason"]) == ("rejected", "材料不实")
    again = await act(client, app, staff, app_id, "approve")
    assert again.status_code == 409


async def test_an_amount_other_than_the_engines_needs_a_reason(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await person(session, app)
    staff = await reviewer(session)
    app_id = (await submitted(client, app, user, graduate_body()))["id"]
    await acted(client, app, staff, app_id, "start_review")
    response = await act(client, app, staff, app_id, "approve", amount_fen=350_000)
    assert (response.status_code, response.json()["code"]) == (
        422,
        "subsidy.override_reason_required",
    )
    assert response.json()["details"] == {"engine_amount_fen": SME_LIVING, "amount_fen": 350_000}
    approved = await acted(
        client, app, staff, app_id, "approve", amount_fen=350_000, override_reason="经复核调整"
    )
    assert approved["approved_amount_fen"] == 350_000
    assert approved["engine_amount_at_approval_fen"] == SME_LIVING
    awards = (
        await session.execute(
            select(SubsidyAward.amount_fen, SubsidyAward.quantity)
            .where(SubsidyAward.application_id == approved["id"])
            .order_by(SubsidyAward.amount_fen)
        )
    ).all()
    assert [tuple(a) for a in awards] == [(50_000, 0), (SME_LIVING, 1)]


async def test_a_reviewer_cannot_decide_their_own_application(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await person(session, app)
    own_reviewer = await reviewer(session, user=user)
    app_id = (await submitted(client, app, user, graduate_body()))["id"]
    for action in ("start_review", "approve"):
        response = await act(client, app, own_reviewer, app_id, action)
        assert (response.status_code, response.json()["code"]) == (403, "subsidy.own_application")
    # nor one of a unit they are a member of
    owner = await person(session, app, seq=60, birth="19800101")
    member = await person(session, app, seq=61, birth="19800101")
    unit = await agency(session, app, owner)
    await add_recruiter(session, unit, member)
    member_reviewer = await reviewer(session, user=member)
    unit_app = (await submitted(client, app, owner, agency_body(unit, referral_list(30))))["id"]
    await acted(client, app, await reviewer(session), unit_app, "start_review")
    response = await act(client, app, member_reviewer, unit_app, "approve")
    assert (response.status_code, response.json()["code"]) == (403, "subsidy.own_application")
    # another reviewer may
    approved = await acted(client, app, await reviewer(session), unit_app, "approve")
    assert approved["approved_amount_fen"] == 30 * 500_00


async def test_a_foreign_user_cannot_read_change_or_review(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await person(session, app)
    stranger = await person(session, app, seq=2)
    app_id = (await submitted(client, app, user, graduate_body()))["id"]
    read = await client.get(f"/api/v1/subsidy-applications/{app_id}", headers=auth(app, stranger))
    assert (read.status_code, read.json()["code"]) == (404, "subsidy.not_found")
    change = await client.post(
        f"/api/v1/subsidy-applications/{app_id}/resubmit", json={}, headers=auth(app, stranger)
    )
    assert change.status_code == 404
    listed = await client.get("/api/v1/me/subsidy-applications", headers=auth(app, stranger))
    assert listed.json()["items"] == []
    review = await client.post(
        f"/api/v1/admin/subsidy-applications/{app_id}/review",
        json={"action": "start_review"},
        headers=auth(app, stranger),
    )
    assert (review.status_code, review.json()["code"]) == (403, "auth.staff_only")
    station = await make_staff(session, roles=("station",))
    by_station = await act(client, app, station, app_id, "start_review")
    assert (by_station.status_code, by_station.json()["code"]) == (403, "auth.role_missing")
    queue = await client.get("/api/v1/admin/subsidy-applications", headers=auth(app, stranger))
    assert queue.status_code == 403


async def test_unit_members_share_their_units_applications_and_materials(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    owner = await person(session, app, seq=70, birth="19800101")
    colleague = await person(session, app, seq=71, birth="19800101")
    outsider = await person(session, app, seq=72, birth="19800101")
    unit = await agency(session, app, owner)
    await add_recruiter(session, unit, colleague)
    file_id = await _upload(client, app, owner)
    body = agency_body(unit, referral_list(30), material_file_ids=[file_id])
    app_id = (await submitted(client, app, owner, body))["id"]

    listed = await client.get("/api/v1/me/subsidy-applications", headers=auth(app, colleague))
    (item,) = listed.json()["items"]
    assert (item["id"], item["applicant"]["employer_name"]) == (app_id, unit.name)
    url = f"/api/v1/subsidy-applications/{app_id}/files/{file_id}"
    shared = await client.get(url, headers=auth(app, colleague))
    assert shared.status_code == 200
    assert shared.content == b"%PDF-1.4 sample material"
    assert (await client.get(url, headers=auth(app, outsider))).status_code == 404
    # staff read materials through the files endpoint
    staff = await reviewer(session)
    staff_read = await client.get(f"/api/v1/files/{file_id}", headers=auth(app, staff))
    assert staff_read.status_code == 200


async def _ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return [item["id"] for item in data["items"]]


async def test_the_staff_queue_filters_and_pages(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    staff = await reviewer(session)
    created = []
    for seq in range(3):
        user = await person(session, app, seq=80 + seq)
        created.append((await submitted(client, app, user, graduate_body()))["id"])
    await acted(client, app, staff, created[0], "start_review")
    headers = auth(app, staff)
    base = "/api/v1/admin/subsidy-applications"
    assert await _ids(await client.get(f"{base}?status=under_review", headers=headers)) == [
        created[0]
    ]
    page = await client.get(f"{base}?policy_code=graduate-sme-living&limit=2", headers=headers)
    first = await _ids(page)
    rest = await _ids(
        await client.get(
            f"{base}?policy_code=graduate-sme-living&limit=2&cursor={page.json()['next_cursor']}",
            headers=headers,
        )
    )
    # one transaction in tests: equal timestamps, so compare as sets (keyset still holds)
    assert len(first) == 2 and sorted(first + rest) == sorted(created)
    # submission dates are the database's own clock (Asia/Shanghai days)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    window = f"{base}?submitted_from={today}&submitted_to={today}"
    assert sorted(await _ids(await client.get(window, headers=headers))) == sorted(created)
    past = f"{base}?submitted_to=2025-01-01"
    assert await _ids(await client.get(past, headers=headers)) == []
    bad = await client.get(
        f"{base}?submitted_from=2025-02-01&submitted_to=2025-01-01", headers=headers
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "subsidy.date_range_invalid")
    detail = await client.get(f"{base}/{created[1]}", headers=headers)
    assert detail.json()["decision"]["outcomes"][0]["amount_fen"] == SME_LIVING
