"""More console pages over HTTP (in-process, rolled back): gig moderation in 岗位审核 and a live
stream's featured jobs — each through the same service as the API."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications.models import JobApplication
from app.audit.models import AuditRecord
from app.core.clock import system_clock
from app.gigs.models import Gig
from tests.applications.helpers import make_job
from tests.console.test_pages import _flash, _signed_in
from tests.employers.factories import make_employer, post_job
from tests.events.conftest import make_event
from tests.gigs.helpers import make_poster, post_gig
from tests.subsidies.helpers import id_number
from tests.support.clock import installed_clock
from tests.support.factories import auth, make_user


async def test_a_reviewer_sees_held_gigs_with_findings_and_decides_them(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    poster = await make_poster(session, app)
    text = "物流园装卸，日结。上岗前需交押金500元。"
    held = await post_gig(client, app, poster, title="控制台零工审核一", description=text)
    other = await post_gig(client, app, poster, title="控制台零工审核二", description=text)
    assert held["status"] == other["status"] == "pending_review"
    csrf = await _signed_in(client, session, "reviewer")
    queue = await client.get("/console/postings/gigs")
    assert queue.status_code == 200
    assert "控制台零工审核一" in queue.text and "需人工判断" in queue.text
    row = await session.get(Gig, uuid.UUID(held["id"]))
    assert row is not None
    excerpts = [f["excerpt"] for f in row.moderation["findings"] if f["excerpt"]]
    assert excerpts and f"<mark>{excerpts[0]}</mark>" in queue.text
    today = await client.get("/console")
    assert "零工·待审核" in today.text and 'href="/console/postings/gigs"' in today.text
    jobs_tab = await client.get("/console/postings")
    assert 'href="/console/postings/gigs"' in jobs_tab.text

    path = f"/console/postings/gigs/{held['id']}/review"
    no_reason = await client.post(path, data={"csrf_token": csrf, "decision": "reject"})
    assert _flash(no_reason)["kind"] == "error"
    no_token = await client.post(path, data={"decision": "approve"})
    assert no_token.status_code == 403
    rejected = await client.post(
        path, data={"csrf_token": csrf, "decision": "reject", "reason": "押金要求违法，请删除"}
    )
    flash = _flash(rejected)
    assert rejected.status_code == 303 and flash["kind"] == "ok" and "驳回" in flash["text"]
    assert flash["next"]
    approved = await client.post(
        f"/console/postings/gigs/{other['id']}/review",
        data={"csrf_token": csrf, "decision": "approve"},
    )
    assert "通过" in _flash(approved)["text"]
    again = await client.post(path, data={"csrf_token": csrf, "decision": "approve"})
    assert _flash(again)["kind"] == "error"  # no longer held: the service refuses

    mine = await client.get(f"/api/v1/gigs/{held['id']}", headers=auth(app, poster))
    assert mine.json()["status"] == "rejected"
    assert "审核意见：押金要求违法，请删除" in mine.json()["moderation_notes"]
    public = await client.get(f"/api/v1/gigs/{other['id']}")
    assert public.status_code == 200 and public.json()["status"] == "open"
    audited = await session.scalar(
        select(AuditRecord).where(
            AuditRecord.action == "gig.review", AuditRecord.subject_id == held["id"]
        )
    )
    assert audited is not None
    left = await client.get("/console/postings/gigs")
    assert "控制台零工审核一" not in left.text and "控制台零工审核二" not in left.text


async def test_gig_moderation_is_for_reviewers(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _signed_in(client, session, "station")
    assert (await client.get("/console/postings/gigs")).status_code == 403


async def test_station_staff_set_a_live_streams_featured_jobs(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    owner = await make_user(session, app)
    employer = await make_employer(session, owner)
    first = await post_job(client, app, owner, employer.id, title="直播推介甲岗位")
    second = await post_job(client, app, owner, employer.id, title="直播推介乙岗位")
    assert first["status"] == second["status"] == "published"
    live = await make_event(
        session, kind="livestream", title="控制台直播带岗", registration_limit=0
    )
    fair = await make_event(session, title="控制台普通招聘会")
    csrf = await _signed_in(client, session, "station")
    page = await client.get(f"/console/events/{live.id}")
    assert page.status_code == 200 and "还没有推介岗位" in page.text
    assert "直播推介岗位" not in (await client.get(f"/console/events/{fair.id}")).text

    path = f"/console/events/{live.id}/featured-jobs"
    bad = await client.post(path, data={"csrf_token": csrf, "job_ids": "not-an-id"})
    assert _flash(bad)["kind"] == "error"
    unknown = await client.post(path, data={"csrf_token": csrf, "job_ids": str(uuid.uuid4())})
    assert _flash(unknown)["kind"] == "error"
    typed = f"{second['id']}\n{first['id']}, {second['id']}"
    saved = await client.post(path, data={"csrf_token": csrf, "job_ids": typed})
    flash = _flash(saved)
    assert saved.status_code == 303 and flash["kind"] == "ok" and "2 个" in flash["text"]
    read = (await client.get(f"/api/v1/events/{live.id}")).json()
    assert [j["title"] for j in read["featured_jobs"]] == ["直播推介乙岗位", "直播推介甲岗位"]
    shown = (await client.get(f"/console/events/{live.id}")).text
    assert shown.index("直播推介乙岗位") < shown.index("直播推介甲岗位")
    not_live = await client.post(
        f"/console/events/{fair.id}/featured-jobs",
        data={"csrf_token": csrf, "job_ids": first["id"]},
    )
    assert _flash(not_live)["kind"] == "error"
    cleared = await client.post(path, data={"csrf_token": csrf, "job_ids": ""})
    assert "清空" in _flash(cleared)["text"]
    assert (await client.get(f"/api/v1/events/{live.id}")).json()["featured_jobs"] == []


async def test_featured_jobs_are_for_station_staff(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    live = await make_event(session, kind="livestream", registration_limit=0)
    csrf = await _signed_in(client, session, "reviewer")
    refused = await client.post(
        f"/console/events/{live.id}/featured-jobs", data={"csrf_token": csrf, "job_ids": ""}
    )
    assert refused.status_code == 403


async def test_a_reviewer_sees_a_units_interns_for_the_internship_subsidy(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    owner = await make_user(session, app)
    employer = await make_employer(session, owner, name="控制台见习单位")
    job = await make_job(session, employer, title="行政见习生")
    job.job_type, job.internship_months, job.internship_allowance_fen = "internship", 6, 2270_00
    intern = await make_user(session, app, real_name=("孙一", id_number(21, "20030303")))
    application = JobApplication(
        job_id=job.id,
        employer_id=employer.id,
        user_id=intern.id,
        status="offered",
        resume_snapshot={},
    )
    session.add(application)
    await session.flush()
    start = (system_clock() - timedelta(days=240)).date()
    with installed_clock(app, system_clock() - timedelta(days=250)):
        enrolled = await client.post(
            f"/api/v1/employers/{employer.id}/internships",
            json={"application_id": str(application.id), "start_date": start.isoformat()},
            headers=auth(app, owner),
        )
        assert enrolled.status_code == 201, enrolled.text
    await _signed_in(client, session, "reviewer")
    page = await client.get(f"/console/employers/{employer.id}/internships")
    assert page.status_code == 200, page.text
    assert "控制台见习单位" in page.text
    assert f"<td>{start.isoformat()}</td>" in page.text
    assert intern.id_number_hash not in page.text  # no person key on the page
    missing = await client.get(f"/console/employers/{job.id}/internships")
    assert missing.status_code == 404
