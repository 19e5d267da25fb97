"""SQL for applications (and invitations), bookings and ratings.

Who may see a booking is decided here: its worker, or the poster of its gig (``party_clause``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.gigs.models import (
    ACTIVE_BOOKING_STATUSES,
    Gig,
    GigApplication,
    GigBooking,
    GigOccurrence,
    GigRating,
)
from app.identity.models import User

# --- applications -------------------------------------------------------------------------------


async def get_application_for(
    session: AsyncSession, gig_id: uuid.UUID, worker_id: uuid.UUID
) -> GigApplication | None:
    stmt = select(GigApplication).where(
        GigApplication.gig_id == gig_id, GigApplication.worker_id == worker_id
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def workers_and_applications(
    session: AsyncSession, gig_id: uuid.UUID, worker_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[User, GigApplication | None]]:
    """Each worker with their application to the gig, if any (one round trip for a page)."""
    if not worker_ids:
        return {}
    stmt = (
        select(User, GigApplication)
        .outerjoin(
            GigApplication,
            and_(GigApplication.gig_id == gig_id, GigApplication.worker_id == User.id),
        )
        .where(User.id.in_(set(worker_ids)))
    )
    return {user.id: (user, application) for user, application in await session.execute(stmt)}


def application_party_clause(user_id: uuid.UUID) -> ColumnElement[bool]:
    """The worker of the application, or the poster of its gig."""
    return or_(
        GigApplication.worker_id == user_id,
        exists().where(Gig.id == GigApplication.gig_id, Gig.poster_id == user_id),
    )


async def get_application(
    session: AsyncSession, application_id: uuid.UUID, user_id: uuid.UUID
) -> GigApplication | None:
    stmt = select(GigApplication).where(
        GigApplication.id == application_id, application_party_clause(user_id)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def lock_application(
    session: AsyncSession, application_id: uuid.UUID
) -> GigApplication | None:
    stmt = (
        select(GigApplication)
        .where(GigApplication.id == application_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def list_applications_for_gig(
    session: AsyncSession,
    gig_id: uuid.UUID,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[GigApplication]:
    stmt = (
        select(GigApplication)
        .where(GigApplication.gig_id == gig_id)
        .order_by(GigApplication.created_at, GigApplication.id)
        .limit(limit)
    )
    if after is not None:
        stmt = stmt.where(tuple_(GigApplication.created_at, GigApplication.id) > after)
    return list((await session.execute(stmt)).scalars())


async def list_applications_of_worker(
    session: AsyncSession,
    worker_id: uuid.UUID,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[tuple[GigApplication, Gig]]:
    stmt = (
        select(GigApplication, Gig)
        .join(Gig, Gig.id == GigApplication.gig_id)
        .where(GigApplication.worker_id == worker_id)
        .order_by(GigApplication.created_at.desc(), GigApplication.id.desc())
        .limit(limit)
    )
    if after is not None:
        stmt = stmt.where(tuple_(GigApplication.created_at, GigApplication.id) < after)
    return [(row[0], row[1]) for row in await session.execute(stmt)]


async def insert_application(
    session: AsyncSession, application: GigApplication
) -> GigApplication | None:
    """Insert unless the worker already has a row for this gig (None then)."""
    stmt = (
        insert(GigApplication)
        .values(
            id=uuid.uuid4(),
            gig_id=application.gig_id,
            worker_id=application.worker_id,
            origin=application.origin,
            status=application.status,
            message=application.message,
        )
        .on_conflict_do_nothing(index_elements=[GigApplication.gig_id, GigApplication.worker_id])
        .returning(GigApplication)
    )
    result = await session.execute(stmt, execution_options={"populate_existing": True})
    return result.scalar_one_or_none()


async def set_application_status(
    session: AsyncSession, application_id: uuid.UUID, status: str, now: datetime
) -> None:
    await session.execute(
        update(GigApplication)
        .where(GigApplication.id == application_id)
        .values(status=status, decided_at=now, updated_at=func.now())
    )


async def close_pending_applications(session: AsyncSession, gig_id: uuid.UUID) -> None:
    await session.execute(
        update(GigApplication)
        .where(GigApplication.gig_id == gig_id, GigApplication.status == "pending")
        .values(status="closed", decided_at=func.now(), updated_at=func.now())
    )


# --- bookings -----------------------------------------------------------------------------------


def booking_party_clause(user_id: uuid.UUID) -> ColumnElement[bool]:
    return or_(
        GigBooking.worker_id == user_id,
        exists().where(Gig.id == GigBooking.gig_id, Gig.poster_id == user_id),
    )


async def get_booking(
    session: AsyncSession, booking_id: uuid.UUID, user_id: uuid.UUID
) -> GigBooking | None:
    """The booking if ``user_id`` is its worker or its gig's poster (else None → 404)."""
    stmt = select(GigBooking).where(GigBooking.id == booking_id, booking_party_clause(user_id))
    return (await session.execute(stmt)).scalar_one_or_none()


