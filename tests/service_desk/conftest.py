"""Fixtures of the services tests: a settable clock, the service list, stations and slots."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.service_desk import repository as repo
from app.service_desk.catalogue import load_service_items
from app.service_desk.models import AppointmentSlot, ServiceItem, Station, StationException
from tests.support.clock import FakeClock, installed_clock, local

OFFICE_HOURS = [
    {"weekday": d, "opens": o, "closes": c}
    for d in range(1, 6)
    for o, c in (("08:30", "12:00"), ("14:30", "17:30"))
]


@pytest.fixture
def clock(app: FastAPI) -> Iterator[FakeClock]:
    """The app's "now", settable by the test (a Monday morning in Dongsheng by default)."""
    with installed_clock(app, local(2026, 11, 30, 8, 0)) as fake:
        yield fake


@pytest.fixture
async def service_items(session: AsyncSession) -> dict[str, ServiceItem]:
    await load_service_items(session)
    items = await repo.service_items_by_codes(
        session, ["career-guidance", "unemployment-registration", "gig-job-matching"]
    )
    return {i.code: i for i in items}


async def make_station(
    session: AsyncSession,
    *,
    name: str = "测试服务站",
    kind: str = "street_station",
    area_code: str = "jiaotong",
    latitude: float = 39.816,
    longitude: float = 109.987,
    weekly_hours: list[dict[str, Any]] | None = None,
    services: list[ServiceItem] | None = None,
    **values: Any,
) -> Station:
    station = Station(
        name=name,
        kind=kind,
        area_code=area_code,
        address="测试地址",
        latitude=latitude,
        longitude=longitude,
        weekly_hours=OFFICE_HOURS if weekly_hours is None else weekly_hours,
        **values,
    )
    session.add(station)
    await session.flush()
    if services:
        await repo.replace_station_services(session, station.id, [s.id for s in services])
    return station


async def close_day(
    session: AsyncSession, station: Station, day: date, reason: str = "节假日"
) -> None:
    session.add(
        StationException(station_id=station.id, day=day, closed=True, hours=[], reason=reason)
    )
    await session.flush()


async def make_slot(
    session: AsyncSession,
    station: Station,
    item: ServiceItem,
    starts_at: datetime,
    *,
    minutes: int = 30,
    capacity: int = 5,
) -> AppointmentSlot:
    slot = AppointmentSlot(
        station_id=station.id,
        service_item_id=item.id,
        starts_at=starts_at.astimezone(UTC),
        ends_at=(starts_at + timedelta(minutes=minutes)).astimezone(UTC),
        capacity=capacity,
    )
    session.add(slot)
    await session.flush()
    return slot
