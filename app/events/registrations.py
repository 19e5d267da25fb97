"""Seekers sign up for events and are checked in at the door by scanning a signed code."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.clock import Clock
from app.core.keyset import TIME_ID, created_key
from app.core.pagination import Page
from app.events import errors, notices
from app.events import registration_repository as rrepo
from app.events import repository as repo
from app.events.checkin_code import CheckInClaims, CheckInCodec, MalformedCode
from app.events.models import EventRegistration, RecruitmentEvent
from app.events.schemas import CheckInRead, RegistrationRead, StaffRegistrationRead
from app.identity.models import StaffAccount, User

# Staff may start scanning this long before the event starts (queues form early).
CHECK_IN_OPENS_BEFORE = timedelta(hours=2)


def _read(
    codec: CheckInCodec, registration: EventRegistration, event: RecruitmentEvent
) -> RegistrationRead:
    code = None
    if registration.status == "registered":
        code = codec.issue(registration.id, event.id, event.ends_at)
    return RegistrationRead(
        id=registration.id,
        event_id=event.id,
        event_title=event.title,
        event_starts_at=event.starts_at,
        event_ends_at=event.ends_at,
        status=registration.status,
        check_in_code=code,
        check_in_expires_at=event.ends_at,
        created_at=registration.created_at,
        checked_in_at=registration.checked_in_at,
    )


async def _mine(
    session: AsyncSession, codec: CheckInCodec, user: User, registration_id: uuid.UUID
) -> RegistrationRead:
    row = await rrepo.get_registration(session, registration_id, user_id=user.id)
    if row is None:
        raise errors.RegistrationNotFound()
    return _read(codec, *row)


async def register(
    session: AsyncSession, clock: Clock, codec: CheckInCodec, user: User, event_id: uuid.UUID
) -> RegistrationRead:
    """One registration per person; the limit is a conditional UPDATE on the event row."""
    event = await repo.get_event(session, event_id)
    if event is None or event.status == "cancelled":
        raise errors.EventNotFound()
    if event.registration_limit == 0:
        raise errors.RegistrationNotOpen()
    if clock() >= event.ends_at:
        raise errors.EventEnded()
    if await rrepo.has_active(session, event.id, user.id):
        raise errors.AlreadyRegistered()
    if not await repo.take_registration(session, event.id):
        raise errors.RegistrationFull(details={"registration_limit": event.registration_limit})
    registration_id = await rrepo.insert_registration(session, event.id, user.id)
    if registration_id is None:
        raise errors.AlreadyRegistered()
    await notices.registration_confirmed(session, clock(), registration_id, event)
    return await _mine(session, codec, user, registration_id)


async def my_registrations(
    session: AsyncSession, codec: CheckInCodec, user: User, *, cursor: str | None, limit: int
) -> Page[RegistrationRead]:
    rows = await rrepo.user_registrations(
        session, user.id, before=TIME_ID.decode(cursor), limit=limit + 1
    )
    return TIME_ID.page(
        rows,
        limit,
        key=lambda row: (row[1].starts_at, row[0].id),
        item=lambda row: _read(codec, *row),
    )


async def get_mine(
    session: AsyncSession, codec: CheckInCodec, user: User, registration_id: uuid.UUID
) -> RegistrationRead:
    return await _mine(session, codec, user, registration_id)


async def cancel(
    session: AsyncSession,
    clock: Clock,
    codec: CheckInCodec,
    user: User,
    registration_id: uuid.UUID,
) -> RegistrationRead:
    """Cancel before the event starts; the place goes back to the pool."""
    row = await rrepo.get_registration(session, registration_id, user_id=user.id)
    if row is None:
        raise errors.RegistrationNotFound()
    registration, event = row
    now = clock()
    if now >= event.starts_at:
        raise errors.RegistrationNotCancellable()
    values = {"status": "cancelled", "cancelled_at": now}
    if not await rrepo.set_status(session, registration.id, expected="registered", values=values):
        raise errors.RegistrationNotCancellable(details={"status": registration.status})
    await repo.free_registration(session, event.id)
    return await _mine(session, codec, user, registration.id)


async def check_in(
    session: AsyncSession,
    clock: Clock,
    codec: CheckInCodec,
    staff: StaffAccount,
    event_id: uuid.UUID,
    token: str,
) -> CheckInRead:
    """Verify the scanned code: genuine, this event, not expired, not used, not cancelled."""
    event = await repo.get_event(session, event_id)
    if event is None:
        raise errors.EventNotFound()
    now = clock()
    claims = _verified(codec, token, event, now)
    row = await rrepo.get_registration(session, claims.registration_id, user_id=None)
    if row is None or row[0].event_id != event.id:
        raise errors.CheckInCodeInvalid()
    values = {"status": "checked_in", "checked_in_at": now, "checked_in_by": staff.id}
    if not await rrepo.set_status(
        session, claims.registration_id, expected="registered", values=values
    ):
        await _why_not(session, claims.registration_id)
    await record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action="event.check_in",
        subject_kind="event_registration",
        subject_id=claims.registration_id,
        details={"event_id": str(event.id)},
    )
    registration, _ = await _fresh(session, claims.registration_id)
    user = await session.get(User, registration.user_id)
    return CheckInRead(
        registration_id=registration.id,
        event_id=event.id,
        user_id=registration.user_id,
        user_nickname=user.nickname if user else None,
        checked_in_at=now,
    )


def _verified(
    codec: CheckInCodec, token: str, event: RecruitmentEvent, now: datetime
) -> CheckInClaims:
    """The claims of a genuine, unexpired code of this event, at a time the doors are open."""
    try:
        claims = codec.verify(token)
    except MalformedCode:
        raise errors.CheckInCodeInvalid() from None
    if claims.event_id != event.id:
        raise errors.CheckInOtherEvent()
    if now >= claims.expires_at:
        raise errors.CheckInCodeExpired(details={"expired_at": claims.expires_at.isoformat()})
    if now < event.starts_at - CHECK_IN_OPENS_BEFORE:
        raise errors.CheckInNotOpen()
    return claims


async def _fresh(
    session: AsyncSession, registration_id: uuid.UUID
) -> tuple[EventRegistration, RecruitmentEvent]:
    row = await rrepo.get_registration(session, registration_id, user_id=None)
    assert row is not None
    return row[0], row[1]


async def _why_not(session: AsyncSession, registration_id: uuid.UUID) -> None:
    registration, _ = await _fresh(session, registration_id)
    if registration.status == "cancelled":
        raise errors.CheckInCancelled()
    at = registration.checked_in_at.isoformat() if registration.checked_in_at else None
    raise errors.CheckInCodeUsed(details={"checked_in_at": at})


async def event_registrations(
    session: AsyncSession, event_id: uuid.UUID, *, cursor: str | None, limit: int
) -> Page[StaffRegistrationRead]:
    if await repo.get_event(session, event_id) is None:
        raise errors.EventNotFound()
    rows = await rrepo.event_registrations(
        session, event_id, after=TIME_ID.decode(cursor), limit=limit + 1
    )
    return TIME_ID.page(
        rows,
        limit,
        key=lambda row: created_key(row[0]),
        item=lambda row: StaffRegistrationRead(
            id=row[0].id,
            user_id=row[1].id,
            user_nickname=row[1].nickname,
            status=row[0].status,
            created_at=row[0].created_at,
            checked_in_at=row[0].checked_in_at,
        ),
    )