async def lock_booking(session: AsyncSession, booking_id: uuid.UUID) -> GigBooking:
    stmt = (
        select(GigBooking)
        .where(GigBooking.id == booking_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.execute(stmt)).scalar_one()


async def booking_for_application(
    session: AsyncSession, application_id: uuid.UUID
) -> GigBooking | None:
    stmt = (
        select(GigBooking)
        .where(GigBooking.application_id == application_id)
        .order_by(GigBooking.created_at.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def bookings_for_applications(
    session: AsyncSession, application_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """The newest booking id of each application that has one (one query for a page)."""
    if not application_ids:
        return {}
    stmt = (
        select(GigBooking.application_id, GigBooking.id)
        .where(GigBooking.application_id.in_(application_ids))
        .order_by(GigBooking.created_at)
    )
    # Oldest first, so the newest booking of an application is the one that stays in the dict.
    return {app_id: booking_id for app_id, booking_id in (await session.execute(stmt)).all()}


async def has_overlapping_booking(
    session: AsyncSession, worker_id: uuid.UUID, gig_id: uuid.UUID
) -> bool:
    """Whether the worker has an active booking whose times overlap any occurrence of the gig."""
    booked = aliased(GigOccurrence)
    wanted = aliased(GigOccurrence)
    stmt = select(
        exists().where(
            GigBooking.worker_id == worker_id,
            GigBooking.status.in_(ACTIVE_BOOKING_STATUSES),
            booked.gig_id == GigBooking.gig_id,
            wanted.gig_id == gig_id,
            booked.starts_at < wanted.ends_at,
            booked.ends_at > wanted.starts_at,
        )
    )
    return bool((await session.execute(stmt)).scalar())


async def take_place(session: AsyncSession, gig_id: uuid.UUID) -> bool:
    """Book one place if one is left; the gig turns ``full`` with its last place."""
    stmt = (
        update(Gig)
        .where(Gig.id == gig_id, Gig.booked_count < Gig.headcount)
        .values(
            booked_count=Gig.booked_count + 1,
            status=case((Gig.booked_count + 1 >= Gig.headcount, "full"), else_=Gig.status),
        )
        .returning(Gig.id)
    )
    return (await session.execute(stmt)).scalar_one_or_none() is not None


async def busy_intervals(
    session: AsyncSession, worker_id: uuid.UUID, since: datetime
) -> list[tuple[datetime, datetime]]:
    """The worker's booked working periods that end after ``since``."""
    stmt = (
        select(GigOccurrence.starts_at, GigOccurrence.ends_at)
        .join(GigBooking, GigBooking.gig_id == GigOccurrence.gig_id)
        .where(
            GigBooking.worker_id == worker_id,
            GigBooking.status.in_(ACTIVE_BOOKING_STATUSES),
            GigOccurrence.ends_at > since,
        )
    )
    return [(row[0], row[1]) for row in await session.execute(stmt)]


async def active_bookings_of_gig(session: AsyncSession, gig_id: uuid.UUID) -> list[GigBooking]:
    stmt = (
        select(GigBooking)
        .where(GigBooking.gig_id == gig_id, GigBooking.status.in_(ACTIVE_BOOKING_STATUSES))
        .with_for_update()
    )
    return list((await session.execute(stmt)).scalars())


async def count_active(session: AsyncSession, gig_id: uuid.UUID) -> int:
    stmt = select(func.count()).where(
        GigBooking.gig_id == gig_id, GigBooking.status.in_(ACTIVE_BOOKING_STATUSES)
    )
    return int((await session.execute(stmt)).scalar_one())


async def list_bookings(
    session: AsyncSession,
    *,
    gig_id: uuid.UUID | None = None,
    worker_id: uuid.UUID | None = None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[tuple[GigBooking, Gig]]:
    """Bookings of a gig or of a worker (or both), newest first, with their gig."""
    where: list[ColumnElement[bool]] = []
    if gig_id is not None:
        where.append(GigBooking.gig_id == gig_id)
    if worker_id is not None:
        where.append(GigBooking.worker_id == worker_id)
    stmt = (
        select(GigBooking, Gig)
        .join(Gig, Gig.id == GigBooking.gig_id)
        .where(*where)
        .order_by(GigBooking.created_at.desc(), GigBooking.id.desc())
        .limit(limit)
    )
    if after is not None:
        stmt = stmt.where(tuple_(GigBooking.created_at, GigBooking.id) < after)
    return [(row[0], row[1]) for row in await session.execute(stmt)]


async def set_booking(session: AsyncSession, booking_id: uuid.UUID, **values: Any) -> None:
    await session.execute(
        update(GigBooking)
        .where(GigBooking.id == booking_id)
        .values(**values, updated_at=func.now())
    )


# --- ratings ------------------------------------------------------------------------------------


async def ratings_of_bookings(
    session: AsyncSession, booking_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[GigRating]]:
    """The ratings of each booking (one query for a page)."""
    found: dict[uuid.UUID, list[GigRating]] = {booking_id: [] for booking_id in booking_ids}
    if booking_ids:
        stmt = select(GigRating).where(GigRating.booking_id.in_(booking_ids))
        for rating in (await session.execute(stmt)).scalars():
            found[rating.booking_id].append(rating)
    return found


async def insert_rating(session: AsyncSession, rating: GigRating) -> bool:
    """Insert unless this side already rated this booking (the unique index decides)."""
    values = {
        "id": rating.id or uuid.uuid4(),
        "booking_id": rating.booking_id,
        "rater_side": rating.rater_side,
        "rater_id": rating.rater_id,
        "ratee_id": rating.ratee_id,
        "score": rating.score,
        "tags": rating.tags,
        "comment": rating.comment,
    }
    stmt = (
        insert(GigRating)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[GigRating.booking_id, GigRating.rater_side])
        .returning(GigRating.id)
    )
    return (await session.execute(stmt)).scalar_one_or_none() is not None
