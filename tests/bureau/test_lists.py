"""岗位清单 with follow-ups, and the 政策清单 / 服务清单 exports equal to the public lists."""

from __future__ import annotations

import uuid

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications.models import JobApplication
from app.audit.models import AuditRecord
from app.bureau.exports import HEADER_ROW, policy_row, service_row
from app.jobs.models import Job
from app.policies.schemas import PolicyListItem
from app.service_desk.models import ServiceItem
from app.service_desk.schemas import ServiceItemListItem
from tests.applications.helpers import make_employer
from tests.bureau.conftest import read_workbook
from tests.bureau.market import market_job
from tests.support.clock import FakeClock, local
from tests.support.factories import auth, make_staff, make_user


async def _apply(session: AsyncSession, app: FastAPI, job: Job, count: int) -> None:
    for _ in range(count):
        user = await make_user(session, app)
        session.add(
            JobApplication(
                job_id=job.id, employer_id=job.employer_id, user_id=user.id, resume_snapshot={}
            )
        )
    await session.flush()


async def test_vacancy_list_groups_and_follow_ups(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    owner = await make_user(session, app)
    employer = await make_employer(session, owner, name="示例电力公司")
    old = await market_job(session, employer, "electrician", 3, local(2025, 4, 1, 9, 0))
    await _apply(session, app, old, 5)
    quiet = await market_job(
        session, employer, "courier", 2, local(2025, 6, 10, 9, 0), area="gongyuan"
    )
    busy = await market_job(session, employer, "courier", 1, local(2025, 6, 10, 9, 0))
    await _apply(session, app, busy, 3)
    await market_job(  # closed: not on the list
        session,
        employer,
        "electrician",
        5,
        local(2025, 3, 1, 9, 0),
        closed_at=local(2025, 5, 1, 9, 0),
    )
    staff = auth(app, await make_staff(session, roles=("station",)))

    listed = await client.get(
        "/api/v1/admin/vacancies",
        params={"unfilled_days": 30, "max_applicants": 2},
        headers=staff,
    )
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert [(i["id"], i["reasons"]) for i in body["items"]] == [
        (str(old.id), ["long_unfilled"]),
        (str(quiet.id), ["few_applicants"]),
    ]
    assert body["total"] == 2
    assert body["items"][0]["open_days"] == 75
    assert body["items"][0]["applications"] == 5
    assert body["items"][0]["employer_name"] == "示例电力公司"
    assert {g["code"]: g["unfilled"] for g in body["by_occupation"]} == {
        "electrician": 3,
        "courier": 2,
    }
    assert {g["code"]: g["postings"] for g in body["by_area"]} == {"jiaotong": 1, "gongyuan": 1}
    assert body["by_employer"] == [
        {"code": str(employer.id), "name": "示例电力公司", "postings": 2, "unfilled": 5}
    ]
    only_courier = await client.get(
        "/api/v1/admin/vacancies", params={"occupation": "courier"}, headers=staff
    )
    assert [i["id"] for i in only_courier.json()["items"]] == [str(quiet.id)]

    url = f"/api/v1/admin/vacancies/job/{old.id}/follow-ups"
    created = await client.post(
        url, json={"action": "fair", "note": "推送到6月专场"}, headers=staff
    )
    assert created.status_code == 201, created.text
    await client.post(url, json={"action": "livestream"}, headers=staff)
    history = (await client.get(url, headers=staff)).json()["items"]
    assert [f["action"] for f in history] == ["fair", "livestream"]
    again = (await client.get("/api/v1/admin/vacancies", headers=staff)).json()["items"][0]
    assert (again["follow_up_count"], again["last_follow_up_action"]) == (2, "livestream")
    missing = await client.post(
        f"/api/v1/admin/vacancies/gig/{uuid.uuid4()}/follow-ups",
        json={"action": "fair"},
        headers=staff,
    )
    assert missing.status_code == 404
    liaison = auth(app, await make_staff(session, roles=("liaison",)))
    refused = await client.post(url, json={"action": "fair"}, headers=liaison)
    assert refused.status_code == 403
    audits = await session.scalars(
        select(AuditRecord).where(AuditRecord.action == "bureau.vacancy_followed_up")
    )
    assert len(audits.all()) == 2


async def test_policy_and_service_exports_equal_the_public_lists(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    staff = auth(app, await make_staff(session, roles=("reviewer",)))
    public = (await client.get("/api/v1/policies")).json()["items"]
    exported = await client.get("/api/v1/admin/exports/policies.xlsx", headers=staff)
    assert exported.status_code == 200
    assert "2025-06-15" in exported.headers["content-disposition"]
    sheet = read_workbook(exported.content)["政策清单"]
    assert "2025-06-15" in sheet.cell(1, 1).value
    rows = [list(r) for r in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    assert len(public) > 20
    assert rows == [policy_row(PolicyListItem.model_validate(p)) for p in public]

    for order, (code, name) in enumerate(
        [
            ("unemployment-registration", "失业登记"),
            ("job-guidance", "职业指导"),
            ("hard-to-employ", "就业困难人员认定"),
        ]
    ):
        session.add(
            ServiceItem(
                code=code,
                name=name,
                category="registration",
                summary=f"{name}摘要",
                time_limit="即时办结",
                online=order == 0,
                station_kinds=["street_station"],
                sort_order=order,
            )
        )
    session.add(
        ServiceItem(
            code="retired",
            name="已停办事项",
            category="guidance",
            summary="停办",
            time_limit="即时办结",
            is_active=False,
        )
    )
    await session.flush()
    items, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/api/v1/service-items", params=params)).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    exported = await client.get("/api/v1/admin/exports/service-items.xlsx", headers=staff)
    sheet = read_workbook(exported.content)["服务清单"]
    rows = [list(r) for r in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    assert [i["code"] for i in items][:3] == [
        "unemployment-registration",
        "job-guidance",
        "hard-to-employ",
    ]
    assert rows == [service_row(ServiceItemListItem.model_validate(i)) for i in items]
