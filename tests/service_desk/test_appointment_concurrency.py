"""Capacity under real concurrency: committed transactions racing for the same slot."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.db import create_sessionmaker
from app.identity.models import User
from app.service_desk.catalogue import load_service_items
from app.service_desk.models import Appointment, AppointmentSlot, ServiceItem
from tests.service_desk.conftest import make_slot, make_station
from tests.support.clock import FakeClock, local
from tests.support.factories import auth, make_user


async def _arrange(
    app: FastAPI, engine: AsyncEngine, people: int, capacity: int
) -> tuple[AppointmentSlot, list[User]]:
    async with create_sessionmaker(engine)() as session:
        await load_service_items(session)
        item = await session.scalar(
            select(ServiceItem).where(ServiceItem.code == "career-guidance")
        )
        assert item is not None
        station = await make_station(session, services=[item])
        slot = await make_slot(session, station, item, local(2026, 12, 1, 9, 0), capacity=capacity)
        users = [await make_user(session, app) for _ in range(people)]
        await session.commit()
        return slot, users


async def _count(engine: AsyncEngine, slot: AppointmentSlot) -> tuple[int, int]:
    async with create_sessionmaker(engine)() as session:
        booked = await session.scalar(
            select(AppointmentSlot.booked).where(AppointmentSlot.id == slot.id)
        )
        rows = await session.scalar(
            select(func.count()).select_from(Appointment).where(Appointment.slot_id == slot.id)
        )
        return int(booked or 0), int(rows or 0)


async def test_thirty_people_racing_for_ten_places(
    committing_client: httpx.AsyncClient, app: FastAPI, engine: AsyncEngine, clock: FakeClock
) -> None:
    slot, users = await _arrange(app, engine, people=30, capacity=10)

    responses = await asyncio.gather(
        *(
            committing_client.post(
                "/api/v1/appointments", json={"slot_id": str(slot.id)}, headers=auth(app, u)
            )
            for u in users
        )
    )

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] * 10 + [409] * 20, [
        r.text for r in responses if r.status_code not in (201, 409)
    ]
    refusals = {r.json()["code"] for r in responses if r.status_code == 409}
    assert refusals == {"appointment.slot_full"}
    assert all(
        r.json()["message"] == "该时段已约满，请选择其他时段"
        for r in responses
        if r.status_code == 409
    )
    assert await _count(engine, slot) == (10, 10)


async def test_one_person_tapping_five_times_books_once(
    committing_client: httpx.AsyncClient, app: FastAPI, engine: AsyncEngine, clock: FakeClock
) -> None:
    slot, (user,) = await _arrange(app, engine, people=1, capacity=10)

    responses = await asyncio.gather(
        *(
            committing_client.post(
                "/api/v1/appointments", json={"slot_id": str(slot.id)}, headers=auth(app, user)
            )
            for _ in range(5)
        )
    )

    assert sorted(r.status_code for r in responses) == [201] + [409] * 4
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {
        "appointment.already_booked"
    }
    assert await _count(engine, slot) == (1, 1)


async def test_cancel_racing_with_bookings_keeps_the_count_exact(
    committing_client: httpx.AsyncClient, app: FastAPI, engine: AsyncEngine, clock: FakeClock
) -> None:
    slot, users = await _arrange(app, engine, people=12, capacity=2)
    first = await committing_client.post(
        "/api/v1/appointments", json={"slot_id": str(slot.id)}, headers=auth(app, users[0])
    )
    assert first.status_code == 201
    cancel_url = f"/api/v1/appointments/{first.json()['id']}/cancel"

    responses = await asyncio.gather(
        committing_client.post(cancel_url, headers=auth(app, users[0])),
        committing_client.post(cancel_url, headers=auth(app, users[0])),
        *(
            committing_client.post(
                "/api/v1/appointments", json={"slot_id": str(slot.id)}, headers=auth(app, u)
            )
            for u in users[1:]
        ),
    )

    cancels, bookings = responses[:2], responses[2:]
    assert sorted(r.status_code for r in cancels) == [200, 409]
    booked, rows = await _count(engine, slot)
    active = sum(1 for r in bookings if r.status_code == 201)
    assert active == booked <= 2
    assert rows == active + 1  # plus the cancelled one
