"""SQL for appointment slots and appointments (the capacity rule lives in one UPDATE)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.identity.models import User
from app.service_desk.models import (
    ACTIVE_APPOINTMENT,
    Appointment,
    AppointmentSlot,
    ServiceItem,
    Station,
)

AppointmentRow = Row[Appointment, AppointmentSlot, Station, ServiceItem]


async def insert_slot(session: AsyncSession, values: dict[str, Any]) -> AppointmentSlot | None:
    """Insert a slot; None when the station already has one for that service and start."""
    stmt = (
        insert(AppointmentSlot)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["station_id", "service_item_id", "starts_at"])
        .returning(AppointmentSlot)
    )
    return (await session.scalars(stmt)).one_or_none()


async def slots_between(
    session: AsyncSession,
    station_id: uuid.UUID,
    start: datetime,
    end: datetime,
    service_item_id: uuid.UUID | None,
) -> Sequence[Row[AppointmentSlot, ServiceItem]]:
    stmt = (
        select(AppointmentSlot, ServiceItem)
        .join(ServiceItem, ServiceItem.id == AppointmentSlot.service_item_id)
        .where(
            AppointmentSlot.station_id == station_id,
            AppointmentSlot.starts_at >= start,
            AppointmentSlot.starts_at < end,
        )
        .order_by(AppointmentSlot.starts_at, ServiceItem.sort_order, AppointmentSlot.id)
    )
    if service_item_id is not None:
        stmt = stmt.where(AppointmentSlot.service_item_id == service_item_id)
    return (await session.execute(stmt)).all()


async def get_slot(
    session: AsyncSession, slot_id: uuid.UUID
) -> Row[AppointmentSlot, Station, ServiceItem] | None:
    stmt = (
        select(AppointmentSlot, Station, ServiceItem)
        .join(Station, Station.id == AppointmentSlot.station_id)
        .join(ServiceItem, ServiceItem.id == AppointmentSlot.service_item_id)
        .where(AppointmentSlot.id == slot_id)
    )
    return (await session.execute(stmt)).one_or_none()


async def take_place(session: AsyncSession, slot_id: uuid.UUID) -> int | None:
    """booked + 1 unless full, in one statement (concurrent bookers queue on the row lock)."""
    stmt = (
        update(AppointmentSlot)
        .where(AppointmentSlot.id == slot_id, AppointmentSlot.booked < AppointmentSlot.capacity)
        .values(booked=AppointmentSlot.booked + 1)
        .returning(AppointmentSlot.booked)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def free_place(session: AsyncSession, slot_id: uuid.UUID) -> None:
    stmt = (
        update(AppointmentSlot)
        .where(AppointmentSlot.id == slot_id, AppointmentSlot.booked > 0)
        .values(booked=AppointmentSlot.booked - 1)
    )
    await session.execute(stmt)


async def has_active_booking(session: AsyncSession, slot_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    stmt = select(Appointment.id).where(
        Appointment.slot_id == slot_id,
        Appointment.user_id == user_id,
        text(ACTIVE_APPOINTMENT),
    )
    return (await session.scalar(stmt)) is not None


async def insert_appointment(session: AsyncSession, values: dict[str, Any]) -> uuid.UUID | None:
    """None when the person already holds an active booking of the slot (partial unique index)."""
    stmt = (
        insert(Appointment)
        .values(**values)
        .on_conflict_do_nothing(
            index_elements=["slot_id", "user_id"], index_where=text(ACTIVE_APPOINTMENT)
        )
        .returning(Appointment.id)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


def _with_context() -> Select[Appointment, AppointmentSlot, Station, ServiceItem]:
    return (
        select(Appointment, AppointmentSlot, Station, ServiceItem)
        .join(AppointmentSlot, AppointmentSlot.id == Appointment.slot_id)
        .join(Station, Station.id == AppointmentSlot.station_id)
        .join(ServiceItem, ServiceItem.id == AppointmentSlot.service_item_id)
    )


async def get_appointment(
    session: AsyncSession, appointment_id: uuid.UUID, *, user_id: uuid.UUID | None
) -> AppointmentRow | None:
    """One appointment; with ``user_id`` only that person's (another's answers None → 404)."""
    stmt = _with_context().where(Appointment.id == appointment_id)
    if user_id is not None:
        stmt = stmt.where(Appointment.user_id == user_id)
    row: AppointmentRow | None = (
        await session.execute(stmt, execution_options={"populate_existing": True})
    ).one_or_none()
    return row


async def user_appointments(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    status: str | None,
    before: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> Sequence[AppointmentRow]:
    """Newest visit first (keyset on slot start, id)."""
    stmt = _with_context().where(Appointment.user_id == user_id)
    if status is not None:
        stmt = stmt.where(Appointment.status == status)
    if before is not None:
        stmt = stmt.where(tuple_(AppointmentSlot.starts_at, Appointment.id) < tuple_(*before))
    stmt = stmt.order_by(AppointmentSlot.starts_at.desc(), Appointment.id.desc()).limit(limit)
    rows: Sequence[AppointmentRow] = (await session.execute(stmt)).all()
    return rows


async def station_appointments(
    session: AsyncSession,
    station_id: uuid.UUID,
    start: datetime,
    end: datetime,
    *,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> Sequence[Row[Appointment, AppointmentSlot, Station, ServiceItem, User]]:
    """A station's appointments of a day for the front desk, earliest first."""
    stmt = (
        _with_context()
        .add_columns(User)
        .join(User, User.id == Appointment.user_id)
        .where(
            AppointmentSlot.station_id == station_id,
            AppointmentSlot.starts_at >= start,
            AppointmentSlot.starts_at < end,
        )
    )
    if after is not None:
        stmt = stmt.where(tuple_(AppointmentSlot.starts_at, Appointment.id) > tuple_(*after))
    stmt = stmt.order_by(AppointmentSlot.starts_at, Appointment.id).limit(limit)
    return (await session.execute(stmt)).all()


async def set_status(
    session: AsyncSession,
    appointment_id: uuid.UUID,
    *,
    expected: Sequence[str],
    values: dict[str, Any],
) -> bool:
    """Change the status only from ``expected`` (two concurrent changes cannot both win)."""
    stmt = (
        update(Appointment)
        .where(Appointment.id == appointment_id, Appointment.status.in_(expected))
        .values(**values)
        .returning(Appointment.id)
    )
    return (await session.execute(stmt)).scalar_one_or_none() is not None
