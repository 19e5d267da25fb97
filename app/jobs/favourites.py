"""Favourites: a person keeps jobs for later (adding twice is harmless)."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import Clock, local_date
from app.core.keyset import TIME_ID
from app.core.pagination import Page
from app.employers.models import Employer
from app.identity.models import User
from app.jobs import errors, repository
from app.jobs.models import Job, JobFavourite
from app.jobs.schemas import FavouriteRead


async def add(session: AsyncSession, clock: Clock, user: User, job_id: uuid.UUID) -> None:
    """Keep a published, unexpired job; 404 for anything else."""
    if not await repository.is_public(session, job_id, local_date(clock())):
        raise errors.JobNotFound()
    stmt = insert(JobFavourite).values(user_id=user.id, job_id=job_id).on_conflict_do_nothing()
    await session.execute(stmt)


async def remove(session: AsyncSession, user: User, job_id: uuid.UUID) -> None:
    """Forget a job (removing one that is not kept is harmless)."""
    await session.execute(
        delete(JobFavourite).where(JobFavourite.user_id == user.id, JobFavourite.job_id == job_id)
    )


async def list_mine(
    session: AsyncSession, clock: Clock, user: User, cursor: str | None, limit: int
) -> Page[FavouriteRead]:
    """Kept jobs, most recently kept first, whatever their state now (the list says it)."""
    after = TIME_ID.decode(cursor)
    stmt = (
        select(
            JobFavourite.created_at.label("favourited_at"),
            Job.id.label("job_id"),
            Job.title,
            Job.status,
            Job.valid_until,
            Job.salary_min_fen,
            Job.salary_max_fen,
            Job.salary_unit,
            Job.area_code,
            Employer.name.label("employer_name"),
        )
        .join(Job, Job.id == JobFavourite.job_id)
        .join(Employer, Employer.id == Job.employer_id)
        .where(JobFavourite.user_id == user.id)
        .order_by(JobFavourite.created_at.desc(), JobFavourite.job_id.desc())
        .limit(limit + 1)
    )
    if after is not None:
        stmt = stmt.where(tuple_(JobFavourite.created_at, JobFavourite.job_id) < after)
    rows = list((await session.execute(stmt)).all())
    shown, next_cursor = TIME_ID.cut(rows, limit, key=lambda row: (row.favourited_at, row.job_id))
    today = local_date(clock())
    items = [
        FavouriteRead.model_validate(
            {**row._mapping, "available": row.status == "published" and row.valid_until >= today}
        )
        for row in shown
    ]
    return Page(items=items, next_cursor=next_cursor)
