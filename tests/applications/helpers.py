"""Employers, jobs, seekers and resumes for the application tests, arranged in the database."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.employers.contact import seal_contact_phone
from app.employers.models import Employer, EmployerMember
from app.identity.models import User
from app.jobs.models import Job
from tests.support.factories import auth, default_security, make_user

RESUME: dict[str, Any] = {
    "education": [
        {
            "school": "内蒙古大学",
            "major": "物流管理",
            "degree": "bachelor",
            "start_date": "2018-09-01",
            "graduation_date": "2022-06-30",
        },
        {"school": "东胜区第一中学", "degree": "senior_high", "graduation_date": "2018-06-30"},
    ],
    "work_history": [
        {
            "employer_name": "示例物流有限公司",
            "title": "仓库管理员",
            "start_date": "2022-07-01",
            "end_date": "2024-03-31",
        }
    ],
    "skills": ["叉车", "仓储管理"],
    "certificates": [{"name": "叉车司机证", "issued_on": "2022-05-01"}],
    "expected_occupation_codes": ["courier"],
    "expected_salary": {"min_fen": 500000, "max_fen": 800000, "unit": "month"},
    "expected_area_codes": ["jiaotong"],
    "self_introduction": "踏实肯干，能吃苦。",
}


def credit_code() -> str:
    return "91150602" + secrets.token_hex(5).upper()


async def make_employer(session: AsyncSession, owner: User, *, name: str = "示例单位") -> Employer:
    employer = Employer(
        name=name,
        credit_code=credit_code(),
        kind="enterprise",
        size_class="small",
        industry_code="modern_logistics",
        area_code="jiaotong",
        address="东胜区示例路 1 号",
        latitude=39.816,
        longitude=109.987,
        contact_name="王经理",
        contact_phone_encrypted=seal_contact_phone(default_security(), "04778000000"),
        status="verified",
        created_by=owner.id,
    )
    session.add(employer)
    await session.flush()
    session.add(EmployerMember(employer_id=employer.id, user_id=owner.id, role="owner"))
    await session.flush()
    return employer


async def add_member(session: AsyncSession, employer: Employer, user: User) -> None:
    session.add(EmployerMember(employer_id=employer.id, user_id=user.id, role="recruiter"))
    await session.flush()


async def make_job(
    session: AsyncSession,
    employer: Employer,
    *,
    status: str = "published",
    valid_until: date | None = None,
    title: str = "快递员",
) -> Job:
    job = Job(
        employer_id=employer.id,
        created_by=employer.created_by,
        status=status,
        title=title,
        description="负责片区快递派送",
        occupation_code="courier",
        industry_code="modern_logistics",
        job_type="full_time",
        salary_min_fen=500000,
        salary_max_fen=800000,
        salary_unit="month",
        monthly_salary_min_fen=500000,
        monthly_salary_max_fen=800000,
        headcount=3,
        education="none",
        area_code="jiaotong",
        address="东胜区示例路 1 号",
        latitude=39.816,
        longitude=109.987,
        valid_until=valid_until or date.today() + timedelta(days=30),
        published_at=datetime.now(UTC) if status == "published" else None,
    )
    session.add(job)
    await session.flush()
    return job


@dataclass
class World:
    """Two employers A and B with a recruiter each, a published job each, and two seekers."""

    recruiter_a: User
    recruiter_b: User
    employer_a: Employer
    employer_b: Employer
    job_a: Job
    job_b: Job
    seeker: User
    other_seeker: User


SEEKER_PHONE = "13800000001"
OTHER_PHONE = "13900000002"


async def build_world(session: AsyncSession, app: FastAPI) -> World:
    recruiter_a = await make_user(session, app, phone="13700000010", nickname="甲招聘")
    recruiter_b = await make_user(session, app, phone="13700000020", nickname="乙招聘")
    employer_a = await make_employer(session, recruiter_a, name="示例甲公司")
    employer_b = await make_employer(session, recruiter_b, name="示例乙公司")
    seeker = await make_user(session, app, phone=SEEKER_PHONE, real_name=("张三", _id("001")))
    other = await make_user(session, app, phone=OTHER_PHONE, real_name=("李四", _id("002")))
    return World(
        recruiter_a=recruiter_a,
        recruiter_b=recruiter_b,
        employer_a=employer_a,
        employer_b=employer_b,
        job_a=await make_job(session, employer_a, title="快递员"),
        job_b=await make_job(session, employer_b, title="仓库管理员"),
        seeker=seeker,
        other_seeker=other,
    )


def _id(seq: str) -> str:
    # Not a valid check digit; make_user stores what it is given (only birth date/sex are read).
    return f"15060219990315{seq}X"


async def put_resume(
    client: httpx.AsyncClient, app: FastAPI, user: User, body: dict[str, Any] | None = None
) -> dict[str, Any]:
    response = await client.put("/api/v1/me/resume", json=body or RESUME, headers=auth(app, user))
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


async def apply(
    client: httpx.AsyncClient,
    app: FastAPI,
    user: User,
    job_id: uuid.UUID,
    *,
    key: str | None = None,
) -> httpx.Response:
    headers = auth(app, user)
    if key is not None:
        headers["Idempotency-Key"] = key
    return await client.post(f"/api/v1/jobs/{job_id}/applications", headers=headers)


async def patch_status(
    client: httpx.AsyncClient,
    app: FastAPI,
    user: User,
    application_id: str,
    status: str,
    **extra: Any,
) -> httpx.Response:
    return await client.post(
        f"/api/v1/applications/{application_id}/status",
        json={"status": status, **extra},
        headers=auth(app, user),
    )
