"""The gig lists: search, mine, the review queue, applications, bookings and ranked matches.

Each fetches ``limit + 1`` rows and cuts a page with the keyset kit (``app.core.keyset``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from app.core.driver import driver_connection
from app.core.keyset import ID, NUMBER, TIME_ID, created_key, keyset
from app.core.pagination import Page
from app.core.security import Security
from app.gigs import booking_repository, errors, match_pages, matching, reads, repository, views
from app.gigs.booking_schemas import ApplicationRead, BookingRead
from app.gigs.models import Gig, GigBooking
from app.gigs.schemas import GigAdminItem, GigListItem, GigMatch, WorkerMatch
from app.identity.models import User

# Search near a place: nearest first (distance, id); elsewhere soonest first (starts_at, id).
DISTANCE_ID = keyset(NUMBER, ID)


@dataclass(frozen=True, slots=True)
class GigSearch:
    """What ``GET /gigs`` asks for (location optional: both coordinates or neither)."""

    lat: float | None
    lng: float | None
    radius_km: float
    skills: list[str]
    on_date: date | None
    min_daily_pay_fen: int | None


async def search(
    session: AsyncSession, query: GigSearch, now: datetime, cursor: str | None, limit: int
) -> Page[GigListItem]:
    """Open gigs that have not started: nearest first near a place, else soonest first."""
    if (query.lat is None) != (query.lng is None):
        raise errors.InvalidSchedule("lat 和 lng 需同时提供", code="gig.location_invalid")
    near = None
    if query.lat is not None and query.lng is not None:
        near = (query.lat, query.lng, query.radius_km)
    after = DISTANCE_ID.decode(cursor) if near is not None else TIME_ID.decode(cursor)
    rows = await repository.search_open(
        session,
        now=now,
        near=near,
        skills=query.skills,
        on_date=query.on_date,
        min_daily_pay_fen=query.min_daily_pay_fen,
        after=after,
        limit=limit + 1,
    )
    if near is not None:
        return DISTANCE_ID.page(
            rows,
            limit,
            key=lambda row: (_distance(row[1]), row[0].id),
            item=lambda row: views.gig_list_item(*row),
        )
    return TIME_ID.page(
        rows,
        limit,
        key=lambda row: (row[0].starts_at, row[0].id),
        item=lambda row: views.gig_list_item(*row),
    )


def _distance(value: float | None) -> float:
    assert value is not None  # searching near a place, every row has its distance
    return value


async def my_gigs(
    session: AsyncSession, user: User, cursor: str | None, limit: int
) -> Page[GigListItem]:
    """Gigs the user posted, newest first, in every status."""
    rows = await repository.list_by_poster(session, user.id, TIME_ID.decode(cursor), limit + 1)
    return TIME_ID.page(rows, limit, key=created_key, item=views.gig_list_item)


async def review_queue(
    session: AsyncSession, status: str, cursor: str | None, limit: int
) -> Page[GigAdminItem]:
    """Gigs in ``status``, oldest first, for staff."""
    rows = await repository.list_by_status(session, status, TIME_ID.decode(cursor), limit + 1)
    return TIME_ID.page(rows, limit, key=created_key, item=views.admin_item)


async def _own_gig(session: AsyncSession, user: User, gig_id: uuid.UUID) -> Gig:
    gig = await repository.get_own(session, gig_id, user.id)
    if gig is None:
        raise errors.GigNotFound()
    return gig


async def gig_applications(
    session: AsyncSession,
    security: Security,
    user: User,
    gig_id: uuid.UUID,
    cursor: str | None,
    limit: int,
) -> Page[ApplicationRead]:
    """Applications and invitations of the poster's gig, oldest first (404 for anyone else)."""
    gig = await _own_gig(session, user, gig_id)
    found = await booking_repository.list_applications_for_gig(
        session, gig.id, TIME_ID.decode(cursor), limit + 1
    )
    shown, next_cursor = TIME_ID.cut(found, limit, key=created_key)
    items = await reads.application_reads(
        session, security, [(a, gig) for a in shown], for_poster=True
    )
    return Page(items=items, next_cursor=next_cursor)


async def my_applications(
    session: AsyncSession, security: Security, user: User, cursor: str | None, limit: int
) -> Page[ApplicationRead]:
    """The worker's applications and invitations, newest first, with each gig."""
    rows = await booking_repository.list_applications_of_worker(
        session, user.id, TIME_ID.decode(cursor), limit + 1
    )
    shown, next_cursor = TIME_ID.cut(rows, limit, key=lambda row: created_key(row[0]))
    items = await reads.application_reads(session, security, shown, for_poster=False)
    return Page(items=items, next_cursor=next_cursor)


async def gig_bookings(
    session: AsyncSession,
    security: Security,
    user: User,
    gig_id: uuid.UUID,
    cursor: str | None,
    limit: int,
) -> Page[BookingRead]:
    """Bookings of the poster's gig, newest first (404 for anyone else)."""
    gig = await _own_gig(session, user, gig_id)
    rows = await booking_repository.list_bookings(
        session, gig_id=gig.id, after=TIME_ID.decode(cursor), limit=limit + 1
    )
    return await _bookings_page(session, security, user, rows, limit)


async def my_bookings(
    session: AsyncSession, security: Security, user: User, cursor: str | None, limit: int
) -> Page[BookingRead]:
    """The worker's bookings, newest first."""
    rows = await booking_repository.list_bookings(
        session, worker_id=user.id, after=TIME_ID.decode(cursor), limit=limit + 1
    )
    return await _bookings_page(session, security, user, rows, limit)


async def _bookings_page(
    session: AsyncSession,
    security: Security,
    user: User,
    rows: list[tuple[GigBooking, Gig]],
    limit: int,
) -> Page[BookingRead]:
    shown, next_cursor = TIME_ID.cut(rows, limit, key=lambda row: created_key(row[0]))
    items = await reads.booking_reads(session, security, shown, user.id)
    return Page(items=items, next_cursor=next_cursor)


async def worker_matches(
    bind: AsyncEngine | AsyncConnection,
    security: Security,
    user_id: uuid.UUID,
    gig_id: uuid.UUID,
    now: datetime,
    cursor: str | None,
    limit: int,
) -> Page[WorkerMatch]:
    """Workers ranked for the poster's gig, best first (on ``bind``'s asyncpg driver)."""
    async with driver_connection(bind) as driver:
        side, ranked = await matching.workers_for_gig(driver, user_id, gig_id, cursor, limit, now)
    return match_pages.worker_page(security, side, ranked, limit)


async def gig_matches(
    bind: AsyncEngine | AsyncConnection,
    user_id: uuid.UUID,
    now: datetime,
    cursor: str | None,
    limit: int,
) -> Page[GigMatch]:
    """Open gigs ranked for the worker, best first (on ``bind``'s asyncpg driver)."""
    async with driver_connection(bind) as driver:
        head, ranked = await matching.gigs_for_worker(driver, user_id, cursor, limit, now)
    return match_pages.gig_page(head, ranked, limit)
