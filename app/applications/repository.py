"""SQL for resumes, applications, their history and employment events.

Authorisation lives in these queries: an applicant reads only rows with their ``user_id``; an
employer member reads only rows of employers they belong to (``member_clause``). Anything else is
simply not found.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Row, or_, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications.models import (
    ApplicationStatusChange,
    EmploymentEvent,
    JobApplication,
    Resume,
)
from app.employers.models import Employer
from app.employers.repository import member_clause
from app.identity.models import User
from app.jobs.models import Job

Keyset = tuple[datetime, uuid.UUID]


# --- resumes -------------------------------------------------------------------------------


async def get_resume(session: AsyncSession, user_id: uuid.UUID) -> Resume | None:
    stmt = select(Resume).where(Resume.user_id == user_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def upsert_resume(
    session: AsyncSession, user_id: uuid.UUID, values: dict[str, Any], now: datetime
) -> Resume:
    """Insert or replace the user's resume in one statement (two concurrent PUTs: one row)."""
    stmt = (
        insert(Resume)
        .values(id=uuid.uuid4(), user_id=user_id, updated_at=now, **values)
        .on_conflict_do_update(index_elements=[Resume.user_id], set_={**values, "updated_at": now})
        .returning(Resume)
        .execution_options(populate_existing=True)
    )
    return (await session.execute(stmt)).scalar_one()


# --- jobs as seen by applications ----------------------------------------------------------


async def get_job(session: AsyncSession, job_id: uuid.UUID) -> Job | None:
    return await session.get(Job, job_id)


async def get_job_for_member(
    session: AsyncSession, job_id: uuid.UUID, user_id: uuid.UUID
) -> Job | None:
    """The job if ``user_id`` is a member of its employer, else None."""
    stmt = select(Job).where(Job.id == job_id, member_clause(Job.employer_id, user_id))
    return (await session.execute(stmt)).scalar_one_or_none()


# --- applications --------------------------------------------------------------------------


async def insert_application(session: AsyncSession, values: dict[str, Any]) -> uuid.UUID | None:
    """Insert unless (job, person) already applied; a concurrent twin waits, then gets None."""
    stmt = (
        insert(JobApplication)
        .values(id=uuid.uuid4(), **values)
        .on_conflict_do_nothing(index_elements=[JobApplication.job_id, JobApplication.user_id])
        .returning(JobApplication.id)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def get_by_job_and_user(
    session: AsyncSession, job_id: uuid.UUID, user_id: uuid.UUID, *, lock: bool = False
) -> JobApplication | None:
    stmt = select(JobApplication).where(
        JobApplication.job_id == job_id, JobApplication.user_id == user_id
    )
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return (await session.execute(stmt)).scalar_one_or_none()


async def get_own(
    session: AsyncSession, application_id: uuid.UUID, user_id: uuid.UUID, *, lock: bool = False
) -> JobApplication | None:
    """The application if ``user_id`` is its applicant."""
    stmt = select(JobApplication).where(
        JobApplication.id == application_id, JobApplication.user_id == user_id
    )
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return (await session.execute(stmt)).scalar_one_or_none()


async def get_for_member(
    session: AsyncSession, application_id: uuid.UUID, user_id: uuid.UUID, *, lock: bool = False
) -> JobApplication | None:
    """The application if ``user_id`` is a member of the employer it was sent to."""
    stmt = select(JobApplication).where(
        JobApplication.id == application_id,
        member_clause(JobApplication.employer_id, user_id),
    )
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return (await session.execute(stmt)).scalar_one_or_none()


async def get_readable(
    session: AsyncSession, application_id: uuid.UUID, user_id: uuid.UUID
) -> JobApplication | None:
    """The application if ``user_id`` is its applicant or a member of its employer."""
    stmt = select(JobApplication).where(
        JobApplication.id == application_id,
        or_(
            JobApplication.user_id == user_id,
            member_clause(JobApplication.employer_id, user_id),
        ),
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def job_and_employer(session: AsyncSession, job_id: uuid.UUID) -> Row[Job, Employer]:
    stmt = (
        select(Job, Employer).join(Employer, Employer.id == Job.employer_id).where(Job.id == job_id)
    )
    return (await session.execute(stmt)).one()


async def list_for_applicant(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    status: str | None,
    after: Keyset | None,
    limit: int,
) -> list[Row[JobApplication, Job, Employer]]:
    """The person's applications, newest first, with their job and employer."""
    stmt = (
        select(JobApplication, Job, Employer)
        .join(Job, Job.id == JobApplication.job_id)
        .join(Employer, Employer.id == JobApplication.employer_id)
        .where(JobApplication.user_id == user_id)
        .order_by(JobApplication.created_at.desc(), JobApplication.id.desc())
        .limit(limit)
    )
    if status is not None:
        stmt = stmt.where(JobApplication.status == status)
    if after is not None:
        stmt = stmt.where(tuple_(JobApplication.created_at, JobApplication.id) < after)
    return list((await session.execute(stmt)).all())


async def list_for_job(
    session: AsyncSession,
    job_id: uuid.UUID,
    *,
    status: str | None,
    after: Keyset | None,
    limit: int,
) -> list[Row[JobApplication, User]]:
    """A job's applications with their applicants, newest first (caller checked membership)."""
    stmt = (
        select(JobApplication, User)
        .join(User, User.id == JobApplication.user_id)
        .where(JobApplication.job_id == job_id)
        .order_by(JobApplication.created_at.desc(), JobApplication.id.desc())
        .limit(limit)
    )
    if status is not None:
        stmt = stmt.where(JobApplication.status == status)
    if after is not None:
        stmt = stmt.where(tuple_(JobApplication.created_at, JobApplication.id) < after)
    return list((await session.execute(stmt)).all())


# --- history and employment events ---------------------------------------------------------


async def add_status_change(session: AsyncSession, **values: Any) -> None:
    session.add(ApplicationStatusChange(**values))
    await session.flush()


async def history(
    session: AsyncSession, application_id: uuid.UUID
) -> list[ApplicationStatusChange]:
    stmt = (
        select(ApplicationStatusChange)
        .where(ApplicationStatusChange.application_id == application_id)
        .order_by(ApplicationStatusChange.created_at, ApplicationStatusChange.id)
    )
    return list((await session.execute(stmt)).scalars())


async def add_employment_event(session: AsyncSession, **values: Any) -> EmploymentEvent:
    event = EmploymentEvent(**values)
    session.add(event)
    await session.flush()
    return event


async def list_employment_events(
    session: AsyncSession, user_id: uuid.UUID, *, after: Keyset | None, limit: int
) -> list[Row[EmploymentEvent, Job, Employer]]:
    stmt = (
        select(EmploymentEvent, Job, Employer)
        .join(Job, Job.id == EmploymentEvent.job_id)
        .join(Employer, Employer.id == EmploymentEvent.employer_id)
        .where(EmploymentEvent.user_id == user_id)
        .order_by(EmploymentEvent.created_at.desc(), EmploymentEvent.id.desc())
        .limit(limit)
    )
    if after is not None:
        stmt = stmt.where(tuple_(EmploymentEvent.created_at, EmploymentEvent.id) < after)
    return list((await session.execute(stmt)).all())


async def employment_for(
    session: AsyncSession, application_id: uuid.UUID
) -> EmploymentEvent | None:
    stmt = select(EmploymentEvent).where(EmploymentEvent.application_id == application_id)
    return (await session.execute(stmt)).scalar_one_or_none()
