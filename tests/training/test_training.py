"""Training courses: enrolment within seats, cancellation, attendance, completion, facts."""

from __future__ import annotations

from datetime import date

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditRecord
from app.identity.models import User
from app.training.models import TrainingCourse
from tests.support.clock import FakeClock
from tests.support.factories import auth, make_staff, make_user

COURSE = {
    "title": "电工（初级）就业技能培训班",
    "provider": "示例职业培训学校",
    "occupation_code": "electrician",
    "hours": 80,
    "seats": 2,
    "starts_on": "2026-12-07",
    "ends_on": "2026-12-18",
    "address": "东胜区示例路 8 号",
    "subsidised": True,
    "policy_code": "training-employment-bonus",
}


async def _course(session: AsyncSession, **values: object) -> TrainingCourse:
    fields = {**COURSE, "starts_on": date(2026, 12, 7), "ends_on": date(2026, 12, 18)} | values
    course = TrainingCourse(**fields)
    session.add(course)
    await session.flush()
    return course


async def _enrol(
    client: httpx.AsyncClient, app: FastAPI, user: User, course: TrainingCourse
) -> httpx.Response:
    return await client.post(
        f"/api/v1/training-courses/{course.id}/enrolments", headers=auth(app, user)
    )


async def test_staff_publish_a_course(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    headers = auth(app, await make_staff(session, roles=("station",)))
    created = await client.post("/api/v1/admin/training-courses", json=COURSE, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["occupation_name"]
    listed = (await client.get("/api/v1/training-courses", params={"subsidised": True})).json()[
        "items"
    ]
    assert [c["id"] for c in listed] == [created.json()["id"]]
    for bad, code in [
        ({**COURSE, "occupation_code": "astronaut-x"}, "training.unknown_occupation"),
        ({**COURSE, "policy_code": None}, "validation_error"),
        ({**COURSE, "ends_on": "2026-12-01"}, "validation_error"),
    ]:
        response = await client.post("/api/v1/admin/training-courses", json=bad, headers=headers)
        assert (response.status_code, response.json()["code"]) == (422, code)


async def test_seats_are_never_exceeded_and_cancelling_frees_one(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    course = await _course(session)
    users = [await make_user(session, app) for _ in range(3)]
    first = await _enrol(client, app, users[0], course)
    assert first.status_code == 201, first.text
    assert (await _enrol(client, app, users[0], course)).json()[
        "code"
    ] == "training.already_enrolled"
    assert (await _enrol(client, app, users[1], course)).status_code == 201
    full = await _enrol(client, app, users[2], course)
    assert (full.status_code, full.json()["code"], full.json()["message"]) == (
        409,
        "training.seats_full",
        "名额已满",
    )
    cancelled = await client.post(
        f"/api/v1/training-enrolments/{first.json()['id']}/cancel", headers=auth(app, users[0])
    )
    assert cancelled.json()["status"] == "cancelled"
    assert (await _enrol(client, app, users[2], course)).status_code == 201
    clock.set(clock.now.replace(year=2026, month=12, day=7))
    late = await _enrol(client, app, users[0], course)
    assert late.json()["code"] == "training.enrolment_closed"


async def test_attendance_completion_and_the_clause_17_facts(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    course = await _course(session, seats=5)
    trainee = await make_user(session, app, real_name=("王五", "150602199901011234"))
    dropout = await make_user(session, app)
    staff = await make_staff(session, roles=("station",))
    headers = auth(app, staff)
    enrolment = (await _enrol(client, app, trainee, course)).json()
    other = (await _enrol(client, app, dropout, course)).json()

    url = f"/api/v1/admin/training-enrolments/{enrolment['id']}"
    assert (
        await client.put(f"{url}/attendance/2026-12-07", json={"hours": 8}, headers=headers)
    ).json()["attended_hours"] == 8
    assert (
        await client.put(f"{url}/attendance/2026-12-08", json={"hours": 6}, headers=headers)
    ).json()["attended_hours"] == 14
    assert (
        await client.put(f"{url}/attendance/2026-12-08", json={"hours": 8}, headers=headers)
    ).json()["attended_hours"] == 16
    outside = await client.put(f"{url}/attendance/2026-12-20", json={"hours": 8}, headers=headers)
    assert outside.json()["code"] == "training.attendance_outside_course"
    done = await client.post(
        f"{url}/completion", json={"passed": True, "certificate_no": "DG-2026-001"}, headers=headers
    )
    assert (done.json()["status"], done.json()["completed_on"]) == ("completed", "2026-12-18")
    failed = await client.post(
        f"/api/v1/admin/training-enrolments/{other['id']}/completion",
        json={"passed": False},
        headers=headers,
    )
    assert failed.json()["status"] == "failed"
    again = await client.put(f"{url}/attendance/2026-12-09", json={"hours": 8}, headers=headers)
    assert again.json()["code"] == "training.enrolment_not_active"

    facts = (
        await client.get(f"/api/v1/admin/training-courses/{course.id}/facts", headers=headers)
    ).json()
    assert facts["hours"] == 80 and facts["ended_on"] == "2026-12-18"
    assert [t["person_key"] for t in facts["trainees"]] == [trainee.id_number_hash]
    mine = (await client.get("/api/v1/me/training-enrolments", headers=auth(app, trainee))).json()[
        "items"
    ]
    assert (mine[0]["attended_hours"], mine[0]["certificate_no"]) == (16, "DG-2026-001")
    actions = (
        await session.scalars(select(AuditRecord.action).where(AuditRecord.actor_id == staff.id))
    ).all()
    assert actions.count("training.attendance") == 3 and "training.completion" in actions


async def test_staff_edit_a_course_with_a_whole_put(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    headers = auth(app, await make_staff(session, roles=("station",)))
    course = await _course(session, description="旧说明")
    url = f"/api/v1/admin/training-courses/{course.id}"
    whole = {
        "status": "open",
        "title": "电工（中级）培训班",
        "seats": 3,
        "starts_on": "2026-12-07",
        "ends_on": "2026-12-18",
        "address": "东胜区示例路 9 号",
    }
    edited = await client.put(url, json=whole, headers=headers)
    assert edited.status_code == 200, edited.text
    assert (edited.json()["title"], edited.json()["seats"]) == ("电工（中级）培训班", 3)
    assert edited.json()["description"] is None  # left out: replaced by its default
    partial = await client.put(url, json={"seats": 4}, headers=headers)
    assert partial.status_code == 422
    no_address = await client.put(url, json={**whole, "address": None}, headers=headers)
    assert no_address.status_code == 422
    cancelled = await client.put(url, json={**whole, "status": "cancelled"}, headers=headers)
    assert cancelled.json()["status"] == "cancelled"
