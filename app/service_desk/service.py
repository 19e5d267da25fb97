"""Service items and stations: listing nearest first with open-now, and staff management."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core import geo
from app.core.clock import Clock, local_date
from app.core.keyset import INTEGER, NUMBER, TEXT, Keyset, keyset
from app.core.pagination import Page
from app.identity.models import StaffAccount
from app.service_desk import errors
from app.service_desk import repository as repo
from app.service_desk.hours import Schedule, format_span
from app.service_desk.models import ServiceItem, Station, StationException
from app.service_desk.schemas import (
    AdminStationRead,
    ServiceItemListItem,
    ServiceItemRead,
    ServiceRef,
    StationCreate,
    StationExceptionPut,
    StationExceptionRead,
    StationListItem,
    StationRef,
    StationUpdate,
    WeeklyInterval,
)
from app.taxonomy import areas_by_code

UPCOMING_EXCEPTION_DAYS = 60

# Service items by their catalogue order, then code.
ITEM_ORDER = keyset(INTEGER, TEXT)
# Stations nearest first (distance, id), or by area, name and id without a location. Stations
# are ranked in memory, so the id stays text and compares as the ranking does.
STATION_BY_DISTANCE = keyset(NUMBER, TEXT)
STATION_BY_AREA = keyset(TEXT, TEXT, TEXT)


async def list_service_items(
    session: AsyncSession,
    *,
    category: str | None,
    online: bool | None,
    station_kind: str | None,
    cursor: str | None,
    limit: int,
) -> Page[ServiceItemListItem]:
    rows = await repo.list_service_items(
        session,
        category=category,
        online=online,
        station_kind=station_kind,
        after=ITEM_ORDER.decode(cursor),
        limit=limit + 1,
    )
    return ITEM_ORDER.page(
        rows, limit, key=lambda r: (r.sort_order, r.code), item=ServiceItemListItem.model_validate
    )


async def get_service_item(session: AsyncSession, code: str) -> ServiceItemRead:
    item = await repo.get_service_item(session, code)
    if item is None:
        raise errors.ServiceItemNotFound(details={"code": code})
    stations = await repo.stations_offering(session, item.id)
    return ServiceItemRead.model_validate(
        {
            **ServiceItemListItem.model_validate(item).model_dump(),
            "conditions": item.conditions,
            "materials": item.materials,
            "stations": [StationRef.model_validate(s) for s in stations],
        }
    )


async def schedules(
    session: AsyncSession, stations: Sequence[Station], first: date, last: date
) -> dict[uuid.UUID, Schedule]:
    """Each station's schedule with its exceptions between ``first`` and ``last``."""
    found = await repo.exceptions_between(session, [s.id for s in stations], first, last)
    by_station: dict[uuid.UUID, list[StationException]] = {}
    for exc in found:
        by_station.setdefault(exc.station_id, []).append(exc)
    return {s.id: Schedule.from_rows(s.weekly_hours, by_station.get(s.id, ())) for s in stations}


def area_name(code: str) -> str | None:
    area = areas_by_code().get(code)
    return area.name if area else None


def _list_item(
    station: Station, schedule: Schedule, now: datetime, distance_km: float | None
) -> StationListItem:
    today = local_date(now)
    return StationListItem(
        id=station.id,
        name=station.name,
        kind=station.kind,
        area_code=station.area_code,
        area_name=area_name(station.area_code),
        address=station.address,
        latitude=station.latitude,
        longitude=station.longitude,
        phone=station.phone,
        open_now=schedule.is_open(now),
        today_hours=[format_span(a, b) for a, b in schedule.spans(today)],
        distance_km=round(distance_km, 2) if distance_km is not None else None,
        walking_minutes=geo.walking_minutes(distance_km) if distance_km is not None else None,
    )


async def list_stations(
    session: AsyncSession,
    clock: Clock,
    *,
    lat: float | None,
    lng: float | None,
    radius_km: float | None,
    kind: str | None,
    area_code: str | None,
    service_code: str | None,
    cursor: str | None,
    limit: int,
) -> Page[StationListItem]:
    """Nearest first when a location is given (else by area and name), with open-now."""
    if (lat is None) != (lng is None):
        raise errors.LocationIncomplete()
    item_id: uuid.UUID | None = None
    if service_code is not None:
        item = await repo.get_service_item(session, service_code)
        if item is None:
            return Page[StationListItem](items=[])
        item_id = item.id
    box = None
    if lat is not None and lng is not None and radius_km is not None:
        box = geo.bounding_box(lat, lng, radius_km)
    stations = await repo.list_stations(
        session, kind=kind, area_code=area_code, service_item_id=item_id, box=box
    )
    now = clock()
    today = local_date(now)
    by_id = await schedules(session, stations, today - timedelta(days=1), today)
    origin = (lat, lng) if lat is not None and lng is not None else None
    keyed = _ranked(stations, by_id, now, origin, radius_km)
    order: Keyset[Any] = STATION_BY_DISTANCE if origin else STATION_BY_AREA
    after = order.decode(cursor)
    if after is not None:
        keyed = [pair for pair in keyed if pair[0] > after]
    return order.page(keyed, limit, key=lambda pair: pair[0], item=lambda pair: pair[1])


