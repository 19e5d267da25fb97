"""Station staff at the front desk: the day's appointments, check-in, and the outcome."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.clock import Clock, local_date, local_midnight
from app.core.keyset import TIME_ID
from app.core.pagination import Page
from app.identity.models import StaffAccount
from app.service_desk import appointment_repository as arepo
from app.service_desk import errors, notices
from app.service_desk import repository as repo
from app.service_desk.appointment_schemas import (
    OutcomeCreate,
    StaffAppointmentRead,
    StaffCancel,
)
from app.service_desk.appointments import appointment_read
from app.service_desk.dependencies import AppointmentRules


async def station_day(
    session: AsyncSession,
    clock: Clock,
    rules: AppointmentRules,
    station_id: uuid.UUID,
    day: date,
    *,
    cursor: str | None,
    limit: int,
) -> Page[StaffAppointmentRead]:
    if await repo.get_station(session, station_id, active_only=False) is None:
        raise errors.StationNotFound()
    start = local_midnight(day)
    rows = await arepo.station_appointments(
        session,
        station_id,
        start,
        start + timedelta(days=1),
        after=TIME_ID.decode(cursor),
        limit=limit + 1,
    )
    now = clock()
    shown, next_cursor = TIME_ID.cut(rows, limit, key=lambda row: (row[1].starts_at, row[0].id))
    items = [
        StaffAppointmentRead(
            **appointment_read(a, s, st, i, now=now, rules=rules).model_dump(),
            user_id=u.id,
            user_nickname=u.nickname,
        )
        for a, s, st, i, u in shown
    ]
    return Page[StaffAppointmentRead](items=items, next_cursor=next_cursor)


async def _staff_read(
    session: AsyncSession, clock: Clock, rules: AppointmentRules, appointment_id: uuid.UUID
) -> StaffAppointmentRead:
    row = await arepo.get_appointment(session, appointment_id, user_id=None)
    if row is None:
        raise errors.AppointmentNotFound()
    appointment = row[0]
    base = appointment_read(*row, now=clock(), rules=rules)
    return StaffAppointmentRead(
        **base.model_dump(), user_id=appointment.user_id, user_nickname=None
    )


async def check_in(
    session: AsyncSession,
    clock: Clock,
    rules: AppointmentRules,
    staff: StaffAccount,
    appointment_id: uuid.UUID,
) -> StaffAppointmentRead:
    row = await arepo.get_appointment(session, appointment_id, user_id=None)
    if row is None:
        raise errors.AppointmentNotFound()
    appointment, slot, _station, _item = row
    now = clock()
    if appointment.status != "booked":
        raise errors.CheckInNotAllowed(details={"status": appointment.status})
    if local_date(now) != local_date(slot.starts_at):
        raise errors.CheckInWrongDay(details={"starts_at": slot.starts_at.isoformat()})
    changed = await arepo.set_status(
        session,
        appointment.id,
        expected=["booked"],
        values={"status": "checked_in", "checked_in_at": now, "checked_in_by": staff.id},
    )
    if not changed:
        raise errors.CheckInNotAllowed()
    await record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action="appointment.check_in",
        subject_kind="appointment",
        subject_id=appointment.id,
        details={"user_id": str(appointment.user_id), "slot_id": str(slot.id)},
    )
    return await _staff_read(session, clock, rules, appointment.id)


async def record_outcome(
    session: AsyncSession,
    clock: Clock,
    rules: AppointmentRules,
    staff: StaffAccount,
    appointment_id: uuid.UUID,
    body: OutcomeCreate,
) -> StaffAppointmentRead:
    """A checked-in visit ends completed; a booked one whose time has passed can be a no-show."""
    row = await arepo.get_appointment(session, appointment_id, user_id=None)
    if row is None:
        raise errors.AppointmentNotFound()
    appointment, slot, _station, _item = row
    now = clock()
    if body.result == "no_show":
        allowed = appointment.status == "booked" and now >= slot.starts_at
        expected, status = ["booked"], "no_show"
    else:
        allowed = appointment.status == "checked_in"
        expected, status = ["checked_in"], "completed"
    if not allowed:
        raise errors.OutcomeNotAllowed(details={"status": appointment.status})
    values = {
        "status": status,
        "outcome": body.result,
        "outcome_note": body.note,
        "outcome_at": now,
        "outcome_by": staff.id,
    }
    if not await arepo.set_status(session, appointment.id, expected=expected, values=values):
        raise errors.OutcomeNotAllowed()
    await record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action="appointment.outcome",
        subject_kind="appointment",
        subject_id=appointment.id,
        details={"result": body.result, "user_id": str(appointment.user_id)},
    )
    return await _staff_read(session, clock, rules, appointment.id)


async def cancel_by_staff(
    session: AsyncSession,
    clock: Clock,
    rules: AppointmentRules,
    staff: StaffAccount,
    appointment_id: uuid.UUID,
    body: StaffCancel,
) -> StaffAppointmentRead:
    """The station cannot receive a booked visit: cancel it, free the place, tell the person."""
    row = await arepo.get_appointment(session, appointment_id, user_id=None)
    if row is None:
        raise errors.AppointmentNotFound()
    appointment, slot, station, item = row
    now = clock()
    if appointment.status != "booked":
        raise errors.NotCancellable(details={"status": appointment.status})
    values = {"status": "cancelled", "cancelled_at": now}
    if not await arepo.set_status(session, appointment.id, expected=["booked"], values=values):
        raise errors.NotCancellable()
    await arepo.free_place(session, slot.id)
    await record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action="appointment.cancel",
        subject_kind="appointment",
        subject_id=appointment.id,
        details={"user_id": str(appointment.user_id), "reason": body.reason},
    )
    await notices.cancelled_by_staff(session, now, appointment, slot, station, item, body.reason)
    return await _staff_read(session, clock, rules, appointment.id)
