"""SQL for events, featured jobs and booths (the limits live in conditional UPDATEs)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.employers.models import Employer
from app.events.models import (
    ACTIVE_BOOTH,
    EventBooth,
    EventBoothJob,
    EventFeaturedJob,
    RecruitmentEvent,
)
from app.jobs.models import Job


async def list_events(
    session: AsyncSession,
    *,
    start: datetime | None,
    end: datetime | None,
    kind: str | None,
    target_group: str | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> Sequence[RecruitmentEvent]:
    """Published events overlapping [start, end), earliest first (keyset on starts_at, id)."""
    stmt = select(RecruitmentEvent).where(RecruitmentEvent.status == "published")
    if start is not None:
        stmt = stmt.where(RecruitmentEvent.ends_at > start)
    if end is not None:
        stmt = stmt.where(RecruitmentEvent.starts_at < end)
    if kind is not None:
        stmt = stmt.where(RecruitmentEvent.kind == kind)
    if target_group is not None:
        stmt = stmt.where(RecruitmentEvent.target_groups.contains([target_group]))
    if after is not None:
        stmt = stmt.where(tuple_(RecruitmentEvent.starts_at, RecruitmentEvent.id) > tuple_(*after))
    stmt = stmt.order_by(RecruitmentEvent.starts_at, RecruitmentEvent.id).limit(limit)
    return (await session.scalars(stmt)).all()


async def get_event(
    session: AsyncSession, event_id: uuid.UUID, *, lock: bool = False
) -> RecruitmentEvent | None:
    stmt = select(RecruitmentEvent).where(RecruitmentEvent.id == event_id)
    if lock:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt, execution_options={"populate_existing": True})


async def _bump(session: AsyncSession, event_id: uuid.UUID, count: Any, limit: Any) -> bool:
    stmt = (
        update(RecruitmentEvent)
        .where(RecruitmentEvent.id == event_id, count < limit)
        .values({count: count + 1})
        .returning(RecruitmentEvent.id)
    )
    return (await session.scalar(stmt)) is not None


async def _drop(session: AsyncSession, event_id: uuid.UUID, count: Any) -> None:
    stmt = (
        update(RecruitmentEvent)
        .where(RecruitmentEvent.id == event_id, count > 0)
        .values({count: count - 1})
    )
    await session.execute(stmt)


async def take_booth(session: AsyncSession, event_id: uuid.UUID) -> bool:
    return await _bump(
        session, event_id, RecruitmentEvent.booth_count, RecruitmentEvent.booth_limit
    )


async def free_booth(session: AsyncSession, event_id: uuid.UUID) -> None:
    await _drop(session, event_id, RecruitmentEvent.booth_count)


async def take_registration(session: AsyncSession, event_id: uuid.UUID) -> bool:
    return await _bump(
        session,
        event_id,
        RecruitmentEvent.registered_count,
        RecruitmentEvent.registration_limit,
    )


async def free_registration(session: AsyncSession, event_id: uuid.UUID) -> None:
    await _drop(session, event_id, RecruitmentEvent.registered_count)


async def count_application(session: AsyncSession, event_id: uuid.UUID) -> None:
    stmt = (
        update(RecruitmentEvent)
        .where(RecruitmentEvent.id == event_id)
        .values(application_count=RecruitmentEvent.application_count + 1)
    )
    await session.execute(stmt)


async def published_jobs(
    session: AsyncSession, job_ids: Sequence[uuid.UUID], employer_id: uuid.UUID | None = None
) -> Sequence[Job]:
    stmt = select(Job).where(Job.id.in_(job_ids), Job.status == "published")
    if employer_id is not None:
        stmt = stmt.where(Job.employer_id == employer_id)
    return (await session.scalars(stmt)).all()


async def featured_jobs(session: AsyncSession, event_id: uuid.UUID) -> Sequence[Row[Job, Employer]]:
    stmt = (
        select(Job, Employer)
        .join(EventFeaturedJob, EventFeaturedJob.job_id == Job.id)
        .join(Employer, Employer.id == Job.employer_id)
        .where(EventFeaturedJob.event_id == event_id)
        .order_by(EventFeaturedJob.position, Job.id)
    )
    return (await session.execute(stmt)).all()


async def is_featured(session: AsyncSession, event_id: uuid.UUID, job_id: uuid.UUID) -> bool:
    stmt = select(EventFeaturedJob.job_id).where(
        EventFeaturedJob.event_id == event_id, EventFeaturedJob.job_id == job_id
    )
    return (await session.scalar(stmt)) is not None


async def replace_featured_jobs(
    session: AsyncSession, event_id: uuid.UUID, job_ids: Sequence[uuid.UUID]
) -> None:
    await session.execute(delete(EventFeaturedJob).where(EventFeaturedJob.event_id == event_id))
    if job_ids:
        rows = [
            {"event_id": event_id, "job_id": job_id, "position": i}
            for i, job_id in enumerate(dict.fromkeys(job_ids))
        ]
        await session.execute(insert(EventFeaturedJob).values(rows))


async def insert_booth(session: AsyncSession, values: dict[str, Any]) -> uuid.UUID | None:
    """None when the employer already holds a live booth at the event (partial unique index)."""
    stmt = (
        insert(EventBooth)
        .values(**values)
        .on_conflict_do_nothing(
            index_elements=["event_id", "employer_id"], index_where=text(ACTIVE_BOOTH)
        )
        .returning(EventBooth.id)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def add_booth_jobs(
    session: AsyncSession, booth_id: uuid.UUID, job_ids: Sequence[uuid.UUID]
) -> None:
    rows = [{"booth_id": booth_id, "job_id": j} for j in dict.fromkeys(job_ids)]
    await session.execute(insert(EventBoothJob).values(rows))


async def get_booth(
    session: AsyncSession, booth_id: uuid.UUID
) -> Row[EventBooth, RecruitmentEvent, Employer] | None:
    stmt = (
        select(EventBooth, RecruitmentEvent, Employer)
        .join(RecruitmentEvent, RecruitmentEvent.id == EventBooth.event_id)
        .join(Employer, Employer.id == EventBooth.employer_id)
        .where(EventBooth.id == booth_id)
    )
    return (
        await session.execute(stmt, execution_options={"populate_existing": True})
    ).one_or_none()


async def booths(
    session: AsyncSession,
    *,
    event_id: uuid.UUID | None = None,
    member_id: uuid.UUID | None = None,
    status: str | None = None,
) -> Sequence[Row[EventBooth, RecruitmentEvent, Employer]]:
    """Booths of an event, or of the employers ``member_id`` belongs to; oldest first."""
    from app.employers.repository import member_clause

    stmt = (
        select(EventBooth, RecruitmentEvent, Employer)
        .join(RecruitmentEvent, RecruitmentEvent.id == EventBooth.event_id)
        .join(Employer, Employer.id == EventBooth.employer_id)
    )
    if event_id is not None:
        stmt = stmt.where(EventBooth.event_id == event_id)
    if member_id is not None:
        stmt = stmt.where(member_clause(EventBooth.employer_id, member_id))
    if status is not None:
        stmt = stmt.where(EventBooth.status == status)
    stmt = stmt.order_by(EventBooth.created_at, EventBooth.id).limit(500)
    return (await session.execute(stmt)).all()


async def booth_jobs(
    session: AsyncSession, booth_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Job]]:
    stmt = (
        select(EventBoothJob.booth_id, Job)
        .join(Job, Job.id == EventBoothJob.job_id)
        .where(EventBoothJob.booth_id.in_(booth_ids))
        .order_by(Job.title, Job.id)
    )
    found: dict[uuid.UUID, list[Job]] = {}
    for booth_id, job in (await session.execute(stmt)).all():
        found.setdefault(booth_id, []).append(job)
    return found


async def set_booth_status(
    session: AsyncSession, booth_id: uuid.UUID, *, expected: Sequence[str], values: dict[str, Any]
) -> bool:
    stmt = (
        update(EventBooth)
        .where(EventBooth.id == booth_id, EventBooth.status.in_(expected))
        .values(**values)
        .returning(EventBooth.id)
    )
    return (await session.scalar(stmt)) is not None
