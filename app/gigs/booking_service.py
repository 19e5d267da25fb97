"""Applications, invitations and the bookings they become — never overbooked, never overlapping.

Every path that books or cancels takes its row locks in one order — the worker's gig profile, then
the gig, then the application or booking — so two requests can wait for each other but never
deadlock:

* the worker's profile lock serialises that worker's bookings, so the overlap check that follows
  sees every booking committed before it (no double booking across gigs);
* the gig lock serialises the gig's bookings, and ``booked_count`` is raised by a conditional
  ``UPDATE … WHERE booked_count < headcount`` under a CHECK constraint (no overbooking).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.gigs import booking_repository as repo
from app.gigs import errors, notices, repository
from app.gigs.models import Gig, GigApplication, GigBooking
from app.gigs.rules import LATE_CANCEL_HOURS, is_late
from app.identity.models import User

REOPENABLE = ("withdrawn", "closed")


def _check_bookable(gig: Gig, now: datetime) -> None:
    if gig.status == "full":
        raise errors.GigFull()
    if gig.status != "open":
        raise errors.GigNotOpen()
    if gig.starts_at <= now:
        raise errors.GigStarted()


async def _open_application(
    session: AsyncSession,
    gig: Gig,
    worker_id: uuid.UUID,
    origin: str,
    message: str,
) -> GigApplication:
    """Insert (or reopen a withdrawn / closed) application; a second one is refused."""
    existing = await repo.get_application_for(session, gig.id, worker_id)
    if existing is not None:
        if existing.status not in REOPENABLE:
            if existing.status == "declined":
                raise errors.ApplicationClosed("对方已谢绝，不能再次报名或邀请")
            raise errors.AlreadyApplied()
        existing.origin, existing.status, existing.message = origin, "pending", message
        existing.decided_at = None
        await session.flush()
        return existing
    application = GigApplication(
        gig_id=gig.id, worker_id=worker_id, origin=origin, status="pending", message=message
    )
    inserted = await repo.insert_application(session, application)
    if inserted is None:  # a concurrent double tap won the unique index
        raise errors.AlreadyApplied()
    return inserted


async def apply(
    session: AsyncSession, user: User, gig_id: uuid.UUID, message: str, now: datetime
) -> GigApplication:
    """A worker applies; their phone becomes visible to the poster."""
    if await repository.get_profile(session, user.id) is None:
        raise errors.ProfileRequired()
    gig = await repository.get_readable(session, gig_id, user.id)
    if gig is None:
        raise errors.GigNotFound()
    if gig.poster_id == user.id:
        raise errors.OwnGig()
    _check_bookable(gig, now)
    if await repo.has_overlapping_booking(session, user.id, gig.id):
        raise errors.TimeConflict()
    return await _open_application(session, gig, user.id, "worker", message)


async def invite(
    session: AsyncSession,
    user: User,
    gig_id: uuid.UUID,
    worker_id: uuid.UUID,
    message: str,
    now: datetime,
) -> GigApplication:
    """The poster invites a worker (typically one found in the gig's matches)."""
    gig = await repository.get_own(session, gig_id, user.id)
    if gig is None:
        raise errors.GigNotFound()
    if worker_id == user.id or await repository.get_profile(session, worker_id) is None:
        raise errors.WorkerNotFound()
    _check_bookable(gig, now)
    return await _open_application(session, gig, worker_id, "poster", message)


def _decider(application: GigApplication, gig: Gig) -> uuid.UUID:
    """Who answers: the poster answers applications, the worker answers invitations."""
    return gig.poster_id if application.origin == "worker" else application.worker_id


async def _party_application(
    session: AsyncSession, user: User, application_id: uuid.UUID
) -> tuple[GigApplication, Gig]:
    application = await repo.get_application(session, application_id, user.id)
    if application is None:
        raise errors.ApplicationNotFound()
    gig = await session.get(Gig, application.gig_id)
    assert gig is not None
    return application, gig


async def accept(
    session: AsyncSession, user: User, application_id: uuid.UUID, now: datetime
) -> GigBooking:
    """Accept an application (poster) or an invitation (worker) → a booking.

    Accepting an already accepted one returns its booking (a retried tap is harmless).
    """
    application, gig = await _party_application(session, user, application_id)
    if _decider(application, gig) != user.id:
        raise errors.NotYourDecision()
    if await repository.lock_profile(session, application.worker_id) is None:
        raise errors.WorkerNotFound()
    locked_gig = await repository.lock_gig(session, gig.id)
    locked = await repo.lock_application(session, application.id)
    assert locked_gig is not None and locked is not None
    if locked.status == "accepted":
        booking = await repo.booking_for_application(session, locked.id)
        if booking is not None:
            return booking
    if locked.status != "pending":
        raise errors.ApplicationClosed()
    _check_bookable(locked_gig, now)
    if await repo.has_overlapping_booking(session, locked.worker_id, locked_gig.id):
        raise errors.TimeConflict()
    if not await repo.take_place(session, locked_gig.id):
        raise errors.GigFull()
    booking = GigBooking(gig_id=locked_gig.id, worker_id=locked.worker_id, application_id=locked.id)
    session.add(booking)
    locked.status, locked.decided_at = "accepted", now
    await session.flush()
    await session.refresh(booking)
    await notices.accepted(session, now, locked, locked_gig, booking)
    return booking


async def answer(
    session: AsyncSession, user: User, application_id: uuid.UUID, *, withdraw: bool, now: datetime
) -> GigApplication:
    """Decline (the side that answers) or withdraw (the side that asked) a pending one."""
    application, gig = await _party_application(session, user, application_id)
    decider = _decider(application, gig)
    if (user.id != decider) != withdraw:
        raise errors.NotYourDecision("只能由报名方撤回，或由对方谢绝")
    locked = await repo.lock_application(session, application.id)
    assert locked is not None
    if locked.status != "pending":
        raise errors.ApplicationClosed()
    locked.status, locked.decided_at = ("withdrawn" if withdraw else "declined"), now
    await session.flush()
    if not withdraw:
        await notices.declined(session, now, locked, gig)
    return locked


async def release_place(session: AsyncSession, gig: Gig, now: datetime) -> None:
    """One booking fewer: a full gig opens again (if it has not started)."""
    reopen = gig.status == "full" and gig.starts_at > now
    await session.execute(
        update(Gig)
        .where(Gig.id == gig.id)
        .values(
            booked_count=Gig.booked_count - 1,
            status="open" if reopen else gig.status,
        )
    )
    await session.refresh(gig)


async def cancel_booking(
    session: AsyncSession,
    user: User,
    booking_id: uuid.UUID,
    reason: str,
    now: datetime,
    late_hours: float = LATE_CANCEL_HOURS,
) -> GigBooking:
    """Either side cancels before check-in; a late cancellation counts against whoever cancels."""
    found = await repo.get_booking(session, booking_id, user.id)
    if found is None:
        raise errors.BookingNotFound()
    side = "worker" if found.worker_id == user.id else "poster"
    await repository.lock_profile(session, found.worker_id)
    gig = await repository.lock_gig(session, found.gig_id)
    booking = await repo.lock_booking(session, found.id)
    assert gig is not None
    if booking.status != "booked":
        raise errors.BookingStateInvalid("只有未签到的预约可以取消")
    late = is_late(gig.starts_at, now, late_hours)
    await repo.set_booking(
        session,
        booking.id,
        status="cancelled",
        cancelled_at=now,
        cancelled_by=side,
        cancel_reason=reason,
        late_cancellation=late,
    )
    await repo.set_application_status(session, booking.application_id, "closed", now)
    await release_place(session, gig, now)
    if gig.status == "in_progress" and await repo.count_active(session, gig.id) == 0:
        # The others already finished: the last cancellation ends the gig.
        gig.status, gig.completed_at = "completed", now
        await session.flush()
    counts = {"cancelled_count": 1, "late_cancelled_count": int(late)}
    if side == "worker":
        await repository.add_worker_counts(session, booking.worker_id, **counts)
    else:
        await repository.add_poster_counts(session, gig.poster_id, **counts)
    await session.refresh(booking)
    await notices.booking_cancelled(session, now, gig, [booking], side, reason)
    return booking


async def party_booking(session: AsyncSession, user: User, booking_id: uuid.UUID) -> GigBooking:
    """A booking for its worker or its gig's poster (404 for anyone else)."""
    booking = await repo.get_booking(session, booking_id, user.id)
    if booking is None:
        raise errors.BookingNotFound()
    return booking
