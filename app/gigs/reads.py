"""Response bodies that need a few more rows: contacts, applications, ratings, poster records.

Masking rules: a worker's name and phone are masked to a poster until the worker applies or
accepts an invitation; a gig's contact phone is masked to a worker until they apply, are invited
or are booked.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security import Security
from app.gigs import booking_repository, repository, views
from app.gigs.booking_schemas import (
    ApplicationRead,
    BookingRead,
    PersonContact,
    RatingRead,
)
from app.gigs.models import Gig, GigApplication, GigBooking
from app.gigs.schemas import GigRead
from app.identity.models import User


def worker_revealed(application: GigApplication | None) -> bool:
    """A worker who applied (not withdrawn), or who accepted an invitation, shows their contact."""
    if application is None:
        return False
    return revealed_by(application.origin, application.status)


def revealed_by(origin: str, status: str) -> bool:
    """``worker_revealed`` from an application's origin and status."""
    if origin == "worker":
        return status != "withdrawn"
    return status in ("accepted", "closed")


def gig_contact_revealed(application: GigApplication | None) -> bool:
    return application is not None and application.status != "withdrawn"


async def users_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, User]:
    if not ids:
        return {}
    rows = await session.execute(select(User).where(User.id.in_(set(ids))))
    return {u.id: u for u in rows.scalars()}


def person(security: Security, user: User, *, revealed: bool) -> PersonContact:
    name, phone = views.contact_of(security, user, revealed=revealed)
    return PersonContact(user_id=user.id, name=name, phone=phone, revealed=revealed)


async def gig_read(
    session: AsyncSession,
    security: Security,
    gig: Gig,
    viewer_id: uuid.UUID | None,
    distance: float | None = None,
) -> GigRead:
    occurrences = await repository.occurrences(session, gig.id)
    stats = await repository.get_poster_stats(session, gig.poster_id)
    mine = viewer_id == gig.poster_id
    application = (
        await booking_repository.get_application_for(session, gig.id, viewer_id)
        if viewer_id is not None and not mine
        else None
    )
    revealed = mine or gig_contact_revealed(application)
    notes = [f["message"] for f in gig.moderation.get("findings", [])] if mine else []
    if mine and gig.moderation.get("staff_reason"):
        notes.append(f"审核意见：{gig.moderation['staff_reason']}")
    return GigRead(
        **views.gig_list_item(gig, distance).model_dump(),
        description=gig.description,
        occurrences=views.occurrence_reads(occurrences),
        contact_name=gig.contact_name,
        contact_phone=views.masked_contact_phone(security, gig, revealed),
        contact_revealed=revealed,
        poster=views.track_read(views.track_of(stats)),
        is_mine=mine,
        my_application_status=application.status if application else None,
        moderation_notes=notes,
        cancel_reason=gig.cancel_reason,
    )


async def application_reads(
    session: AsyncSession,
    security: Security,
    rows: Sequence[tuple[GigApplication, Gig]],
    *,
    for_poster: bool,
) -> list[ApplicationRead]:
    users = await users_by_id(session, [a.worker_id for a, _ in rows]) if for_poster else {}
    accepted = [a.id for a, _ in rows if a.status == "accepted"]
    bookings = await booking_repository.bookings_for_applications(session, accepted)
    out = []
    for application, gig in rows:
        worker = users.get(application.worker_id)
        out.append(
            ApplicationRead(
                id=application.id,
                gig_id=application.gig_id,
                worker_id=application.worker_id,
                origin=application.origin,
                status=application.status,
                message=application.message,
                created_at=application.created_at,
                decided_at=application.decided_at,
                booking_id=bookings.get(application.id),
                worker=(
                    person(security, worker, revealed=worker_revealed(application))
                    if worker is not None
                    else None
                ),
                gig=None if for_poster else views.gig_list_item(gig),
            )
        )
    return out


async def application_read(
    session: AsyncSession, security: Security, viewer_id: uuid.UUID, application: GigApplication
) -> ApplicationRead:
    """One application as its poster or its worker sees it."""
    gig = await session.get(Gig, application.gig_id)
    assert gig is not None
    rows = [(application, gig)]
    return (
        await application_reads(session, security, rows, for_poster=gig.poster_id == viewer_id)
    )[0]


async def booking_read(
    session: AsyncSession, security: Security, viewer_id: uuid.UUID, booking: GigBooking
) -> BookingRead:
    """One booking as its poster or its worker sees it (the gig's counts freshly read)."""
    gig = await session.get(Gig, booking.gig_id)
    assert gig is not None
    await session.refresh(gig)
    return (await booking_reads(session, security, [(booking, gig)], viewer_id))[0]


async def booking_reads(
    session: AsyncSession,
    security: Security,
    rows: Sequence[tuple[GigBooking, Gig]],
    viewer_id: uuid.UUID,
) -> list[BookingRead]:
    users = await users_by_id(session, [b.worker_id for b, _ in rows])
    all_ratings = await booking_repository.ratings_of_bookings(session, [b.id for b, _ in rows])
    out = []
    for booking, gig in rows:
        ratings = all_ratings[booking.id]
        side = "worker" if booking.worker_id == viewer_id else "poster"
        mine = next((r for r in ratings if r.rater_side == side), None)
        theirs = next((r for r in ratings if r.rater_side != side), None)
        out.append(
            BookingRead(
                id=booking.id,
                gig_id=booking.gig_id,
                worker_id=booking.worker_id,
                my_side=side,
                status=booking.status,
                checked_in_at=booking.checked_in_at,
                check_in_distance_km=booking.check_in_distance_km,
                completed_at=booking.completed_at,
                cancelled_at=booking.cancelled_at,
                cancelled_by=booking.cancelled_by,
                cancel_reason=booking.cancel_reason,
                late_cancellation=booking.late_cancellation,
                payment_status=booking.payment_status,
                paid_amount_fen=booking.paid_amount_fen,
                paid_reported_at=booking.paid_reported_at,
                payment_note=booking.payment_note,
                receipt_confirmed_at=booking.receipt_confirmed_at,
                disputed_at=booking.disputed_at,
                dispute_reason=booking.dispute_reason,
                complaint_id=booking.complaint_id,
                created_at=booking.created_at,
                gig=views.gig_list_item(gig),
                worker=person(security, users[booking.worker_id], revealed=True),
                gig_contact_name=gig.contact_name,
                gig_contact_phone=views.contact_phone_of(security, gig),
                my_rating=RatingRead.model_validate(mine, from_attributes=True) if mine else None,
                their_rating=(
                    RatingRead.model_validate(theirs, from_attributes=True) if theirs else None
                ),
            )
        )
    return out
