"""SQL for service items and stations."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.service_desk.models import ServiceItem, Station, StationException, StationServiceItem


async def list_service_items(
    session: AsyncSession,
    *,
    category: str | None,
    online: bool | None,
    station_kind: str | None,
    after: tuple[int, str] | None,
    limit: int,
) -> Sequence[ServiceItem]:
    stmt = select(ServiceItem).where(ServiceItem.is_active)
    if category is not None:
        stmt = stmt.where(ServiceItem.category == category)
    if online is not None:
        stmt = stmt.where(ServiceItem.online == online)
    if station_kind is not None:
        stmt = stmt.where(ServiceItem.station_kinds.contains([station_kind]))
    if after is not None:
        stmt = stmt.where(tuple_(ServiceItem.sort_order, ServiceItem.code) > tuple_(*after))
    stmt = stmt.order_by(ServiceItem.sort_order, ServiceItem.code).limit(limit)
    return (await session.scalars(stmt)).all()


async def get_service_item(session: AsyncSession, code: str) -> ServiceItem | None:
    return await session.scalar(
        select(ServiceItem).where(ServiceItem.code == code, ServiceItem.is_active)
    )


async def service_items_by_codes(
    session: AsyncSession, codes: Sequence[str]
) -> Sequence[ServiceItem]:
    stmt = select(ServiceItem).where(ServiceItem.code.in_(codes), ServiceItem.is_active)
    return (await session.scalars(stmt)).all()


async def service_items_for_kind(session: AsyncSession, kind: str) -> Sequence[ServiceItem]:
    stmt = select(ServiceItem).where(
        ServiceItem.is_active, ServiceItem.station_kinds.contains([kind])
    )
    return (await session.scalars(stmt)).all()


async def stations_offering(session: AsyncSession, item_id: uuid.UUID) -> Sequence[Station]:
    stmt = (
        select(Station)
        .join(StationServiceItem, StationServiceItem.station_id == Station.id)
        .where(StationServiceItem.service_item_id == item_id, Station.is_active)
        .order_by(Station.area_code, Station.name, Station.id)
    )
    return (await session.scalars(stmt)).all()


async def list_stations(
    session: AsyncSession,
    *,
    kind: str | None,
    area_code: str | None,
    service_item_id: uuid.UUID | None,
    box: tuple[float, float, float, float] | None,
) -> Sequence[Station]:
    """Active stations matching the filters; ``box`` is (min_lat, max_lat, min_lng, max_lng)."""
    stmt = select(Station).where(Station.is_active)
    if kind is not None:
        stmt = stmt.where(Station.kind == kind)
    if area_code is not None:
        stmt = stmt.where(Station.area_code == area_code)
    if service_item_id is not None:
        offered = select(StationServiceItem.station_id).where(
            StationServiceItem.service_item_id == service_item_id
        )
        stmt = stmt.where(Station.id.in_(offered))
    if box is not None:
        min_lat, max_lat, min_lng, max_lng = box
        stmt = stmt.where(
            Station.latitude.between(min_lat, max_lat),
            Station.longitude.between(min_lng, max_lng),
        )
    return (await session.scalars(stmt)).all()


async def get_station(
    session: AsyncSession, station_id: uuid.UUID, *, active_only: bool = True
) -> Station | None:
    stmt = select(Station).where(Station.id == station_id)
    if active_only:
        stmt = stmt.where(Station.is_active)
    return await session.scalar(stmt)


async def lock_station(session: AsyncSession, station_id: uuid.UUID) -> Station | None:
    stmt = select(Station).where(Station.id == station_id).with_for_update()
    return await session.scalar(stmt)


async def station_services(session: AsyncSession, station_id: uuid.UUID) -> Sequence[ServiceItem]:
    stmt = (
        select(ServiceItem)
        .join(StationServiceItem, StationServiceItem.service_item_id == ServiceItem.id)
        .where(StationServiceItem.station_id == station_id, ServiceItem.is_active)
        .order_by(ServiceItem.sort_order, ServiceItem.code)
    )
    return (await session.scalars(stmt)).all()


async def offers_service(session: AsyncSession, station_id: uuid.UUID, item_id: uuid.UUID) -> bool:
    stmt = select(StationServiceItem.station_id).where(
        StationServiceItem.station_id == station_id,
        StationServiceItem.service_item_id == item_id,
    )
    return (await session.scalar(stmt)) is not None


async def replace_station_services(
    session: AsyncSession, station_id: uuid.UUID, item_ids: Sequence[uuid.UUID]
) -> None:
    await session.execute(
        delete(StationServiceItem).where(StationServiceItem.station_id == station_id)
    )
    if item_ids:
        rows = [{"station_id": station_id, "service_item_id": i} for i in set(item_ids)]
        await session.execute(insert(StationServiceItem).values(rows))


async def exceptions_between(
    session: AsyncSession, station_ids: Sequence[uuid.UUID], first: date, last: date
) -> Sequence[StationException]:
    stmt = (
        select(StationException)
        .where(
            StationException.station_id.in_(station_ids),
            StationException.day.between(first, last),
        )
        .order_by(StationException.day)
    )
    return (await session.scalars(stmt)).all()


async def upsert_exception(
    session: AsyncSession, station_id: uuid.UUID, day: date, values: dict[str, Any]
) -> StationException:
    stmt = (
        insert(StationException)
        .values(station_id=station_id, day=day, **values)
        .on_conflict_do_update(
            index_elements=["station_id", "day"], set_={**values, "updated_at": func.now()}
        )
        .returning(StationException)
    )
    result = await session.scalars(stmt, execution_options={"populate_existing": True})
    return result.one()


async def delete_exception(session: AsyncSession, station_id: uuid.UUID, day: date) -> bool:
    stmt = (
        delete(StationException)
        .where(StationException.station_id == station_id, StationException.day == day)
        .returning(StationException.id)
    )
    return (await session.scalar(stmt)) is not None
