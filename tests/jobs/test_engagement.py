"""Favourites, reports and the poster's mini-program code."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditRecord
from app.integrations.wechat.client import WXACODE_UNLIMITED
from app.integrations.wechat.fake import FakeWeChatState
from app.jobs.models import Job, JobWxacode
from tests.employers.factories import post_job, shanghai_today
from tests.jobs.conftest import Employers
from tests.support.factories import auth, make_staff


async def test_favourites_add_list_remove(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, session: AsyncSession
) -> None:
    first = await post_job(client, app, employers.owner_a, employers.employer_a.id)
    second = await post_job(client, app, employers.owner_b, employers.employer_b.id)
    headers = auth(app, employers.seeker)
    for job in (first, second, first):
        put = await client.put(f"/api/v1/jobs/{job['id']}/favourite", headers=headers)
        assert put.status_code == 204
    await client.post(f"/api/v1/jobs/{second['id']}/close", headers=auth(app, employers.owner_b))

    listed = (await client.get("/api/v1/me/favourites", headers=headers)).json()["items"]
    assert {(item["job_id"], item["available"]) for item in listed} == {
        (first["id"], True),
        (second["id"], False),
    }
    deleted = await client.delete(f"/api/v1/jobs/{first['id']}/favourite", headers=headers)
    assert deleted.status_code == 204
    again = await client.delete(f"/api/v1/jobs/{first['id']}/favourite", headers=headers)
    assert again.status_code == 204
    remaining = (await client.get("/api/v1/me/favourites", headers=headers)).json()["items"]
    assert [item["job_id"] for item in remaining] == [second["id"]]
    others = await client.get("/api/v1/me/favourites", headers=auth(app, employers.owner_a))
    assert others.json()["items"] == []


async def test_expired_or_unknown_jobs_cannot_be_kept(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, session: AsyncSession
) -> None:
    job = await post_job(client, app, employers.owner_a, employers.employer_a.id)
    await session.execute(
        update(Job)
        .where(Job.id == uuid.UUID(job["id"]))
        .values(valid_until=shanghai_today() - timedelta(days=1))
    )
    headers = auth(app, employers.seeker)
    expired = await client.put(f"/api/v1/jobs/{job['id']}/favourite", headers=headers)
    assert expired.status_code == 404
    unknown = await client.put(f"/api/v1/jobs/{uuid.uuid4()}/favourite", headers=headers)
    assert unknown.status_code == 404


async def test_reports_reach_staff_who_handle_them(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, session: AsyncSession
) -> None:
    job = await post_job(client, app, employers.owner_a, employers.employer_a.id)
    headers = auth(app, employers.seeker)
    url = f"/api/v1/jobs/{job['id']}/reports"
    filed = await client.post(
        url, json={"reason": "wage_arrears", "text": "去年工资未结清"}, headers=headers
    )
    assert filed.status_code == 201, filed.text
    assert filed.json()["status"] == "open"
    duplicate = await client.post(url, json={"reason": "fake_job"}, headers=headers)
    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "job_report.duplicate"

    reviewer = await make_staff(session, roles=("reviewer",))
    queue = await client.get("/api/v1/admin/job-reports", headers=auth(app, reviewer))
    item = queue.json()["items"][0]
    assert (item["job_id"], item["reason"], item["employer_name"]) == (
        job["id"],
        "wage_arrears",
        employers.employer_a.name,
    )
    decision_url = f"/api/v1/admin/job-reports/{item['id']}/decision"
    handled = await client.post(
        decision_url,
        json={
            "decision": "uphold",
            "resolution": "经核实属实，已下架并移交劳动监察",
            "close_job": True,
        },
        headers=auth(app, reviewer),
    )
    assert handled.status_code == 200, handled.text
    assert handled.json()["status"] == "upheld"
    assert (await client.get(f"/api/v1/jobs/{job['id']}")).status_code == 404  # closed
    audit = (
        await session.execute(select(AuditRecord).where(AuditRecord.subject_id == item["id"]))
    ).scalar_one()
    assert audit.details["job_closed"] is True
    twice = await client.post(
        decision_url,
        json={"decision": "dismiss", "resolution": "重复"},
        headers=auth(app, reviewer),
    )
    assert twice.status_code == 409
    # The upheld report closed the job: there is nothing left to report.
    assert (await client.post(url, json={"reason": "other"}, headers=headers)).status_code == 404


async def test_reports_need_a_visible_job(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers
) -> None:
    response = await client.post(
        f"/api/v1/jobs/{uuid.uuid4()}/reports",
        json={"reason": "fake_job"},
        headers=auth(app, employers.seeker),
    )
    assert response.status_code == 404


async def test_wxacode_is_fetched_once_then_cached(
    client: httpx.AsyncClient,
    app: FastAPI,
    employers: Employers,
    session: AsyncSession,
    fake_wechat: FakeWeChatState,
) -> None:
    job = await post_job(client, app, employers.owner_a, employers.employer_a.id)
    before = fake_wechat.calls[WXACODE_UNLIMITED]
    first = await client.get(f"/api/v1/jobs/{job['id']}/wxacode")
    assert first.status_code == 200
    assert first.headers["content-type"] == "image/png"
    second = await client.get(f"/api/v1/jobs/{job['id']}/wxacode")
    assert second.content == first.content
    assert fake_wechat.calls[WXACODE_UNLIMITED] == before + 1
    stored = (await session.execute(select(JobWxacode))).scalar_one()
    assert len(stored.scene) <= 32
    assert uuid.UUID(stored.scene) == uuid.UUID(job["id"])
    assert (await client.get(f"/api/v1/jobs/{uuid.uuid4()}/wxacode")).status_code == 404


async def test_many_reports_in_a_row_keep_working(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, session: AsyncSession
) -> None:
    """The same upsert run many times on one connection (PostgreSQL then plans it
    generically, which once broke the partial-index ON CONFLICT and gave a 500)."""
    from tests.support.factories import make_user

    job = await post_job(client, app, employers.owner_a, employers.employer_a.id)
    url = f"/api/v1/jobs/{job['id']}/reports"
    for i in range(8):
        reporter = await make_user(session, app, openid=f"o_reporter_{i}")
        response = await client.post(
            url, headers=auth(app, reporter), json={"reason": "fake_job", "text": "0" * 200}
        )
        assert response.status_code in (200, 201), response.text
