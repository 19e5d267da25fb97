"""Appointment slots and bookings: capacity, cut-off, check-in and outcome."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.clock import Clock, local_date, local_midnight
from app.core.keyset import TIME_ID
from app.core.pagination import Page
from app.identity.models import StaffAccount, User
from app.service_desk import appointment_repository as arepo
from app.service_desk import errors, notices
from app.service_desk import repository as repo
from app.service_desk.appointment_schemas import (
    AppointmentCreate,
    AppointmentRead,
    DayAvailability,
    DaySlots,
    SlotBatchCreate,
    SlotCreate,
    SlotRead,
    StationAvailability,
)
from app.service_desk.dependencies import AppointmentRules
from app.service_desk.hours import Schedule
from app.service_desk.models import Appointment, AppointmentSlot, ServiceItem, Station
from app.service_desk.schemas import StationRef
from app.service_desk.service import item_ref, schedules


async def _schedule_for(session: AsyncSession, station: Station, day: date) -> Schedule:
    found = await schedules(session, [station], day - timedelta(days=1), day + timedelta(days=1))
    return found[station.id]


async def create_slots(
    session: AsyncSession,
    clock: Clock,
    staff: StaffAccount,
    station_id: uuid.UUID,
    body: SlotBatchCreate,
) -> list[SlotRead]:
    """All or nothing: every slot must be in the future, inside opening hours, not duplicated."""
    station = await repo.get_station(session, station_id, active_only=False)
    if station is None:
        raise errors.StationNotFound()
    now = clock()
    created: list[SlotRead] = []
    for index, slot in enumerate(body.slots):
        item, schedule = await _check_slot(session, station, slot, now, index)
        values = {
            "station_id": station.id,
            "service_item_id": item.id,
            "starts_at": slot.starts_at,
            "ends_at": slot.ends_at,
            "capacity": slot.capacity,
            "created_by": staff.id,
        }
        row = await arepo.insert_slot(session, values)
        if row is None:
            raise errors.SlotExists(
                details={"index": index, "starts_at": slot.starts_at.isoformat()}
            )
        created.append(_slot_read(row, item, now, schedule))
    await record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action="station.slots_create",
        subject_kind="station",
        subject_id=station.id,
        details={"slot_ids": [str(s.id) for s in created]},
    )
    return created


async def _check_slot(
    session: AsyncSession, station: Station, slot: SlotCreate, now: datetime, index: int
) -> tuple[ServiceItem, Schedule]:
    """The slot's service item and the schedule of its day, or the reason it cannot be made."""
    where = {"index": index, "starts_at": slot.starts_at.isoformat()}
    item = await repo.get_service_item(session, slot.service_item_code)
    if item is None or not await repo.offers_service(session, station.id, item.id):
        raise errors.ServiceNotOffered(details={**where, "code": slot.service_item_code})
    if slot.starts_at <= now:
        raise errors.SlotInPastCreate(details=where)
    day = local_date(slot.starts_at)
    schedule = await _schedule_for(session, station, day)
    if schedule.is_closed_day(day):
        raise errors.SlotOnClosedDay(details=where)
    if not schedule.covers(slot.starts_at, slot.ends_at):
        raise errors.SlotOutsideHours(details=where)
    return item, schedule


def _unavailable(slot: AppointmentSlot, now: datetime, schedule: Schedule) -> str | None:
    if slot.starts_at <= now:
        return "已过预约时间"
    if not schedule.covers(slot.starts_at, slot.ends_at):
        return "服务站该时段不开放"
    if slot.booked >= slot.capacity:
        return "已约满"
    return None


def _slot_read(
    slot: AppointmentSlot, item: ServiceItem, now: datetime, schedule: Schedule
) -> SlotRead:
    reason = _unavailable(slot, now, schedule)
    return SlotRead(
        id=slot.id,
        station_id=slot.station_id,
        service_item=item_ref(item),
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        capacity=slot.capacity,
        booked=slot.booked,
        remaining=slot.capacity - slot.booked,
        bookable=reason is None,
        unavailable_reason=reason,
    )


async def _station_and_item(
    session: AsyncSession, station_id: uuid.UUID, service_code: str | None
) -> tuple[Station, uuid.UUID | None]:
    """The station (404 if unknown) and the id of the service item asked for, if any."""
    station = await repo.get_station(session, station_id)
    if station is None:
        raise errors.StationNotFound()
    if service_code is None:
        return station, None
    item = await repo.get_service_item(session, service_code)
    if item is None:
        raise errors.ServiceItemNotFound(details={"code": service_code})
    return station, item.id


async def day_slots(
    session: AsyncSession,
    clock: Clock,
    station_id: uuid.UUID,
    day: date,
    service_code: str | None,
) -> DaySlots:
    station, item_id = await _station_and_item(session, station_id, service_code)
    start = local_midnight(day)
    rows = await arepo.slots_between(session, station.id, start, start + timedelta(days=1), item_id)
    schedule = await _schedule_for(session, station, day)
    now = clock()
    items = [_slot_read(slot, item, now, schedule) for slot, item in rows]
    return DaySlots(station_id=station.id, date=day, items=items)


