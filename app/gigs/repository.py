"""SQL for gig profiles, posters' aggregates and gigs. ``readable`` says who may see which gig."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Float,
    String,
    Uuid,
    and_,
    bindparam,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement as Expr

from app.core.geo import EARTH_RADIUS_KM, bounding_box
from app.employers.models import Employer, EmployerMember
from app.gigs.models import Gig, GigOccurrence, GigPosterStats, GigWorkerProfile
from app.gigs.schedule import Occurrence

PUBLIC_STATUSES = ("open", "full", "in_progress", "completed")


def distance_sql(lat: Any, lng: Any, at_lat: float, at_lng: float) -> Expr[float]:
    """Haversine distance in km between columns (lat, lng) and a point, computed by PostgreSQL."""
    d_lat = func.radians(lat - at_lat) / 2
    d_lng = func.radians(lng - at_lng) / 2
    a = func.power(func.sin(d_lat), 2) + func.cos(func.radians(literal(at_lat))) * func.cos(
        func.radians(lat)
    ) * func.power(func.sin(d_lng), 2)
    return cast(2 * EARTH_RADIUS_KM * func.asin(func.least(1.0, func.sqrt(a))), Float)


# --- worker profiles ----------------------------------------------------------------------------


async def get_profile(session: AsyncSession, user_id: uuid.UUID) -> GigWorkerProfile | None:
    stmt = select(GigWorkerProfile).where(GigWorkerProfile.user_id == user_id)
    return (await session.execute(stmt)).scalar_one_or_none()


_HAS_PROFILE = select(
    exists().where(GigWorkerProfile.user_id == bindparam("user_id", type_=Uuid()))
)


async def has_profile(session: AsyncSession, user_id: uuid.UUID) -> bool:
    """Whether the user keeps a gig profile (the gig_worker role; asked on every login)."""
    return bool((await session.execute(_HAS_PROFILE, {"user_id": user_id})).scalar_one())


async def lock_profile(session: AsyncSession, user_id: uuid.UUID) -> GigWorkerProfile | None:
    """The worker's profile row, locked: serialises every booking of one worker."""
    stmt = (
        select(GigWorkerProfile)
        .where(GigWorkerProfile.user_id == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def upsert_profile(
    session: AsyncSession, user_id: uuid.UUID, values: dict[str, Any]
) -> GigWorkerProfile:
    """Create or replace the profile (counters are kept); concurrent PUTs cannot duplicate it."""
    insert_stmt = insert(GigWorkerProfile).values(id=uuid.uuid4(), user_id=user_id, **values)
    stmt = insert_stmt.on_conflict_do_update(
        index_elements=[GigWorkerProfile.user_id],
        set_={**values, "updated_at": func.now()},
    ).returning(GigWorkerProfile)
    result = await session.execute(stmt, execution_options={"populate_existing": True})
    profile: GigWorkerProfile = result.scalar_one()
    return profile


async def add_worker_counts(session: AsyncSession, user_id: uuid.UUID, **deltas: int) -> None:
    """``completed_count=1`` and so on: atomic increments of the worker's aggregates."""
    values = {
        name: getattr(GigWorkerProfile, name) + delta for name, delta in deltas.items() if delta
    }
    if values:
        await session.execute(
            update(GigWorkerProfile).where(GigWorkerProfile.user_id == user_id).values(**values)
        )


# --- posters' aggregates ------------------------------------------------------------------------


async def get_poster_stats(session: AsyncSession, user_id: uuid.UUID) -> GigPosterStats | None:
    return await session.get(GigPosterStats, user_id)


async def add_poster_counts(session: AsyncSession, user_id: uuid.UUID, **deltas: int) -> None:
    """Atomic increments of a poster's aggregates (the row is created on first use)."""
    stmt = insert(GigPosterStats).values(user_id=user_id, **deltas)
    stmt = stmt.on_conflict_do_update(
        index_elements=[GigPosterStats.user_id],
        set_={name: getattr(GigPosterStats, name) + getattr(stmt.excluded, name) for name in deltas}
        | {"updated_at": func.now()},
    )
    await session.execute(stmt)


# --- gigs ---------------------------------------------------------------------------------------


def readable(user_id: uuid.UUID | None) -> ColumnElement[bool]:
    """Public statuses for everyone; pending, rejected and cancelled gigs only for the poster."""
    public = Gig.status.in_(PUBLIC_STATUSES)
    if user_id is None:
        return public
    return or_(public, Gig.poster_id == user_id)


async def is_verified_member(
    session: AsyncSession, employer_id: uuid.UUID, user_id: uuid.UUID
) -> bool:
    stmt = (
        select(Employer.id)
        .join(
            EmployerMember,
            and_(EmployerMember.employer_id == Employer.id, EmployerMember.user_id == user_id),
        )
        .where(Employer.id == employer_id, Employer.status == "verified")
    )
    return (await session.execute(stmt)).scalar_one_or_none() is not None


async def insert_gig(session: AsyncSession, gig: Gig, occurrences: Sequence[Occurrence]) -> Gig:
    session.add(gig)
    await session.flush()
    session.add_all(
        GigOccurrence(
            gig_id=gig.id, local_date=o.local_date, starts_at=o.starts_at, ends_at=o.ends_at
        )
        for o in occurrences
    )
    await session.flush()
    await session.refresh(gig)
    return gig


async def get_readable(
    session: AsyncSession, gig_id: uuid.UUID, user_id: uuid.UUID | None
) -> Gig | None:
    stmt = select(Gig).where(Gig.id == gig_id, readable(user_id))
    return (await session.execute(stmt)).scalar_one_or_none()


async def get_own(session: AsyncSession, gig_id: uuid.UUID, poster_id: uuid.UUID) -> Gig | None:
    """The gig if ``poster_id`` posted it (else None → 404, existence not leaked)."""
    stmt = select(Gig).where(Gig.id == gig_id, Gig.poster_id == poster_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def lock_gig(session: AsyncSession, gig_id: uuid.UUID) -> Gig | None:
    stmt = (
        select(Gig)
        .where(Gig.id == gig_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def occurrences(session: AsyncSession, gig_id: uuid.UUID) -> list[GigOccurrence]:
    stmt = (
        select(GigOccurrence)
        .where(GigOccurrence.gig_id == gig_id)
        .order_by(GigOccurrence.starts_at)
    )
    return list((await session.execute(stmt)).scalars())


async def list_by_poster(
    session: AsyncSession,
    poster_id: uuid.UUID,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[Gig]:
    stmt = (
        select(Gig)
        .where(Gig.poster_id == poster_id)
        .order_by(Gig.created_at.desc(), Gig.id.desc())
        .limit(limit)
    )
    if after is not None:
        stmt = stmt.where(tuple_(Gig.created_at, Gig.id) < after)
    return list((await session.execute(stmt)).scalars())


async def list_by_status(
    session: AsyncSession, status: str, after: tuple[datetime, uuid.UUID] | None, limit: int
) -> list[Gig]:
    """The staff queue: oldest first."""
    stmt = select(Gig).where(Gig.status == status).order_by(Gig.created_at, Gig.id).limit(limit)
    if after is not None:
        stmt = stmt.where(tuple_(Gig.created_at, Gig.id) > after)
    return list((await session.execute(stmt)).scalars())


async def search_open(
    session: AsyncSession,
    *,
    now: datetime,
    near: tuple[float, float, float] | None,
    skills: Sequence[str],
    on_date: date | None,
    min_daily_pay_fen: int | None,
    after: tuple[float, uuid.UUID] | tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[tuple[Gig, float | None]]:
    """Open gigs that have not started; nearest first with ``near`` (lat, lng, radius), else
    soonest first. Keyset on (distance, id) or (starts_at, id)."""
    conditions: list[ColumnElement[bool]] = [Gig.status == "open", Gig.starts_at > now]
    if skills:
        conditions.append(Gig.required_skill_codes.overlap(cast(list(skills), ARRAY(String))))
    if on_date is not None:
        conditions.append(Gig.local_dates.contains(cast([on_date], ARRAY(Date))))
    if min_daily_pay_fen is not None:
        conditions.append(Gig.daily_pay_fen >= min_daily_pay_fen)
    if near is None:
        stmt = select(Gig, literal(None, Float).label("distance_km")).where(*conditions)
        if after is not None:
            stmt = stmt.where(tuple_(Gig.starts_at, Gig.id) > after)
        stmt = stmt.order_by(Gig.starts_at, Gig.id).limit(limit)
        return [(row[0], None) for row in await session.execute(stmt)]
    lat, lng, radius = near
    min_lat, max_lat, min_lng, max_lng = bounding_box(lat, lng, radius)
    distance = distance_sql(Gig.latitude, Gig.longitude, lat, lng).label("distance_km")
    inner = (
        select(Gig.id.label("gig_id"), distance)
        .where(
            *conditions,
            Gig.latitude.between(min_lat, max_lat),
            Gig.longitude.between(min_lng, max_lng),
        )
        .subquery()
    )
    stmt = (
        select(Gig, inner.c.distance_km)
        .join(inner, inner.c.gig_id == Gig.id)
        .where(inner.c.distance_km <= radius)
    )
    if after is not None:
        stmt = stmt.where(tuple_(inner.c.distance_km, Gig.id) > after)
    stmt = stmt.order_by(inner.c.distance_km, Gig.id).limit(limit)
    return [(row[0], float(row[1])) for row in await session.execute(stmt)]
