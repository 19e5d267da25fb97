"""Cursor-paginated lists: my applications, a job's applicants, my employment events."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.applications import repository, views
from app.applications.repository import Keyset
from app.applications.schemas import (
    EmployerApplicationItem,
    EmploymentEventRead,
    MyApplicationItem,
)
from app.core.clock import Clock, local_date
from app.core.pagination import InvalidCursor, Page, decode_cursor, encode_cursor
from app.core.security import Security
from app.identity.models import User
from app.jobs.errors import JobNotFound


def keyset_after(cursor: str | None) -> Keyset | None:
    """Decode a ``[created_at, id]`` cursor (newest-first lists continue below it)."""
    if cursor is None:
        return None
    try:
        stamp, ident = decode_cursor(cursor)
        after = datetime.fromisoformat(stamp)
        return (after if after.tzinfo else after.replace(tzinfo=UTC)), uuid.UUID(ident)
    except (TypeError, ValueError):
        raise InvalidCursor() from None


def _next(created_at: datetime, ident: uuid.UUID) -> str:
    return encode_cursor([created_at.isoformat(), str(ident)])


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
        session, user.id, status=status, after=keyset_after(cursor), limit=limit + 1
    )
    today = local_date(clock())
    items = [views.my_item(app, job, employer, today) for app, job, employer in rows[:limit]]
    last = rows[limit - 1][0] if len(rows) > limit else None
    return Page(items=items, next_cursor=_next(last.created_at, last.id) if last else None)


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
        session, job_id, status=status, after=keyset_after(cursor), limit=limit + 1
    )
    items = [views.employer_item(security, app, applicant) for app, applicant in rows[:limit]]
    last = rows[limit - 1][0] if len(rows) > limit else None
    return Page(items=items, next_cursor=_next(last.created_at, last.id) if last else None)


async def my_employment_events(
    session: AsyncSession, user: User, *, cursor: str | None, limit: int
) -> Page[EmploymentEventRead]:
    rows = await repository.list_employment_events(
        session, user.id, after=keyset_after(cursor), limit=limit + 1
    )
    items = [
        EmploymentEventRead(
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
        for event, job, employer in rows[:limit]
    ]
    last = rows[limit - 1][0] if len(rows) > limit else None
    return Page(items=items, next_cursor=_next(last.created_at, last.id) if last else None)
