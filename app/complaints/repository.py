"""SQL for complaints. A person reads only their own; staff read all."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select, text, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.complaints.models import Complaint
from app.employers.models import Employer
from app.gigs.models import Gig, GigBooking
from app.jobs.models import Job


async def insert_complaint(session: AsyncSession, values: dict[str, object]) -> Complaint | None:
    """Insert unless the same person has an open complaint of this kind on this subject."""
    stmt = (
        insert(Complaint)
        .values(id=uuid.uuid4(), **values)
        .on_conflict_do_nothing(
            index_elements=["complainant_id", "kind", "subject_kind", "subject_id"],
            # Literal SQL: a bound parameter here stops PostgreSQL matching the partial index
            # once the prepared statement goes generic.
            index_where=text("status IN ('received', 'handling')"),
        )
        .returning(Complaint)
    )
    result = await session.execute(stmt, execution_options={"populate_existing": True})
    return result.scalar_one_or_none()


async def find_open(
    session: AsyncSession,
    complainant_id: uuid.UUID,
    kind: str,
    subject_kind: str,
    subject_id: uuid.UUID,
) -> Complaint | None:
    stmt = select(Complaint).where(
        Complaint.complainant_id == complainant_id,
        Complaint.kind == kind,
        Complaint.subject_kind == subject_kind,
        Complaint.subject_id == subject_id,
        Complaint.status.in_(("received", "handling")),
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def get_own(
    session: AsyncSession, complaint_id: uuid.UUID, user_id: uuid.UUID
) -> Complaint | None:
    stmt = select(Complaint).where(
        Complaint.id == complaint_id, Complaint.complainant_id == user_id
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def get(session: AsyncSession, complaint_id: uuid.UUID) -> Complaint | None:
    return await session.get(Complaint, complaint_id)


async def lock(session: AsyncSession, complaint_id: uuid.UUID) -> Complaint | None:
    stmt = (
        select(Complaint)
        .where(Complaint.id == complaint_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def list_own(
    session: AsyncSession, user_id: uuid.UUID, after: tuple[datetime, uuid.UUID] | None, limit: int
) -> list[Complaint]:
    stmt = (
        select(Complaint)
        .where(Complaint.complainant_id == user_id)
        .order_by(Complaint.created_at.desc(), Complaint.id.desc())
        .limit(limit)
    )
    if after is not None:
        stmt = stmt.where(tuple_(Complaint.created_at, Complaint.id) < after)
    return list((await session.execute(stmt)).scalars())


async def list_queue(
    session: AsyncSession,
    *,
    status: str | None,
    kind: str | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[Complaint]:
    """The staff queue, oldest first, optionally of one status and kind."""
    where: list[ColumnElement[bool]] = []
    if status is not None:
        where.append(Complaint.status == status)
    if kind is not None:
        where.append(Complaint.kind == kind)
    stmt = select(Complaint).where(*where).order_by(Complaint.created_at, Complaint.id).limit(limit)
    if after is not None:
        stmt = stmt.where(tuple_(Complaint.created_at, Complaint.id) > after)
    return list((await session.execute(stmt)).scalars())


async def booking_title_for_party(
    session: AsyncSession, booking_id: uuid.UUID, user_id: uuid.UUID
) -> str | None:
    """The gig's title if ``user_id`` is the booking's worker or its gig's poster."""
    stmt = (
        select(Gig.title)
        .join(GigBooking, GigBooking.gig_id == Gig.id)
        .where(
            GigBooking.id == booking_id,
            or_(GigBooking.worker_id == user_id, Gig.poster_id == user_id),
        )
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def subject_titles(
    session: AsyncSession, complaints: Sequence[Complaint]
) -> dict[uuid.UUID, str]:
    """Titles of the complaints' subjects, in three queries at most."""
    ids: dict[str, set[uuid.UUID]] = {"gig_booking": set(), "job": set(), "employer": set()}
    for c in complaints:
        ids[c.subject_kind].add(c.subject_id)
    titles: dict[uuid.UUID, str] = {}
    if ids["gig_booking"]:
        rows = await session.execute(
            select(GigBooking.id, Gig.title)
            .join(Gig, Gig.id == GigBooking.gig_id)
            .where(GigBooking.id.in_(ids["gig_booking"]))
        )
        titles.update({r[0]: r[1] for r in rows})
    if ids["job"]:
        rows = await session.execute(select(Job.id, Job.title).where(Job.id.in_(ids["job"])))
        titles.update({r[0]: r[1] for r in rows})
    if ids["employer"]:
        rows = await session.execute(
            select(Employer.id, Employer.name).where(Employer.id.in_(ids["employer"]))
        )
        titles.update({r[0]: r[1] for r in rows})
    return titles


async def subject_title(
    session: AsyncSession, subject_kind: str, subject_id: uuid.UUID, user_id: uuid.UUID
) -> str | None:
    """The subject's title if it exists and the person may complain about it."""
    if subject_kind == "gig_booking":
        return await booking_title_for_party(session, subject_id, user_id)
    if subject_kind == "job":
        return (await session.execute(select(Job.title).where(Job.id == subject_id))).scalar()
    stmt = select(Employer.name).where(Employer.id == subject_id)
    return (await session.execute(stmt)).scalar()
