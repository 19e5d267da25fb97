"""Limits under real concurrency: committed transactions racing for places, booths and seats."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.db import create_sessionmaker
from app.events.models import EventBooth, EventRegistration, RecruitmentEvent
from app.training.models import TrainingCourse, TrainingEnrolment
from tests.applications.helpers import make_employer, make_job
from tests.events.conftest import FAIR_START, make_event
from tests.support.clock import FakeClock
from tests.support.factories import auth, make_staff, make_user


async def _count(engine: AsyncEngine, stmt: object) -> int:
    async with create_sessionmaker(engine)() as session:
        return int(await session.scalar(stmt) or 0)  # type: ignore[call-overload]


async def test_fair_registration_limit_under_concurrency(
    committing_client: httpx.AsyncClient, app: FastAPI, engine: AsyncEngine, clock: FakeClock
) -> None:
    async with create_sessionmaker(engine)() as session:
        event = await make_event(session, registration_limit=5)
        users = [await make_user(session, app) for _ in range(20)]
        await session.commit()

    responses = await asyncio.gather(
        *(
            committing_client.post(f"/api/v1/events/{event.id}/registrations", headers=auth(app, u))
            for u in users
        )
    )

    assert sorted(r.status_code for r in responses) == [201] * 5 + [409] * 15
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {
        "event.registration_full"
    }
    count = select(RecruitmentEvent.registered_count).where(RecruitmentEvent.id == event.id)
    rows = (
        select(func.count())
        .select_from(EventRegistration)
        .where(EventRegistration.event_id == event.id)
    )
    assert (await _count(engine, count), await _count(engine, rows)) == (5, 5)


async def test_booth_limit_under_concurrency(
    committing_client: httpx.AsyncClient, app: FastAPI, engine: AsyncEngine, clock: FakeClock
) -> None:
    async with create_sessionmaker(engine)() as session:
        event = await make_event(session, booth_limit=3)
        owners = [await make_user(session, app) for _ in range(8)]
        employers = [
            await make_employer(session, o, name=f"示例单位{i}") for i, o in enumerate(owners)
        ]
        jobs = [await make_job(session, e) for e in employers]
        await session.commit()

    responses = await asyncio.gather(
        *(
            committing_client.post(
                f"/api/v1/events/{event.id}/booths",
                json={"employer_id": str(e.id), "job_ids": [str(j.id)], "contact_name": "联系人"},
                headers=auth(app, o),
            )
            for o, e, j in zip(owners, employers, jobs, strict=True)
        )
    )

    assert sorted(r.status_code for r in responses) == [201] * 3 + [409] * 5
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"event.booths_full"}
    booths = select(func.count()).select_from(EventBooth).where(EventBooth.event_id == event.id)
    assert await _count(engine, booths) == 3


async def test_training_seats_under_concurrency(
    committing_client: httpx.AsyncClient, app: FastAPI, engine: AsyncEngine, clock: FakeClock
) -> None:
    async with create_sessionmaker(engine)() as session:
        course = TrainingCourse(
            title="育婴员培训班",
            provider="示例培训学校",
            occupation_code="nursery_nurse",
            hours=40,
            seats=5,
            starts_on=date(2026, 12, 7),
            ends_on=date(2026, 12, 12),
            address="示例地址",
        )
        session.add(course)
        users = [await make_user(session, app) for _ in range(15)]
        await session.commit()

    responses = await asyncio.gather(
        *(
            committing_client.post(
                f"/api/v1/training-courses/{course.id}/enrolments", headers=auth(app, u)
            )
            for u in users
        )
    )

    assert sorted(r.status_code for r in responses) == [201] * 5 + [409] * 10
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"training.seats_full"}
    enrolled = select(TrainingCourse.enrolled_count).where(TrainingCourse.id == course.id)
    rows = (
        select(func.count())
        .select_from(TrainingEnrolment)
        .where(TrainingEnrolment.course_id == course.id)
    )
    assert (await _count(engine, enrolled), await _count(engine, rows)) == (5, 5)


async def test_two_gates_scanning_one_code_check_in_once(
    committing_client: httpx.AsyncClient, app: FastAPI, engine: AsyncEngine, clock: FakeClock
) -> None:
    async with create_sessionmaker(engine)() as session:
        event = await make_event(session)
        user = await make_user(session, app)
        staff = [await make_staff(session, roles=("station",)) for _ in range(2)]
        await session.commit()
    code = (
        await committing_client.post(
            f"/api/v1/events/{event.id}/registrations", headers=auth(app, user)
        )
    ).json()["check_in_code"]
    clock.set(FAIR_START - timedelta(minutes=5))

    responses = await asyncio.gather(
        *(
            committing_client.post(
                f"/api/v1/admin/events/{event.id}/check-ins",
                json={"token": code},
                headers=auth(app, s),
            )
            for s in staff * 3
        )
    )

    assert sorted(r.status_code for r in responses) == [200] + [409] * 5
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {
        "event.check_in_code_used"
    }