async def availability(
    session: AsyncSession,
    clock: Clock,
    station_id: uuid.UUID,
    first_day: date,
    days: int,
    service_code: str | None,
) -> StationAvailability:
    """Per day of [first_day, first_day + days): the places free now, by the rules of day_slots."""
    station, item_id = await _station_and_item(session, station_id, service_code)
    dates = [first_day + timedelta(days=n) for n in range(days)]
    end = local_midnight(dates[-1] + timedelta(days=1))
    rows = await arepo.slots_between(session, station.id, local_midnight(first_day), end, item_id)
    found = await schedules(session, [station], dates[0] - timedelta(1), dates[-1] + timedelta(1))
    schedule, now = found[station.id], clock()
    counts = {day: [0, 0, 0] for day in dates}  # slots, bookable slots, free places
    for slot, _item in rows:
        day = counts[local_date(slot.starts_at)]
        day[0] += 1
        if _unavailable(slot, now, schedule) is None:
            day[1] += 1
            day[2] += slot.capacity - slot.booked
    days_read = [
        DayAvailability(date=day, slot_count=n, bookable_slot_count=b, free_places=free)
        for day, (n, b, free) in counts.items()
    ]
    return StationAvailability(station_id=station.id, days=days_read)


async def book(
    session: AsyncSession,
    clock: Clock,
    rules: AppointmentRules,
    user: User,
    body: AppointmentCreate,
) -> AppointmentRead:
    """Book a place; the conditional UPDATE on the slot is what keeps booked ≤ capacity."""
    found = await arepo.get_slot(session, body.slot_id)
    if found is None:
        raise errors.SlotNotFound()
    slot, station, item = found
    if not station.is_active:
        raise errors.StationClosed()
    now = clock()
    if slot.starts_at <= now:
        raise errors.SlotInPast(details={"starts_at": slot.starts_at.isoformat()})
    schedule = await _schedule_for(session, station, local_date(slot.starts_at))
    if not schedule.covers(slot.starts_at, slot.ends_at):
        raise errors.SlotOutsideOpeningHours()
    if await arepo.has_active_booking(session, slot.id, user.id):
        raise errors.AlreadyBooked()
    if await arepo.take_place(session, slot.id) is None:
        raise errors.SlotFull()
    # The slot row is locked by this transaction now: a concurrent booking of the same person
    # waits here, and the partial unique index is the last word either way.
    appointment_id = await arepo.insert_appointment(
        session, {"slot_id": slot.id, "user_id": user.id, "note": body.note, "status": "booked"}
    )
    if appointment_id is None:
        raise errors.AlreadyBooked()
    await notices.booked(session, now, appointment_id, user.id, slot, station, item)
    return await _read(session, clock, rules, appointment_id, user_id=user.id)


async def _read(
    session: AsyncSession,
    clock: Clock,
    rules: AppointmentRules,
    appointment_id: uuid.UUID,
    *,
    user_id: uuid.UUID | None,
) -> AppointmentRead:
    row = await arepo.get_appointment(session, appointment_id, user_id=user_id)
    if row is None:
        raise errors.AppointmentNotFound()
    return appointment_read(*row, now=clock(), rules=rules)


def _fields(
    appointment: Appointment,
    slot: AppointmentSlot,
    station: Station,
    item: ServiceItem,
    *,
    now: datetime,
    rules: AppointmentRules,
) -> dict[str, Any]:
    deadline = slot.starts_at - rules.cancel_cutoff
    return {
        "id": appointment.id,
        "status": appointment.status,
        "slot_id": slot.id,
        "starts_at": slot.starts_at,
        "ends_at": slot.ends_at,
        "station": StationRef.model_validate(station),
        "service_item": item_ref(item),
        "note": appointment.note,
        "cancel_deadline": deadline,
        "can_cancel": appointment.status == "booked" and now < deadline,
        "created_at": appointment.created_at,
        "cancelled_at": appointment.cancelled_at,
        "checked_in_at": appointment.checked_in_at,
        "outcome": appointment.outcome,
        "outcome_note": appointment.outcome_note,
    }


def appointment_read(
    appointment: Appointment,
    slot: AppointmentSlot,
    station: Station,
    item: ServiceItem,
    *,
    now: datetime,
    rules: AppointmentRules,
) -> AppointmentRead:
    return AppointmentRead(**_fields(appointment, slot, station, item, now=now, rules=rules))


async def my_appointments(
    session: AsyncSession,
    clock: Clock,
    rules: AppointmentRules,
    user: User,
    *,
    status: str | None,
    cursor: str | None,
    limit: int,
) -> Page[AppointmentRead]:
    before = TIME_ID.decode(cursor)
    rows = await arepo.user_appointments(
        session, user.id, status=status, before=before, limit=limit + 1
    )
    now = clock()
    return TIME_ID.page(
        rows,
        limit,
        key=lambda row: (row[1].starts_at, row[0].id),
        item=lambda row: appointment_read(*row, now=now, rules=rules),
    )


async def cancel(
    session: AsyncSession,
    clock: Clock,
    rules: AppointmentRules,
    user: User,
    appointment_id: uuid.UUID,
) -> AppointmentRead:
    row = await arepo.get_appointment(session, appointment_id, user_id=user.id)
    if row is None:
        raise errors.AppointmentNotFound()
    appointment, slot, _station, _item = row
    if appointment.status != "booked":
        raise errors.NotCancellable(details={"status": appointment.status})
    now = clock()
    deadline = slot.starts_at - rules.cancel_cutoff
    if now >= deadline:
        raise errors.CancelCutoffPassed(details={"cancel_deadline": deadline.isoformat()})
    changed = await arepo.set_status(
        session,
        appointment.id,
        expected=["booked"],
        values={"status": "cancelled", "cancelled_at": now},
    )
    if not changed:
        raise errors.NotCancellable()
    await arepo.free_place(session, slot.id)
    return await _read(session, clock, rules, appointment.id, user_id=user.id)


async def get_mine(
    session: AsyncSession,
    clock: Clock,
    rules: AppointmentRules,
    user: User,
    appointment_id: uuid.UUID,
) -> AppointmentRead:
    return await _read(session, clock, rules, appointment_id, user_id=user.id)
