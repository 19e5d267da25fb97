"""The console's reviewer, station and admin pages over HTTP (in-process, rolled back): each
action goes through the domain's service and says what it did and what comes next."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditRecord
from app.identity.models import StaffAccount
from tests.employers.factories import make_employer, post_job
from tests.support.factories import auth, make_staff, make_user

PASSWORD = "correct horse battery staple"


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


def _flash(response: httpx.Response) -> dict[str, Any]:
    """The one-time message a POST leaves for the page it redirects to."""
    cookie = response.cookies.get("ds_console_flash")
    assert cookie, response.text
    return dict(json.loads(base64.urlsafe_b64decode(cookie + "=" * (-len(cookie) % 4))))


async def _signed_in(client: httpx.AsyncClient, session: AsyncSession, *roles: str) -> str:
    staff = await make_staff(session, roles=roles)
    page = await client.get("/console/login")
    body = {"csrf_token": _csrf(page.text), "username": staff.username, "password": PASSWORD}
    assert (await client.post("/console/login", data=body)).status_code == 303
    return _csrf((await client.get("/console")).text)


async def test_a_reviewer_verifies_an_employer(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    owner = await make_user(session, app)
    employer = await make_employer(session, owner, status="pending", name="控制台认证测试有限公司")
    csrf = await _signed_in(client, session, "reviewer")
    queue = await client.get("/console/employers")
    assert "控制台认证测试有限公司" in queue.text
    refused = await client.post(
        f"/console/employers/{employer.id}/verification",
        data={"csrf_token": csrf, "decision": "reject"},
    )
    assert _flash(refused)["kind"] == "error"  # a rejection needs a reason: nothing changed
    done = await client.post(
        f"/console/employers/{employer.id}/verification",
        data={"csrf_token": csrf, "decision": "approve"},
    )
    assert done.status_code == 303
    flash = _flash(done)
    assert flash["kind"] == "ok" and "已认证通过" in flash["text"] and flash["next"]
    await session.refresh(employer)
    assert employer.status == "verified"


async def test_a_complaint_moves_on_and_its_contact_is_not_shown_by_default(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    owner = await make_user(session, app)
    employer = await make_employer(session, owner, name="控制台投诉测试有限公司")
    person = await make_user(session, app, phone="13600000009")
    filed = await client.post(
        "/api/v1/complaints",
        json={
            "kind": "discrimination",
            "subject_kind": "employer",
            "subject_id": str(employer.id),
            "description": "面试时说只要男性，不符合招聘信息。",
        },
        headers=auth(app, person),
    )
    assert filed.status_code == 201, filed.text
    complaint_id = filed.json()["id"]
    csrf = await _signed_in(client, session, "reviewer")
    page = await client.get(f"/console/complaints/{complaint_id}")
    assert page.status_code == 200 and "只要男性" in page.text
    assert "13600000009" not in page.text
    path = f"/console/complaints/{complaint_id}/transition"
    wrong = await client.post(path, data={"csrf_token": csrf, "status": "resolved"})
    assert _flash(wrong)["kind"] == "error"  # received → resolved is not a move
    handling = await client.post(path, data={"csrf_token": csrf, "status": "handling"})
    assert "处理中" in _flash(handling)["text"]
    closed = await client.post(
        path, data={"csrf_token": csrf, "status": "resolved", "reply": "已约谈该单位并责令改正。"}
    )
    assert "已办结" in _flash(closed)["text"]
    mine = await client.get("/api/v1/me/complaints", headers=auth(app, person))
    assert mine.json()["items"][0]["reply"] == "已约谈该单位并责令改正。"


async def test_a_reviewer_rejects_a_held_posting_with_the_finding_highlighted(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    owner = await make_user(session, app)
    employer = await make_employer(session, owner)
    job = await post_job(
        client,
        app,
        owner,
        employer.id,
        description="负责片区快递派送，按件计酬，多劳多得。入职需交押金500元。",
    )
    assert job["status"] == "pending_review"
    excerpt = job["moderation"]["findings"][0]["excerpt"]
    csrf = await _signed_in(client, session, "reviewer")
    queue = await client.get("/console/postings")
    assert f"<mark>{excerpt}</mark>" in queue.text
    done = await client.post(
        f"/console/postings/{job['id']}/moderation",
        data={"csrf_token": csrf, "decision": "reject", "reason": "收取押金"},
    )
    assert "已驳回" in _flash(done)["text"]
    assert job["id"] not in (await client.get("/console/postings")).text


async def test_an_admin_creates_staff_and_reads_the_audit_log(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    csrf = await _signed_in(client, session, "admin")
    created = await client.post(
        "/console/staff",
        data={
            "csrf_token": csrf,
            "username": "clerk.new",
            "display_name": "新服务站员",
            "password": "a-long-initial-password",
            "role_station": "on",
        },
    )
    assert "已创建" in _flash(created)["text"]
    staff = await session.scalar(select(StaffAccount).where(StaffAccount.username == "clerk.new"))
    assert staff is not None and staff.roles == ["station"]
    log = await client.get("/console/audit", params={"action": "staff.created"})
    assert log.status_code == 200 and "staff.created" in log.text
    audit = await session.scalar(select(AuditRecord).where(AuditRecord.action == "staff.created"))
    assert audit is not None


async def test_station_pages_save_an_exception_and_refuse_slots_in_the_past(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    from tests.service_desk.conftest import make_station

    station = await make_station(session)
    csrf = await _signed_in(client, session, "station")
    day = await client.get(f"/console/stations/{station.id}")
    assert day.status_code == 200 and station.name in day.text
    saved = await client.post(
        f"/console/stations/{station.id}/exceptions",
        data={"csrf_token": csrf, "day": "2099-10-01", "closed": "yes", "reason": "国庆节闭站"},
    )
    assert "已保存" in _flash(saved)["text"] and _flash(saved)["next"]
    assert "国庆节闭站" in (await client.get(f"/console/stations/{station.id}")).text
    past = await client.post(
        f"/console/stations/{station.id}/slots",
        data={
            "csrf_token": csrf,
            "service_item_code": "x",
            "day": "2000-01-03",
            "opens": "09:00",
            "closes": "10:00",
            "minutes": "30",
        },
    )
    assert _flash(past)["kind"] == "error"


async def test_a_clerk_records_training_attendance(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    from datetime import date

    from app.training.models import TrainingCourse
    from tests.support.clock import installed_clock, local

    course = TrainingCourse(
        title="电工（初级）控制台测试班",
        provider="示例职业培训学校",
        occupation_code="electrician",
        hours=80,
        seats=5,
        starts_on=date(2026, 12, 7),
        ends_on=date(2026, 12, 18),
        address="东胜区示例路 8 号",
        subsidised=False,
    )
    session.add(course)
    await session.flush()
    trainee = await make_user(session, app, nickname="学员甲")
    with installed_clock(app, local(2026, 11, 28, 10, 0)) as clock:
        enrolled = await client.post(
            f"/api/v1/training-courses/{course.id}/enrolments", headers=auth(app, trainee)
        )
        assert enrolled.status_code == 201, enrolled.text
        enrolment_id = enrolled.json()["id"]
        clock.set(local(2026, 12, 8, 18, 0))
        csrf = await _signed_in(client, session, "station")
        roll = await client.get(f"/console/training/{course.id}")
        assert "学员甲" in roll.text
        url = f"/console/training/enrolments/{enrolment_id}/attendance"
        form = {"csrf_token": csrf, "course_id": str(course.id), "day": "2026-12-07"}
        flash = _flash(await client.post(url, data=form | {"hours": "6"}))
        assert flash["kind"] == "ok" and "累计 6 课时" in flash["text"], flash
        assert _flash(await client.post(url, data=form | {"hours": "40"}))["kind"] == "error"
