"""Events: registration confirmed, the reminder job of the evening before, cancellation fan-out,
booth decisions."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.queue import TaskRuntime
from app.events.schemas import EventUpdate
from app.identity.models import User
from tests.applications.helpers import add_member, make_employer, make_job
from tests.events.conftest import clock, make_event  # noqa: F401  (the clock fixture)
from tests.notifications.inbox import Told, told
from tests.support.clock import FakeClock, local
from tests.support.factories import auth, make_staff, make_user
from tests.support.queue import run_jobs

REMIND = "events:remind_event"
FAIR = {
    "kind": "special_fair",
    "title": "物流专场招聘会",
    "starts_at": "2026-12-05T09:00:00+08:00",
    "ends_at": "2026-12-05T12:00:00+08:00",
    "venue": "人力资源市场一楼",
    "address": "东胜区人力资源市场",
    "area_code": "jiaotong",
    "organiser": "东胜区人力资源和社会保障局",
    "target_groups": ["general"],
    "booth_limit": 30,
    "registration_limit": 500,
}


def _put_body(event: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {name: event[name] for name in EventUpdate.model_fields if name in event} | changes


async def _create(client: httpx.AsyncClient, app: FastAPI, staff: Any) -> dict[str, Any]:
    response = await client.post("/api/v1/admin/events", json=FAIR, headers=auth(app, staff))
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


async def _register(client: httpx.AsyncClient, app: FastAPI, user: User, event_id: Any) -> str:
    response = await client.post(
        f"/api/v1/events/{event_id}/registrations", headers=auth(app, user)
    )
    assert response.status_code == 201, response.text
    registration_id: str = response.json()["id"]
    return registration_id


async def _reminder_jobs(session: AsyncSession) -> list[tuple[dict[str, str], datetime]]:
    rows = await session.execute(
        text("SELECT args, scheduled_at FROM procrastinate_jobs WHERE task_name = :t ORDER BY id"),
        {"t": REMIND},
    )
    return [(row[0], row[1]) for row in rows]


async def test_registration_confirmed_and_reminded_the_evening_before(
    client: httpx.AsyncClient,
    app: FastAPI,
    session: AsyncSession,
    clock: FakeClock,  # noqa: F811
    task_runtime: TaskRuntime,
) -> None:
    staff = await make_staff(session, roles=("station",))
    event = await _create(client, app, staff)
    [(args, at)] = await _reminder_jobs(session)
    assert at == local(2026, 12, 4, 18, 0) and args["event_id"] == event["id"]
    stays, leaves = await make_user(session, app), await make_user(session, app)
    registration_id = await _register(client, app, stays, event["id"])
    leaving_id = await _register(client, app, leaves, event["id"])
    registered = {r.user_id: r for r in await told(session, "event_registered")}
    assert set(registered) == {stays.id, leaves.id}
    assert registered[stays.id] == Told(
        stays.id,
        "event_registered",
        "活动报名成功",
        "您已报名「物流专场招聘会」，时间12月5日 09:00，地点人力资源市场一楼。入场时请出示签到码。",
        f"pages/events/registration?id={registration_id}",
    )
    cancelled = await client.post(
        f"/api/v1/event-registrations/{leaving_id}/cancel", headers=auth(app, leaves)
    )
    assert cancelled.status_code == 200, cancelled.text
    runtime = dataclasses.replace(task_runtime, clock=FakeClock(local(2026, 12, 4, 18, 0)))
    assert await run_jobs(session, runtime, until=local(2026, 12, 4, 17, 0), tasks=[REMIND]) == []
    [ran] = await run_jobs(session, runtime, until=local(2026, 12, 4, 18, 0), tasks=[REMIND])
    assert ran.result == 1
    assert await told(session, "event_reminder") == [
        Told(
            stays.id,
            "event_reminder",
            "活动提醒",
            "您报名的「物流专场招聘会」将于12月5日 09:00开始，地点人力资源市场一楼，请准时参加。",
            f"pages/events/detail?id={event['id']}",
        )
    ]


async def test_a_moved_start_moves_the_reminder(
    client: httpx.AsyncClient,
    app: FastAPI,
    session: AsyncSession,
    clock: FakeClock,  # noqa: F811
    task_runtime: TaskRuntime,
) -> None:
    staff = await make_staff(session, roles=("station",))
    event = await _create(client, app, staff)
    user = await make_user(session, app)
    await _register(client, app, user, event["id"])
    moved = _put_body(
        event, starts_at="2026-12-06T09:00:00+08:00", ends_at="2026-12-06T12:00:00+08:00"
    )
    response = await client.put(
        f"/api/v1/admin/events/{event['id']}", json=moved, headers=auth(app, staff)
    )
    assert response.status_code == 200, response.text
    assert [at for _, at in await _reminder_jobs(session)] == [
        local(2026, 12, 4, 18, 0),
        local(2026, 12, 5, 18, 0),
    ]
    runtime = dataclasses.replace(task_runtime, clock=FakeClock(local(2026, 12, 5, 18, 0)))
    ran = await run_jobs(session, runtime, until=local(2026, 12, 5, 18, 0), tasks=[REMIND])
    assert [r.result for r in ran] == [0, 1]  # the old job finds the start moved
    [row] = await told(session, "event_reminder")
    assert "12月6日 09:00" in row.body


async def test_cancelling_the_event_tells_every_registrant_and_no_reminder_follows(
    client: httpx.AsyncClient,
    app: FastAPI,
    session: AsyncSession,
    clock: FakeClock,  # noqa: F811
    task_runtime: TaskRuntime,
) -> None:
    staff = await make_staff(session, roles=("station",))
    event = await _create(client, app, staff)
    users = [await make_user(session, app) for _ in range(3)]
    for user in users:
        await _register(client, app, user, event["id"])
    url = f"/api/v1/admin/events/{event['id']}"
    refused = await client.put(
        url,
        json=_put_body(event, status="cancelled", registration_limit=1),
        headers=auth(app, staff),
    )
    assert refused.status_code == 409
    assert await told(session, "event_cancelled") == []
    response = await client.put(
        url, json=_put_body(event, status="cancelled"), headers=auth(app, staff)
    )
    assert response.status_code == 200, response.text
    rows = await told(session, "event_cancelled")
    assert sorted(r.user_id for r in rows) == sorted(u.id for u in users)
    assert rows[0].body == "您报名的「物流专场招聘会」（12月5日 09:00）已取消，请勿前往。"
    assert rows[0].page == f"pages/events/detail?id={event['id']}"
    runtime = dataclasses.replace(task_runtime, clock=FakeClock(local(2026, 12, 4, 18, 0)))
    [ran] = await run_jobs(session, runtime, until=local(2026, 12, 4, 18, 0), tasks=[REMIND])
    assert ran.result == 0
    assert await told(session, "event_reminder") == []


async def test_booth_decisions_tell_every_member(
    client: httpx.AsyncClient,
    app: FastAPI,
    session: AsyncSession,
    clock: FakeClock,  # noqa: F811
) -> None:
    owner, recruiter = await make_user(session, app), await make_user(session, app)
    employer = await make_employer(session, owner, name="示例物流公司")
    await add_member(session, employer, recruiter)
    job = await make_job(session, employer, title="叉车司机")
    event = await make_event(session, booth_limit=5)
    booth_ids = []
    for _ in range(2):
        body = {"employer_id": str(employer.id), "job_ids": [str(job.id)], "contact_name": "王经理"}
        asked = await client.post(
            f"/api/v1/events/{event.id}/booths", json=body, headers=auth(app, recruiter)
        )
        if asked.status_code == 201:
            booth_ids.append(asked.json()["id"])
    [booth_id] = booth_ids  # one booth per employer and event
    staff = auth(app, await make_staff(session, roles=("station",)))
    url = f"/api/v1/admin/event-booths/{booth_id}/decision"
    confirm = await client.post(
        url, json={"decision": "confirm", "booth_no": "A-12"}, headers=staff
    )
    assert confirm.status_code == 200, confirm.text
    again = await client.post(url, json={"decision": "confirm", "booth_no": "A-13"}, headers=staff)
    assert again.status_code == 409
    rows = await told(session, "booth_decided")
    assert sorted(r.user_id for r in rows) == sorted([owner.id, recruiter.id])
    assert {(r.title, r.body, r.page) for r in rows} == {
        (
            "展位申请结果",
            "您在「测试招聘会」的展位申请已确认，展位号A-12。",
            f"pages/employer/booths/detail?id={booth_id}",
        )
    }
    assert uuid.UUID(booth_id)
