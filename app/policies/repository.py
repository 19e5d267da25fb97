"""SQL for the facts the service already knows about a person or an organisation."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications.models import EmploymentEvent, Resume
from app.employers.models import Employer
from app.employers.repository import member_clause

# Hires that are employment in the sense of the plan (an internship is not).
EMPLOYMENT_CONTRACTS = ("fixed_term", "open_ended", "part_time")


async def employments(
    session: AsyncSession, user_id: uuid.UUID
) -> Sequence[Row[EmploymentEvent, Employer]]:
    """Hires recorded for `user_id` through job applications, oldest first."""
    stmt = (
        select(EmploymentEvent, Employer)
        .join(Employer, Employer.id == EmploymentEvent.employer_id)
        .where(
            EmploymentEvent.user_id == user_id,
            EmploymentEvent.contract_type.in_(EMPLOYMENT_CONTRACTS),
        )
        .order_by(EmploymentEvent.start_date, EmploymentEvent.id)
        .limit(50)
    )
    return (await session.execute(stmt)).all()


async def resume_education(
    session: AsyncSession, user_id: uuid.UUID
) -> list[dict[str, Any]] | None:
    """The education entries of the person's resume (None without a resume)."""
    stmt = select(Resume.education).where(Resume.user_id == user_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def member_employer(
    session: AsyncSession, employer_id: uuid.UUID, user_id: uuid.UUID
) -> Employer | None:
    """The employer if `user_id` is one of its members (else None: answered as 404)."""
    stmt = select(Employer).where(Employer.id == employer_id, member_clause(Employer.id, user_id))
    return (await session.execute(stmt)).scalar_one_or_none()
