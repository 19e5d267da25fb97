"""Sample data: a few job seekers (示例) with resumes and applications to the demo jobs.

Runs after the jobs seeder. Idempotent: seekers are found by their openid, resumes are upserted,
applications are unique per job and person. Phone numbers are from the 1990000xxxx range and
clearly fake.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications import repository
from app.applications.models import ApplicationStatusChange, JobApplication
from app.applications.resume_schemas import ResumeWrite
from app.applications.resume_service import resume_columns, snapshot_of
from app.core.clock import Clock, local_date, system_clock
from app.core.config import get_settings
from app.core.security import Security
from app.employers import repository as employer_repository
from app.employers.models import EmployerMember
from app.identity.models import User
from app.jobs.models import Job
from app.taxonomy import occupations

# (openid, nickname, real name, phone, resume, number of jobs to apply to)
SEEKERS: tuple[tuple[str, str, str, str, dict[str, Any], int], ...] = (
    (
        "demo_seeker_1",
        "示例求职者·小张",
        "张示例",
        "19900000001",
        {
            "education": [
                {
                    "school": "鄂尔多斯职业学院",
                    "major": "物流管理",
                    "degree": "associate",
                    "start_date": "2021-09-01",
                    "graduation_date": "2024-06-30",
                }
            ],
            "work_history": [
                {
                    "employer_name": "示例物流有限公司",
                    "title": "仓库管理员",
                    "start_date": "2024-07-01",
                    "end_date": "2025-06-30",
                }
            ],
            "skills": ["叉车", "仓储管理", "Excel"],
            "certificates": [{"name": "叉车司机证", "issued_on": "2024-05-01"}],
            "expected_occupation_codes": ["courier", "warehousing"],
            "expected_salary": {"min_fen": 450000, "max_fen": 700000, "unit": "month"},
            "expected_area_codes": ["jiaotong", "tianjiao"],
            "self_introduction": "示例数据：高校毕业生，有一年仓储工作经验，踏实肯干。",
        },
        3,
    ),
    (
        "demo_seeker_2",
        "示例求职者·其其格",
        "其其格示例",
        "19900000002",
        {
            "education": [
                {
                    "school": "内蒙古师范大学",
                    "major": "学前教育",
                    "degree": "bachelor",
                    "start_date": "2019-09-01",
                    "graduation_date": "2023-06-30",
                }
            ],
            "skills": ["普通话二级甲等", "蒙汉双语"],
            "expected_occupation_codes": ["domestic_care"],
            "expected_salary": {"min_fen": 400000, "max_fen": 600000, "unit": "month"},
            "expected_area_codes": ["linyin"],
            "self_introduction": "示例数据：蒙汉双语，喜欢和孩子打交道。",
        },
        2,
    ),
)


async def _seeker(
    session: AsyncSession,
    security: Security,
    spec: tuple[str, str, str, str, Any, int],
    now: datetime,
) -> User:
    openid, nickname, name, phone, _resume, _count = spec
    user = (await session.execute(select(User).where(User.openid == openid))).scalar_one_or_none()
    if user is None:
        user = User(openid=openid, nickname=nickname)
        user.phone_encrypted = security.cipher.encrypt(phone, context="phone")
        user.phone_hash = security.hasher.digest(phone, purpose="phone")
        user.phone_bound_at = now
        user.real_name_encrypted = security.cipher.encrypt(name, context="real_name")
        session.add(user)
        await session.flush()
    return user


def _wanted_occupations(codes: list[str]) -> list[str]:
    """Occupation codes a resume asks for, with categories expanded to their occupations."""
    return [o.code for o in occupations() if o.code in codes or o.category in codes]


async def _matching_jobs(
    session: AsyncSession, user: User, wanted: list[str], n: int, now: datetime
) -> list[Job]:
    """Open jobs of other employers, those matching the resume first, newest first."""
    own = select(EmployerMember.employer_id).where(EmployerMember.user_id == user.id)
    stmt = (
        select(Job)
        .where(Job.status == "published", Job.employer_id.not_in(own))
        .where(Job.valid_until >= local_date(now))
        .order_by(Job.occupation_code.in_(wanted).desc(), Job.published_at.desc(), Job.id)
        .limit(n)
    )
    return list((await session.execute(stmt)).scalars())


async def _apply(
    session: AsyncSession,
    user: User,
    job: Job,
    snapshot: dict[str, Any],
    now: datetime,
    *,
    viewed: bool,
) -> bool:
    """One sample application (and, if ``viewed``, the employer having looked at it)."""
    values = {"job_id": job.id, "employer_id": job.employer_id, "user_id": user.id}
    new_id = await repository.insert_application(
        session,
        {**values, "resume_snapshot": snapshot, "created_at": now, "status_changed_at": now},
    )
    if new_id is None:
        return False
    session.add(
        ApplicationStatusChange(
            application_id=new_id,
            actor_user_id=user.id,
            actor_role="applicant",
            to_status="submitted",
            created_at=now,
        )
    )
    owner = await employer_repository.owner_id(session, job.employer_id) if viewed else None
    if owner is not None:
        application = await session.get(JobApplication, new_id)
        assert application is not None
        application.status = "viewed"
        session.add(
            ApplicationStatusChange(
                application_id=new_id,
                actor_user_id=owner,
                actor_role="employer",
                from_status="submitted",
                to_status="viewed",
                note="示例：已查看简历",
                created_at=now + timedelta(seconds=1),
            )
        )
    await session.flush()
    return True


async def seed_applications(session: AsyncSession, clock: Clock = system_clock) -> int:
    """Sample seekers, their resumes, and applications to matching demo jobs (the first one
    already viewed by the employer); returns the number of applications created."""
    security = Security.from_settings(get_settings().security)
    created, now = 0, clock()
    for spec in SEEKERS:
        user = await _seeker(session, security, spec, now)
        body = ResumeWrite.model_validate(spec[4])
        resume = await repository.upsert_resume(session, user.id, resume_columns(body), now)
        snapshot = snapshot_of(resume, now)
        wanted = _wanted_occupations(body.expected_occupation_codes)
        jobs = await _matching_jobs(session, user, wanted, spec[5], now)
        for index, job in enumerate(jobs):
            created += await _apply(session, user, job, snapshot, now, viewed=index == 0)
    return created
