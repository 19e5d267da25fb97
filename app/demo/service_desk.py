"""Sample stations and appointment slots for the demo (names start with "示例").

The 15 street/town stations sit at the approximate centres of Dongsheng's streets and towns
(app.taxonomy areas); addresses and phone numbers are invented.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import Clock, local_date, local_midnight, system_clock
from app.service_desk import repository as repo
from app.service_desk.catalogue import load_service_items
from app.service_desk.hours import Schedule
from app.service_desk.models import AppointmentSlot, ServiceItem, Station, StationException
from app.taxonomy import areas

OFFICE_HOURS = [
    {"weekday": d, "opens": o, "closes": c}
    for d in range(1, 6)
    for o, c in (("08:30", "12:00"), ("14:30", "17:30"))
]
MARKET_HOURS = [{"weekday": d, "opens": "09:00", "closes": "18:00"} for d in range(1, 7)]
GIG_HOURS = [{"weekday": d, "opens": "05:30", "closes": "20:00"} for d in range(1, 8)]
LATE_GIG_HOURS = [{"weekday": d, "opens": "17:00", "closes": "01:00"} for d in (5, 6)]

EXTRA_STATIONS: tuple[dict[str, Any], ...] = (
    {
        "name": "示例·东胜区人力资源市场服务站",
        "kind": "market_station",
        "area_code": "jiaotong",
        "address": "示例地址：交通街道伊金霍洛西街人力资源市场一楼",
        "latitude": 39.8185,
        "longitude": 109.9842,
        "weekly_hours": MARKET_HOURS,
    },
    {
        "name": "示例·万正广场市场服务站",
        "kind": "market_station",
        "area_code": "tianjiao",
        "address": "示例地址：天骄街道商业广场东门",
        "latitude": 39.7988,
        "longitude": 110.0021,
        "weekly_hours": MARKET_HOURS,
    },
    {
        "name": "示例·铜川路零工驿站",
        "kind": "gig_station",
        "area_code": "jianshe",
        "address": "示例地址：建设街道铜川路与达拉特路交叉口",
        "latitude": 39.8093,
        "longitude": 109.9935,
        "weekly_hours": GIG_HOURS,
    },
    {
        "name": "示例·夜市零工驿站",
        "kind": "gig_station",
        "area_code": "fuxing",
        "address": "示例地址：富兴街道夜市北口",
        "latitude": 39.8301,
        "longitude": 109.9978,
        "weekly_hours": LATE_GIG_HOURS,
        "description": "周五、周六晚间开放至次日凌晨 1 点",
    },
)

SLOT_ITEMS = ("career-guidance", "unemployment-registration")
SLOT_TIMES = ("09:00", "10:00", "11:00", "15:00", "16:00")


def _area_stations() -> list[dict[str, Any]]:
    return [
        {
            "name": f"示例·{area.name}就业服务站",
            "kind": "street_station",
            "area_code": area.code,
            "address": f"示例地址：{area.name}便民服务中心一楼",
            "latitude": area.lat,
            "longitude": area.lng,
            "phone": f"0477-85{index:05d}",
            "weekly_hours": OFFICE_HOURS,
        }
        for index, area in enumerate(areas(), start=1)
    ]


async def seed_service_items(session: AsyncSession) -> int:
    return await load_service_items(session)


async def seed_stations(session: AsyncSession, clock: Clock = system_clock) -> int:
    this_year = local_date(clock()).year
    existing = set((await session.scalars(select(Station.name))).all())
    created = 0
    for values in _area_stations() + list(EXTRA_STATIONS):
        if values["name"] in existing:
            continue
        station = Station(**values)
        session.add(station)
        await session.flush()
        items = await repo.service_items_for_kind(session, station.kind)
        await repo.replace_station_services(session, station.id, [i.id for i in items])
        await _new_year_closure(session, station, this_year)
        created += 1
    return created


async def _new_year_closure(session: AsyncSession, station: Station, this_year: int) -> None:
    if station.kind != "street_station":
        return
    new_year = date(this_year + 1, 1, 1)
    session.add(
        StationException(
            station_id=station.id, day=new_year, closed=True, hours=[], reason="元旦闭站"
        )
    )
    await session.flush()


async def seed_slots(session: AsyncSession, clock: Clock = system_clock) -> int:
    """Slots of two service items at every street station for the coming 7 days."""
    now = clock()
    today = local_date(now)
    items = (
        await session.scalars(select(ServiceItem).where(ServiceItem.code.in_(SLOT_ITEMS)))
    ).all()
    stations = (
        await session.scalars(select(Station).where(Station.kind == "street_station"))
    ).all()
    rows: list[dict[str, Any]] = []
    for station in stations:
        found = await repo.exceptions_between(
            session, [station.id], today, today + timedelta(days=8)
        )
        schedule = Schedule.from_rows(station.weekly_hours, found)
        for offset in range(1, 8):
            rows += _day_rows(station, items, schedule, today + timedelta(days=offset), now)
    if not rows:
        return 0
    stmt = (
        insert(AppointmentSlot)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["station_id", "service_item_id", "starts_at"])
    )
    result = await session.execute(stmt.returning(AppointmentSlot.id))
    return len(result.all())


def _day_rows(
    station: Station,
    items: Any,
    schedule: Schedule,
    day: date,
    now: datetime,
) -> list[dict[str, Any]]:
    rows = []
    for item in items:
        for hhmm in SLOT_TIMES:
            hours, minutes = (int(p) for p in hhmm.split(":"))
            start = local_midnight(day) + timedelta(hours=hours, minutes=minutes)
            end = start + timedelta(minutes=30)
            if start > now and schedule.covers(start, end):
                rows.append(
                    {
                        "station_id": station.id,
                        "service_item_id": item.id,
                        "starts_at": start,
                        "ends_at": end,
                        "capacity": 5,
                    }
                )
    return rows
