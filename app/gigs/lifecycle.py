"""After booking: check-in on site, completion, pay and its confirmation or dispute, ratings.

    booked ──check-in──▶ checked_in ──complete──▶ completed        (cancel: booked only)
    payment: unpaid ──poster reports──▶ reported ──worker confirms──▶ confirmed
                    └────────────── worker disputes ──────────────▶ disputed (+ wage complaint)

Lock order as in ``booking_service``: worker profile, then gig, then booking.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.geo import haversine_km
from app.gigs import booking_repository as repo
from app.gigs import errors, notices, repository
from app.gigs.models import Gig, GigBooking, GigRating
from app.gigs.ports import WageComplaintOpener
from app.gigs.rules import check_in_open
from app.identity.models import User


async def _party_booking(
    session: AsyncSession, user: User, booking_id: uuid.UUID
) -> tuple[GigBooking, Gig, str]:
    booking = await repo.get_booking(session, booking_id, user.id)
    if booking is None:
        raise errors.BookingNotFound()
    gig = await session.get(Gig, booking.gig_id)
    assert gig is not None
    return booking, gig, "worker" if booking.worker_id == user.id else "poster"


async def _gig_of(session: AsyncSession, booking: GigBooking) -> Gig:
    gig = await session.get(Gig, booking.gig_id)
    assert gig is not None
    return gig


def _require(side: str, wanted: str) -> None:
    if side != wanted:
        message = "该操作需由零工本人进行" if wanted == "worker" else "该操作需由发布者进行"
        raise errors.NotYourDecision(message)


async def check_in(
    session: AsyncSession,
    user: User,
    booking_id: uuid.UUID,
    location: tuple[float, float] | None,
    now: datetime,
) -> GigBooking:
    """The worker checks in on site, from 2 hours before the start until the end."""
    found, gig, side = await _party_booking(session, user, booking_id)
    _require(side, "worker")
    locked_gig = await repository.lock_gig(session, gig.id)
    booking = await repo.lock_booking(session, found.id)
    assert locked_gig is not None
    if booking.status != "booked":
        raise errors.BookingStateInvalid("该预约已签到、已完工或已取消")
    if not check_in_open(locked_gig.starts_at, locked_gig.ends_at, now):
        raise errors.CheckInWindow()
    values: dict[str, object] = {"status": "checked_in", "checked_in_at": now}
    if location is not None:
        lat, lng = location
        distance = haversine_km(lat, lng, locked_gig.latitude, locked_gig.longitude)
        values |= {"check_in_lat": lat, "check_in_lng": lng, "check_in_distance_km": distance}
    await repo.set_booking(session, booking.id, **values)
    if locked_gig.status in ("open", "full"):
        locked_gig.status = "in_progress"
    await session.flush()
    await session.refresh(booking)
    return booking


async def complete(
    session: AsyncSession, user: User, booking_id: uuid.UUID, now: datetime
) -> GigBooking:
    """Either side marks the work done (after the start); the gig completes with its last one."""
    found, gig, _side = await _party_booking(session, user, booking_id)
    await repository.lock_profile(session, found.worker_id)
    locked_gig = await repository.lock_gig(session, gig.id)
    booking = await repo.lock_booking(session, found.id)
    assert locked_gig is not None
    if booking.status not in ("booked", "checked_in"):
        raise errors.BookingStateInvalid("该预约已完工或已取消")
    if now < locked_gig.starts_at:
        raise errors.NotStartedYet()
    await repo.set_booking(session, booking.id, status="completed", completed_at=now)
    await repository.add_worker_counts(session, booking.worker_id, completed_count=1)
    await repository.add_poster_counts(session, locked_gig.poster_id, completed_count=1)
    if await repo.count_active(session, locked_gig.id) == 0:
        locked_gig.status, locked_gig.completed_at = "completed", now
        await repo.close_pending_applications(session, locked_gig.id)
    elif locked_gig.status in ("open", "full"):
        locked_gig.status = "in_progress"
    await session.flush()
    await session.refresh(booking)
    return booking


async def _locked_completed(
    session: AsyncSession, user: User, booking_id: uuid.UUID, side: str
) -> GigBooking:
    found, _gig, actual = await _party_booking(session, user, booking_id)
    _require(actual, side)
    booking = await repo.lock_booking(session, found.id)
    if booking.status != "completed":
        raise errors.BookingStateInvalid("完工后才能确认工钱")
    return booking


async def report_payment(
    session: AsyncSession,
    user: User,
    booking_id: uuid.UUID,
    amount_fen: int,
    note: str | None,
    now: datetime,
) -> GigBooking:
    """The poster says the pay was settled, and how much."""
    booking = await _locked_completed(session, user, booking_id, "poster")
    if booking.payment_status != "unpaid":
        raise errors.PaymentStateInvalid()
    await repo.set_booking(
        session,
        booking.id,
        payment_status="reported",
        paid_amount_fen=amount_fen,
        paid_reported_at=now,
        payment_note=note,
    )
    await session.refresh(booking)
    await notices.pay_reported(session, now, booking, await _gig_of(session, booking))
    return booking


async def confirm_receipt(
    session: AsyncSession, user: User, booking_id: uuid.UUID, now: datetime
) -> GigBooking:
    """The worker confirms the pay arrived."""
    booking = await _locked_completed(session, user, booking_id, "worker")
    if booking.payment_status != "reported":
        raise errors.PaymentStateInvalid("发布者尚未确认付款，或已确认收款/已提出异议")
    await repo.set_booking(
        session, booking.id, payment_status="confirmed", receipt_confirmed_at=now
    )
    await session.refresh(booking)
    await notices.pay_confirmed(session, now, booking, await _gig_of(session, booking))
    return booking


async def dispute(
    session: AsyncSession,
    user: User,
    booking_id: uuid.UUID,
    reason: str,
    owed_fen: int | None,
    now: datetime,
    open_complaint: WageComplaintOpener,
) -> GigBooking:
    """The worker disputes the pay (not paid, or not in full): a wage complaint opens."""
    booking = await _locked_completed(session, user, booking_id, "worker")
    if booking.payment_status not in ("unpaid", "reported"):
        raise errors.PaymentStateInvalid("工钱已确认收到或已提出异议")
    complaint_id = await open_complaint(session, booking.worker_id, booking.id, reason, owed_fen)
    await repo.set_booking(
        session,
        booking.id,
        payment_status="disputed",
        disputed_at=now,
        dispute_reason=reason,
        complaint_id=complaint_id,
    )
    await session.refresh(booking)
    return booking


async def rate(
    session: AsyncSession,
    user: User,
    booking_id: uuid.UUID,
    score: int,
    tags: list[str],
    comment: str,
) -> GigRating:
    """One rating per side after completion; it feeds the other side's aggregates."""
    booking, gig, side = await _party_booking(session, user, booking_id)
    if booking.status != "completed":
        raise errors.RatingNotAllowed()
    ratee = gig.poster_id if side == "worker" else booking.worker_id
    rating = GigRating(
        id=uuid.uuid4(),
        booking_id=booking.id,
        rater_side=side,
        rater_id=user.id,
        ratee_id=ratee,
        score=score,
        tags=tags,
        comment=comment,
    )
    if not await repo.insert_rating(session, rating):
        raise errors.AlreadyRated()
    if side == "worker":
        await repository.add_poster_counts(session, ratee, rating_count=1, rating_sum=score)
    else:
        await repository.add_worker_counts(session, ratee, rating_count=1, rating_sum=score)
    stored = await session.get(GigRating, rating.id)
    assert stored is not None
    return stored
