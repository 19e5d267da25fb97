"""SQL for internship posts and interns; a host unit's rows are read only by its members."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications.models import JobApplication
from app.employers.models import Employer
from app.employers.repository import member_clause
from app.identity.models import User
from app.internships.models import InternshipEnrolment
from app.jobs.models import Job

InternRow = Row[InternshipEnrolment, Job, Employer, User]


async def internship_posts(
    session: AsyncSession,
    today: date,
    *,
    before: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> Sequence[Row[Job, Employer]]:
    stmt = (
        select(Job, Employer)
        .join(Employer, Employer.id == Job.employer_id)
        .where(
            Job.job_type == "internship",
            Job.status == "published",
            Job.valid_until >= today,
            Employer.status == "verified",
        )
    )
    if before is not None:
        stmt = stmt.where(tuple_(Job.published_at, Job.id) < tuple_(*before))
    stmt = stmt.order_by(Job.published_at.desc(), Job.id.desc()).limit(limit)
    return (await session.execute(stmt)).all()


async def member_employer(
    session: AsyncSession, employer_id: uuid.UUID, user_id: uuid.UUID
) -> Employer | None:
    """The employer if ``user_id`` is one of its members (else None → 404)."""
    stmt = select(Employer).where(Employer.id == employer_id, member_clause(Employer.id, user_id))
    return await session.scalar(stmt)


async def application_for_employer(
    session: AsyncSession, application_id: uuid.UUID, employer_id: uuid.UUID
) -> Row[JobApplication, Job, User] | None:
    stmt = (
        select(JobApplication, Job, User)
        .join(Job, Job.id == JobApplication.job_id)
        .join(User, User.id == JobApplication.user_id)
        .where(JobApplication.id == application_id, JobApplication.employer_id == employer_id)
    )
    return (await session.execute(stmt)).one_or_none()


async def insert_intern(session: AsyncSession, values: dict[str, Any]) -> uuid.UUID | None:
    stmt = (
        insert(InternshipEnrolment)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["job_id", "user_id"])
        .returning(InternshipEnrolment.id)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


def _interns() -> Any:
    return (
        select(InternshipEnrolment, Job, Employer, User)
        .join(Job, Job.id == InternshipEnrolment.job_id)
        .join(Employer, Employer.id == InternshipEnrolment.employer_id)
        .join(User, User.id == InternshipEnrolment.user_id)
    )


async def get_intern(
    session: AsyncSession,
    internship_id: uuid.UUID,
    *,
    employer_id: uuid.UUID,
    lock: bool = False,
) -> InternRow | None:
    stmt = _interns().where(
        InternshipEnrolment.id == internship_id, InternshipEnrolment.employer_id == employer_id
    )
    if lock:
        stmt = stmt.with_for_update(of=InternshipEnrolment)
    row: InternRow | None = (
        await session.execute(stmt, execution_options={"populate_existing": True})
    ).one_or_none()
    return row


async def interns(
    session: AsyncSession,
    *,
    employer_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
    after: tuple[date, uuid.UUID] | None = None,
    limit: int = 1000,
) -> Sequence[InternRow]:
    """Interns of a host unit or of a person, by start date."""
    stmt = _interns()
    if employer_id is not None:
        stmt = stmt.where(InternshipEnrolment.employer_id == employer_id)
    if user_id is not None:
        stmt = stmt.where(InternshipEnrolment.user_id == user_id)
    if after is not None:
        stmt = stmt.where(
            tuple_(InternshipEnrolment.start_date, InternshipEnrolment.id) > tuple_(*after)
        )
    stmt = stmt.order_by(InternshipEnrolment.start_date, InternshipEnrolment.id).limit(limit)
    rows: Sequence[InternRow] = (await session.execute(stmt)).all()
    return rows
