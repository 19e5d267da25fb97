"""Station appointments: booked, cancelled by staff, and the reminder of the evening before."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.queue import TaskRuntime
from app.service_desk import repository as repo
from app.service_desk.catalogue import load_service_items
from app.service_desk.models import AppointmentSlot
from tests.notifications.inbox import Told, keywords_of, told
from tests.service_desk.conftest import make_slot, make_station
from tests.support.clock import FakeClock, installed_clock, local
from tests.support.factories import auth, make_staff, make_user
from tests.support.queue import run_jobs

REMIND = "service_desk:remind_appointment"
TUESDAY_9 = local(2026, 12, 1, 9, 0)


@pytest.fixture
def clock(app: FastAPI) -> Iterator[FakeClock]:
    with installed_clock(app, local(2026, 11, 30, 10, 0)) as fake:
        yield fake


@pytest.fixture
async def slot(session: AsyncSession) -> AppointmentSlot:
    await load_service_items(session)
    [item] = await repo.service_items_by_codes(session, ["career-guidance"])
    station = await make_station(session, name="交通街道服务站", services=[item])
    return await make_slot(session, station, item, TUESDAY_9)


async def _book(client: httpx.AsyncClient, app: FastAPI, user: object, slot_id: object) -> str:
    response = await client.post(
        "/api/v1/appointments",
        json={"slot_id": str(slot_id)},
        headers=auth(app, user),  # type: ignore[arg-type]
    )
    assert response.status_code == 201, response.text
    appointment_id: str = response.json()["id"]
    return appointment_id


async def _scheduled(session: AsyncSession) -> list[tuple[str, object]]:
    rows = await session.execute(
        text("SELECT task_name, scheduled_at FROM procrastinate_jobs WHERE task_name = :t"),
        {"t": REMIND},
    )
    return [(row[0], row[1]) for row in rows]


async def test_booking_tells_and_schedules_the_reminder_at_18_the_day_before(
    client: httpx.AsyncClient,
    app: FastAPI,
    session: AsyncSession,
    clock: FakeClock,
    slot: AppointmentSlot,
    task_runtime: TaskRuntime,
) -> None:
    user = await make_user(session, app)
    appointment_id = await _book(client, app, user, slot.id)
    page = f"pages/appointments/detail?id={appointment_id}"
    assert await told(session) == [
        Told(
            user.id,
            "appointment_booked",
            "预约成功",
            "您已预约交通街道服务站「职业指导」，时间12月1日 09:00，地址测试地址。"
            "如不能前往请提前取消。",
            page,
        )
    ]
    assert await _scheduled(session) == [(REMIND, local(2026, 11, 30, 18, 0))]
    runtime = dataclasses.replace(task_runtime, clock=FakeClock(local(2026, 11, 30, 18, 0)))
    assert await run_jobs(session, runtime, until=local(2026, 11, 30, 17, 59), tasks=[REMIND]) == []
    [ran] = await run_jobs(session, runtime, until=local(2026, 11, 30, 18, 0), tasks=[REMIND])
    assert ran.result is True
    [reminder] = await told(session, "appointment_reminder")
    assert reminder == Told(
        user.id,
        "appointment_reminder",
        "预约提醒",
        "您预约了12月1日 09:00到交通街道服务站（测试地址）办理「职业指导」，"
        "请按时前往，记得携带身份证件。",
        page,
    )
    assert await keywords_of(session, "appointment_reminder") == [
        {"subject": "职业指导", "time": "2026-12-01 09:00", "place": "交通街道服务站"}
    ]


async def test_a_cancelled_visit_gets_no_reminder(
    client: httpx.AsyncClient,
    app: FastAPI,
    session: AsyncSession,
    clock: FakeClock,
    slot: AppointmentSlot,
    task_runtime: TaskRuntime,
) -> None:
    user = await make_user(session, app)
    appointment_id = await _book(client, app, user, slot.id)
    cancelled = await client.post(
        f"/api/v1/appointments/{appointment_id}/cancel", headers=auth(app, user)
    )
    assert cancelled.status_code == 200, cancelled.text
    runtime = dataclasses.replace(task_runtime, clock=FakeClock(local(2026, 11, 30, 18, 0)))
    [ran] = await run_jobs(session, runtime, until=local(2026, 11, 30, 18, 0), tasks=[REMIND])
    assert ran.result is False and ran.error is None
    assert await told(session, "appointment_reminder") == []


async def test_staff_cancel_tells_the_person_with_the_reason(
    client: httpx.AsyncClient,
    app: FastAPI,
    session: AsyncSession,
    clock: FakeClock,
    slot: AppointmentSlot,
) -> None:
    user = await make_user(session, app)
    appointment_id = await _book(client, app, user, slot.id)
    staff = auth(app, await make_staff(session, roles=("station",)))
    url = f"/api/v1/admin/appointments/{appointment_id}/cancel"
    assert (await client.post(url, json={"reason": "x"}, headers=staff)).status_code == 422
    response = await client.post(url, json={"reason": "服务站临时停电"}, headers=staff)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled"
    again = await client.post(url, json={"reason": "服务站临时停电"}, headers=staff)
    assert again.status_code == 409
    assert await told(session, "appointment_cancelled") == [
        Told(
            user.id,
            "appointment_cancelled",
            "预约已取消",
            "很抱歉，您在交通街道服务站12月1日 09:00的「职业指导」预约已被工作人员取消，"
            "原因：服务站临时停电。可重新预约其他时段。",
            f"pages/appointments/detail?id={appointment_id}",
        )
    ]
    # the place is free again
    other = await make_user(session, app)
    await _book(client, app, other, slot.id)


async def test_a_refused_booking_tells_no_one(
    client: httpx.AsyncClient,
    app: FastAPI,
    session: AsyncSession,
    clock: FakeClock,
    slot: AppointmentSlot,
) -> None:
    user = await make_user(session, app)
    await _book(client, app, user, slot.id)
    twice = await client.post(
        "/api/v1/appointments", json={"slot_id": str(slot.id)}, headers=auth(app, user)
    )
    assert twice.status_code == 409
    assert len(await told(session)) == 1
    assert len(await _scheduled(session)) == 1
