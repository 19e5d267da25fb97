"""SQL of the people ledger: lists, one person, follow-ups, and the person's platform records."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from app.applications.models import EmploymentEvent, JobApplication
from app.identity.models import StaffAccount, User
from app.jobs.models import Job
from app.people_ledger.figures import has_category, in_year
from app.people_ledger.models import LedgerFollowUp, LedgerImport, LedgerPerson
from app.training.models import TrainingCourse, TrainingEnrolment

PLATFORM_ROWS = 20


async def list_people(
    session: AsyncSession,
    *,
    category: str | None,
    status: str | None,
    area_code: str | None,
    id_number_hash: str | None,
    year: int | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> Sequence[LedgerPerson]:
    """Newest first; ``limit + 1`` rows (the extra one says there is a next page)."""
    stmt = select(LedgerPerson)
    if category is not None:
        stmt = stmt.where(has_category(category))
    if status is not None:
        stmt = stmt.where(LedgerPerson.status == status)
    if area_code is not None:
        stmt = stmt.where(LedgerPerson.area_code == area_code)
    if id_number_hash is not None:
        stmt = stmt.where(LedgerPerson.id_number_hash == id_number_hash)
    if year is not None:
        stmt = stmt.where(in_year(year))
    if after is not None:
        stmt = stmt.where(tuple_(LedgerPerson.created_at, LedgerPerson.id) < tuple_(*after))
    stmt = stmt.order_by(LedgerPerson.created_at.desc(), LedgerPerson.id.desc()).limit(limit + 1)
    return (await session.scalars(stmt)).all()


async def get_person(
    session: AsyncSession, person_id: uuid.UUID, *, lock: bool = False
) -> LedgerPerson | None:
    stmt = select(LedgerPerson).where(LedgerPerson.id == person_id)
    if lock:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt)


async def list_imports(
    session: AsyncSession, *, after: tuple[datetime, uuid.UUID] | None, limit: int
) -> Sequence[LedgerImport]:
    """Newest first, ``limit + 1`` rows; the sealed file is never loaded for a list."""
    stmt = select(LedgerImport).options(defer(LedgerImport.file_sealed), defer(LedgerImport.errors))
    if after is not None:
        stmt = stmt.where(tuple_(LedgerImport.created_at, LedgerImport.id) < tuple_(*after))
    stmt = stmt.order_by(LedgerImport.created_at.desc(), LedgerImport.id.desc()).limit(limit + 1)
    return (await session.scalars(stmt)).all()


async def get_import(session: AsyncSession, import_id: uuid.UUID) -> LedgerImport | None:
    return await session.get(LedgerImport, import_id, populate_existing=True)


async def follow_ups(session: AsyncSession, person_id: uuid.UUID) -> Sequence[Any]:
    stmt = (
        select(LedgerFollowUp, StaffAccount.display_name)
        .outerjoin(StaffAccount, StaffAccount.id == LedgerFollowUp.staff_id)
        .where(LedgerFollowUp.person_id == person_id)
        .order_by(LedgerFollowUp.happened_at.desc(), LedgerFollowUp.id.desc())
    )
    return (await session.execute(stmt)).all()


async def job_exists(session: AsyncSession, job_id: uuid.UUID) -> bool:
    return await session.scalar(select(Job.id).where(Job.id == job_id)) is not None


async def platform_user(session: AsyncSession, id_number_hash: str) -> User | None:
    """The mini-program account whose verified ID number is the person's (same keyed hash)."""
    stmt = select(User).where(User.id_number_hash == id_number_hash, User.deleted_at.is_(None))
    return await session.scalar(stmt)


async def applications_of(session: AsyncSession, user_id: uuid.UUID) -> Sequence[Any]:
    stmt = (
        select(
            JobApplication.id,
            JobApplication.job_id,
            Job.title.label("job_title"),
            JobApplication.status,
            JobApplication.created_at,
        )
        .join(Job, Job.id == JobApplication.job_id)
        .where(JobApplication.user_id == user_id)
        .order_by(JobApplication.created_at.desc(), JobApplication.id.desc())
        .limit(PLATFORM_ROWS)
    )
    return (await session.execute(stmt)).all()


async def hires_of(session: AsyncSession, user_id: uuid.UUID) -> Sequence[Any]:
    stmt = (
        select(
            EmploymentEvent.job_id,
            Job.title.label("job_title"),
            EmploymentEvent.employer_id,
            EmploymentEvent.start_date,
            EmploymentEvent.contract_type,
        )
        .join(Job, Job.id == EmploymentEvent.job_id)
        .where(EmploymentEvent.user_id == user_id)
        .order_by(EmploymentEvent.start_date.desc(), EmploymentEvent.id)
    )
    return (await session.execute(stmt)).all()


async def trainings_of(session: AsyncSession, user_id: uuid.UUID) -> Sequence[Any]:
    stmt = (
        select(
            TrainingEnrolment.course_id,
            TrainingCourse.title.label("course_title"),
            TrainingEnrolment.status,
            TrainingEnrolment.created_at,
        )
        .join(TrainingCourse, TrainingCourse.id == TrainingEnrolment.course_id)
        .where(TrainingEnrolment.user_id == user_id)
        .order_by(TrainingEnrolment.created_at.desc(), TrainingEnrolment.id.desc())
        .limit(PLATFORM_ROWS)
    )
    return (await session.execute(stmt)).all()
