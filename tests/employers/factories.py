"""Employers and jobs for the employer and job tests: valid credit codes, payloads, rows."""

from __future__ import annotations

import itertools
import uuid
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.employers.contact import seal_contact_phone
from app.employers.credit_code import ALPHABET, check_character
from app.employers.models import Employer, EmployerMember
from app.identity.models import User
from tests.support.factories import auth, default_security

_counter = itertools.count(1)


def credit_code() -> str:
    """A fresh, valid unified social credit code (enterprise, Dongsheng region code)."""
    body = uuid.uuid4().int
    org = "".join(ALPHABET[(body >> (5 * i)) % 31] for i in range(9))
    first17 = "91150602" + org
    return first17 + check_character(first17)


def employer_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "name": f"示例测试物流有限公司{next(_counter)}",
        "credit_code": credit_code(),
        "kind": "enterprise",
        "size_class": "small",
        "industry_code": "modern_logistics",
        "area_code": "jiaotong",
        "address": "东胜区示例路 1 号",
        "latitude": 39.816,
        "longitude": 109.987,
        "contact_name": "王经理",
        "contact_phone": "13800000000",
    }
    payload.update(overrides)
    return payload


async def make_employer(
    session: AsyncSession, owner: User, *, status: str = "verified", name: str | None = None
) -> Employer:
    """An employer row with ``owner`` as its owner member."""
    data = employer_payload()
    if name:
        data["name"] = name
    phone = seal_contact_phone(default_security(), data.pop("contact_phone"))
    employer = Employer(**data, contact_phone_encrypted=phone, status=status, created_by=owner.id)
    session.add(employer)
    await session.flush()
    session.add(EmployerMember(employer_id=employer.id, user_id=owner.id, role="owner"))
    await session.flush()
    return employer


async def add_recruiter(session: AsyncSession, employer: Employer, user: User) -> None:
    session.add(EmployerMember(employer_id=employer.id, user_id=user.id, role="recruiter"))
    await session.flush()


def shanghai_today() -> date:
    from datetime import datetime

    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def job_payload(employer_id: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "employer_id": str(employer_id),
        "title": "快递员",
        "description": "负责东胜区交通街道片区的快递派送与揽收，按时完成派件。",
        "occupation_code": "courier",
        "job_type": "full_time",
        "salary_min_fen": 500_000,
        "salary_max_fen": 800_000,
        "salary_unit": "month",
        "headcount": 3,
        "education": "none",
        "experience_years": 0,
        "area_code": "jiaotong",
        "address": "东胜区示例路 1 号",
        "latitude": 39.816,
        "longitude": 109.987,
        "benefits": ["social_insurance_fund"],
        "open_to_graduates": True,
        "valid_until": (shanghai_today() + timedelta(days=30)).isoformat(),
    }
    payload.update(overrides)
    return payload


async def post_job(
    client: httpx.AsyncClient, app: FastAPI, user: User, employer_id: uuid.UUID, **overrides: Any
) -> dict[str, Any]:
    """Create a job through the API and insist it was accepted."""
    response = await client.post(
        "/api/v1/jobs", json=job_payload(employer_id, **overrides), headers=auth(app, user)
    )
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


def job_put_body(job: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The whole posting as `PUT /jobs/{id}` wants it: the job as read, with ``changes``."""
    from app.jobs.schemas import JobUpdate

    body = {name: job[name] for name in JobUpdate.model_fields}
    body.update(changes)
    return body
