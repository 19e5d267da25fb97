"""Cursor-paginated lists: my applications, a job's applicants, my employment events."""

from __future__ import annotations

import uuid

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications import repository, views
from app.applications.models import EmploymentEvent
from app.applications.schemas import (
    EmployerApplicationItem,
    EmploymentEventRead,
    MyApplicationItem,
)
from app.core.clock import Clock, local_date
from app.core.keyset import TIME_ID, created_key
from app.core.pagination import Page
from app.core.security import Security
from app.employers.models import Employer
from app.identity.models import User
from app.jobs.errors import JobNotFound
from app.jobs.models import Job


async def my_applications(
    session: AsyncSession,
    clock: Clock,
    user: User,
    *,
    status: str | None,
    cursor: str | None,
    limit: int,
) -> Page[MyApplicationItem]:
    rows = await repository.list_for_applicant(
        session, user.id, status=status, after=TIME_ID.decode(cursor), limit=limit + 1
    )
    today = local_date(clock())
    return TIME_ID.page(
        rows,
        limit,
        key=lambda row: created_key(row[0]),
        item=lambda row: views.my_item(*row, today),
    )


async def job_applications(
    session: AsyncSession,
    security: Security,
    user: User,
    job_id: uuid.UUID,
    *,
    status: str | None,
    cursor: str | None,
    limit: int,
) -> Page[EmployerApplicationItem]:
    """A job's applicants, for members of the job's employer only (others: job not found)."""
    if await repository.get_job_for_member(session, job_id, user.id) is None:
        raise JobNotFound()
    rows = await repository.list_for_job(
        session, job_id, status=status, after=TIME_ID.decode(cursor), limit=limit + 1
    )
    return TIME_ID.page(
        rows,
        limit,
        key=lambda row: created_key(row[0]),
        item=lambda row: views.employer_item(security, *row),
    )


async def my_employment_events(
    session: AsyncSession, user: User, *, cursor: str | None, limit: int
) -> Page[EmploymentEventRead]:
    rows = await repository.list_employment_events(
        session, user.id, after=TIME_ID.decode(cursor), limit=limit + 1
    )
    return TIME_ID.page(rows, limit, key=lambda row: created_key(row[0]), item=_event_read)


def _event_read(row: Row[EmploymentEvent, Job, Employer]) -> EmploymentEventRead:
    event, job, employer = row
    return EmploymentEventRead(
        id=event.id,
        employer_id=employer.id,
        employer_name=employer.name,
        job_id=job.id,
        job_title=job.title,
        application_id=event.application_id,
        start_date=event.start_date,
        contract_type=event.contract_type,
        contract_months=event.contract_months,
        is_first_contract=event.is_first_contract,
        created_at=event.created_at,
    )