def _ranked(
    stations: Sequence[Station],
    by_id: dict[uuid.UUID, Schedule],
    now: datetime,
    origin: tuple[float, float] | None,
    radius_km: float | None,
) -> list[tuple[tuple[Any, ...], StationListItem]]:
    """Each station with its sort key: (distance, id) from ``origin``, else (area, name, id)."""
    keyed: list[tuple[tuple[Any, ...], StationListItem]] = []
    for station in stations:
        distance = None
        if origin is not None:
            distance = geo.haversine_km(*origin, station.latitude, station.longitude)
            if radius_km is not None and distance > radius_km:
                continue
            key: tuple[Any, ...] = (distance, str(station.id))
        else:
            key = (station.area_code, station.name, str(station.id))
        keyed.append((key, _list_item(station, by_id[station.id], now, distance)))
    keyed.sort(key=lambda pair: pair[0])
    return keyed


async def get_station(
    session: AsyncSession,
    clock: Clock,
    station_id: uuid.UUID,
    *,
    lat: float | None = None,
    lng: float | None = None,
    active_only: bool = True,
) -> AdminStationRead:
    station = await repo.get_station(session, station_id, active_only=active_only)
    if station is None:
        raise errors.StationNotFound()
    if (lat is None) != (lng is None):
        raise errors.LocationIncomplete()
    now = clock()
    today = local_date(now)
    found = await repo.exceptions_between(
        session,
        [station.id],
        today - timedelta(days=1),
        today + timedelta(days=UPCOMING_EXCEPTION_DAYS),
    )
    schedule = Schedule.from_rows(station.weekly_hours, found)
    distance = None
    if lat is not None and lng is not None:
        distance = geo.haversine_km(lat, lng, station.latitude, station.longitude)
    services = await repo.station_services(session, station.id)
    return AdminStationRead(
        **_list_item(station, schedule, now, distance).model_dump(),
        description=station.description,
        weekly_hours=[WeeklyInterval.model_validate(h) for h in station.weekly_hours],
        exceptions=[StationExceptionRead.model_validate(e) for e in found if e.day >= today],
        services=[ServiceRef.model_validate(s) for s in services],
        is_active=station.is_active,
    )


async def _service_ids(
    session: AsyncSession, codes: Sequence[str] | None, kind: str
) -> list[uuid.UUID]:
    if codes is None:
        return [i.id for i in await repo.service_items_for_kind(session, kind)]
    found = await repo.service_items_by_codes(session, codes)
    missing = sorted(set(codes) - {i.code for i in found})
    if missing:
        raise errors.UnknownServiceCodes(details={"codes": missing})
    return [i.id for i in found]


def _check_area(code: str) -> None:
    if code not in areas_by_code():
        raise errors.UnknownArea(details={"area_code": code, "known": sorted(areas_by_code())})


async def create_station(
    session: AsyncSession, clock: Clock, staff: StaffAccount, body: StationCreate
) -> AdminStationRead:
    _check_area(body.area_code)
    values = body.model_dump(exclude={"service_codes"})
    station = Station(**values)
    session.add(station)
    await session.flush()
    ids = await _service_ids(session, body.service_codes, body.kind)
    await repo.replace_station_services(session, station.id, ids)
    await record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action="station.create",
        subject_kind="station",
        subject_id=station.id,
        details={"name": station.name, "kind": station.kind, "area_code": station.area_code},
    )
    return await get_station(session, clock, station.id, active_only=False)


async def update_station(
    session: AsyncSession,
    clock: Clock,
    staff: StaffAccount,
    station_id: uuid.UUID,
    body: StationUpdate,
) -> AdminStationRead:
    station = await repo.lock_station(session, station_id)
    if station is None:
        raise errors.StationNotFound()
    _check_area(body.area_code)
    changes = body.model_dump(exclude={"service_codes"})
    changed = sorted(name for name, value in changes.items() if getattr(station, name) != value)
    for name, value in changes.items():
        setattr(station, name, value)
    ids = await _service_ids(session, body.service_codes, station.kind)
    await repo.replace_station_services(session, station.id, ids)
    await session.flush()
    await record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action="station.update",
        subject_kind="station",
        subject_id=station.id,
        details={"changed": changed},
    )
    return await get_station(session, clock, station.id, active_only=False)


async def put_exception(
    session: AsyncSession,
    staff: StaffAccount,
    station_id: uuid.UUID,
    day: date,
    body: StationExceptionPut,
) -> StationExceptionRead:
    if await repo.get_station(session, station_id, active_only=False) is None:
        raise errors.StationNotFound()
    values = body.model_dump(mode="json")
    exception = await repo.upsert_exception(session, station_id, day, values)
    await record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action="station.exception_set",
        subject_kind="station",
        subject_id=station_id,
        details={"day": day.isoformat(), **values},
    )
    return StationExceptionRead.model_validate(exception)


async def delete_exception(
    session: AsyncSession, staff: StaffAccount, station_id: uuid.UUID, day: date
) -> None:
    if not await repo.delete_exception(session, station_id, day):
        raise errors.StationNotFound(message="未找到该服务站在该日期的调整")
    await record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action="station.exception_delete",
        subject_kind="station",
        subject_id=station_id,
        details={"day": day.isoformat()},
    )


def item_ref(item: ServiceItem) -> ServiceRef:
    return ServiceRef(code=item.code, name=item.name)
