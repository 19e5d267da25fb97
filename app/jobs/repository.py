"""SQL for jobs. ``readable`` decides who may see which job: the rule lives in the query."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Uuid,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.driver import arguments
from app.employers.models import Employer
from app.employers.repository import member_clause
from app.identity.models import User
from app.jobs.models import Job, JobPhoto


def readable(user_id: uuid.UUID | None, *, staff: bool = False) -> ColumnElement[bool]:
    """Published jobs are public; other statuses only to the employer's members (and staff)."""
    if staff:
        return Job.id.is_not(None)
    if user_id is None:
        return Job.status == "published"
    return or_(Job.status == "published", member_clause(Job.employer_id, user_id))


async def get_with_employer(
    session: AsyncSession, job_id: uuid.UUID, user_id: uuid.UUID | None, *, staff: bool = False
) -> tuple[Job, Employer] | None:
    stmt = (
        select(Job, Employer)
        .join(Employer, Employer.id == Job.employer_id)
        .where(Job.id == job_id, readable(user_id, staff=staff))
    )
    row = (await session.execute(stmt)).one_or_none()
    return (row[0], row[1]) if row is not None else None


_JOB_COLUMNS = list(Job.__table__.c)
_EMPLOYER_COLUMNS = [
    Employer.__table__.c[name].label(f"employer_{name}")
    for name in (
        "name", "kind", "size_class", "industry_code", "area_code", "address", "latitude",
        "longitude", "description", "status", "logo_file_id",
    )
]  # fmt: skip
# The photos' file ids in order (NULL when there are none).
_PHOTO_IDS = (
    select(func.array_agg(aggregate_order_by(JobPhoto.file_id, JobPhoto.position)))
    .where(JobPhoto.job_id == Job.id)
    .scalar_subquery()
    .label("photo_file_ids")
)


@lru_cache(maxsize=4)
def _detail_statement(viewer: str) -> Any:
    """Built once per kind of viewer (anonymous / user / staff, and the lean path's "token":
    a user id from a token, not yet looked up); values are bind parameters."""
    user_id = bindparam("user_id", type_=Uuid)
    if viewer == "user":
        member: Any = member_clause(Job.employer_id, user_id)
        visible: Any = or_(Job.status == "published", member)
    elif viewer == "token":
        # A token's subject who is not (or no longer) an active user sees what anyone sees.
        active = exists().where(User.id == user_id, User.is_active.is_(True))
        member = and_(member_clause(Job.employer_id, user_id), active)
        visible = or_(Job.status == "published", member)
    else:
        member = literal(viewer == "staff")
        visible = Job.id.is_not(None) if viewer == "staff" else Job.status == "published"
    return (
        select(*_JOB_COLUMNS, *_EMPLOYER_COLUMNS, _PHOTO_IDS, member.label("viewer_is_member"))
        .join(Employer, Employer.id == Job.employer_id)
        .where(Job.id == bindparam("job_id", type_=Uuid), visible)
    )


async def detail_row(
    session: AsyncSession, job_id: uuid.UUID, user_id: uuid.UUID | None, *, staff: bool = False
) -> Any:
    """One row: the job, its employer's summary and whether the viewer is a member (Core, one
    prepared statement: the detail page is a hot path)."""
    viewer = "staff" if staff else "user" if user_id else "anonymous"
    params: dict[str, Any] = {"job_id": job_id}
    if viewer == "user":
        params["user_id"] = user_id
    connection = await session.connection()
    result = await connection.execute(_detail_statement(viewer), params)
    return result.one_or_none()


async def public_detail_record(
    driver: Any, job_id: uuid.UUID, token_user_id: uuid.UUID | None = None
) -> dict[str, Any] | None:
    """The row of :func:`detail_row` read on a raw asyncpg connection (the lean read path: one
    round trip, no ORM or Core execution layer), for an anonymous viewer or for the subject of a
    user token: ``viewer_is_member`` is true only if that user is active and a member."""
    viewer = "anonymous" if token_user_id is None else "token"
    params = {"job_id": job_id, "user_id": token_user_id}
    sql, values = arguments(_detail_statement(viewer), params)
    record = await driver.fetchrow(sql, *values)
    return None if record is None else dict(record.items())


async def photo_ids(
    session: AsyncSession, job_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The photos of each job, in order (jobs without photos are absent)."""
    if not job_ids:
        return {}
    stmt = (
        select(JobPhoto.job_id, JobPhoto.file_id)
        .where(JobPhoto.job_id.in_(job_ids))
        .order_by(JobPhoto.job_id, JobPhoto.position)
    )
    found: dict[uuid.UUID, list[uuid.UUID]] = {}
    for job_id, file_id in (await session.execute(stmt)).all():
        found.setdefault(job_id, []).append(file_id)
    return found


async def replace_photos(
    session: AsyncSession, job_id: uuid.UUID, file_ids: list[uuid.UUID]
) -> None:
    await session.execute(delete(JobPhoto).where(JobPhoto.job_id == job_id))
    if file_ids:
        rows = [
            {"job_id": job_id, "file_id": file_id, "position": position}
            for position, file_id in enumerate(file_ids)
        ]
        await session.execute(insert(JobPhoto), rows)


async def get_for_member_update(
    session: AsyncSession, job_id: uuid.UUID, user_id: uuid.UUID
) -> Job | None:
    """The job, locked, if ``user_id`` is a member of its employer (else None → 404)."""
    stmt = (
        select(Job)
        .where(Job.id == job_id, member_clause(Job.employer_id, user_id))
        .with_for_update(of=Job)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def get_for_update(session: AsyncSession, job_id: uuid.UUID) -> Job | None:
    stmt = select(Job).where(Job.id == job_id).with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def is_public(session: AsyncSession, job_id: uuid.UUID, today: date) -> bool:
    """Published and not expired: listed, favourable, reportable, applicable."""
    stmt = select(Job.id).where(
        Job.id == job_id, Job.status == "published", Job.valid_until >= today
    )
    return (await session.execute(stmt)).scalar_one_or_none() is not None


async def list_for_employer(
    session: AsyncSession,
    employer_id: uuid.UUID,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[Job]:
    """All jobs of an employer, newest first (for its members)."""
    stmt = (
        select(Job)
        .where(Job.employer_id == employer_id)
        .order_by(Job.created_at.desc(), Job.id.desc())
        .limit(limit)
    )
    if after is not None:
        stmt = stmt.where(tuple_(Job.created_at, Job.id) < after)
    return list((await session.execute(stmt)).scalars())


async def review_queue(
    session: AsyncSession, after: tuple[datetime, uuid.UUID] | None, limit: int
) -> list[Any]:
    """Jobs held for staff, oldest first."""
    stmt = (
        select(Job, Employer.name)
        .join(Employer, Employer.id == Job.employer_id)
        .where(Job.status == "pending_review")
        .order_by(Job.created_at, Job.id)
        .limit(limit)
    )
    if after is not None:
        stmt = stmt.where(tuple_(Job.created_at, Job.id) > after)
    return list((await session.execute(stmt)).all())


async def close_expired(session: AsyncSession, today: date, now: datetime) -> list[uuid.UUID]:
    """Close published jobs whose last valid day has passed; their ids."""
    stmt = (
        update(Job)
        .where(Job.status == "published", Job.valid_until < today)
        .values(status="closed", closed_at=now)
        .returning(Job.id)
    )
    return list((await session.execute(stmt)).scalars())
