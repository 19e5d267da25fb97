"""Resumes: read, replace, and the snapshot an application keeps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.applications import codes, repository
from app.applications.errors import ResumeNotFound
from app.applications.models import Resume
from app.applications.resume_schemas import ResumeContent, ResumeRead, ResumeSnapshot, ResumeWrite
from app.core.clock import Clock
from app.identity.models import User


def _content(resume: Resume) -> dict[str, Any]:
    salary = None
    if resume.expected_salary_unit is not None:
        salary = {
            "min_fen": resume.expected_salary_min_fen,
            "max_fen": resume.expected_salary_max_fen,
            "unit": resume.expected_salary_unit,
        }
    return {
        "education": resume.education,
        "work_history": resume.work_history,
        "skills": resume.skills,
        "certificates": resume.certificates,
        "expected_occupation_codes": resume.expected_occupation_codes,
        "expected_salary": salary,
        "expected_area_codes": resume.expected_area_codes,
        "self_introduction": resume.self_introduction,
        "highest_education": resume.highest_education,
    }


def resume_read(resume: Resume) -> ResumeRead:
    return ResumeRead.model_validate({**_content(resume), "updated_at": resume.updated_at})


def snapshot_of(resume: Resume, now: datetime) -> dict[str, Any]:
    """The resume as JSON, stamped with the moment (``now``) an application took it."""
    content = ResumeContent.model_validate(_content(resume)).model_dump(mode="json")
    return {**content, "taken_at": now.isoformat()}


def read_snapshot(data: dict[str, Any]) -> ResumeSnapshot:
    return ResumeSnapshot.model_validate(data)


def resume_columns(body: ResumeWrite) -> dict[str, Any]:
    data = body.model_dump(mode="json")
    salary = data.pop("expected_salary")
    return {
        **data,
        "highest_education": codes.highest_education([e.degree for e in body.education]),
        "expected_salary_min_fen": salary["min_fen"] if salary else None,
        "expected_salary_max_fen": salary["max_fen"] if salary else None,
        "expected_salary_unit": salary["unit"] if salary else None,
    }


async def read_resume(session: AsyncSession, user: User) -> ResumeRead:
    resume = await repository.get_resume(session, user.id)
    if resume is None:
        raise ResumeNotFound()
    return resume_read(resume)


async def save_resume(
    session: AsyncSession, clock: Clock, user: User, body: ResumeWrite
) -> ResumeRead:
    """Replace the user's resume as a whole (created on the first save)."""
    resume = await repository.upsert_resume(session, user.id, resume_columns(body), clock())
    return resume_read(resume)
