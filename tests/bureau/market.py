"""A constructed labour market for the supply–demand figures (API and console tests)."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications.models import Resume
from app.employers.models import Employer
from app.gigs.models import GigWorkerProfile
from app.jobs.models import Job
from tests.applications.helpers import make_employer
from tests.gigs.helpers import make_worker
from tests.support.clock import local
from tests.support.factories import make_user

MARCH = local(2025, 3, 1, 9, 0)


async def market_job(
    session: AsyncSession,
    employer: Employer,
    occupation: str,
    headcount: int,
    published_at: datetime,
    *,
    area: str = "jiaotong",
    closed_at: datetime | None = None,
    pay: tuple[int, int] = (500000, 700000),
) -> Job:
    job = Job(
        employer_id=employer.id,
        created_by=employer.created_by,
        status="closed" if closed_at else "published",
        title="测试岗位",
        description="测试",
        occupation_code=occupation,
        industry_code="modern_logistics",
        job_type="full_time",
        salary_min_fen=pay[0],
        salary_max_fen=pay[1],
        salary_unit="month",
        monthly_salary_min_fen=pay[0],
        monthly_salary_max_fen=pay[1],
        headcount=headcount,
        education="none",
        area_code=area,
        address="东胜区示例路 1 号",
        latitude=39.816,
        longitude=109.987,
        valid_until=date(2025, 12, 31),
        published_at=published_at,
        closed_at=closed_at,
    )
    session.add(job)
    await session.flush()
    return job


async def market_seekers(session: AsyncSession, app: FastAPI, occupation: str, count: int) -> None:
    for _ in range(count):
        user = await make_user(session, app)
        session.add(
            Resume(
                user_id=user.id,
                expected_occupation_codes=[occupation],
                expected_area_codes=["gongyuan"],
                created_at=MARCH,
            )
        )
    await session.flush()


async def build_market(session: AsyncSession, app: FastAPI) -> None:
    owner = await make_user(session, app)
    employer = await make_employer(session, owner)
    # Electricians: 12 wanted since March, 4 seekers -> ratio 3 every month.
    await market_job(session, employer, "electrician", 8, MARCH, pay=(600000, 800000))
    await market_job(session, employer, "electrician", 4, MARCH, pay=(700000, 900000))
    await market_job(  # closed in April: not live at the end of April
        session, employer, "electrician", 100, MARCH, closed_at=local(2025, 4, 20, 10, 0)
    )
    await market_seekers(session, app, "electrician", 4)
    # Couriers: 20 wanted, 20 seekers -> ratio 1, no shortage.
    await market_job(session, employer, "courier", 20, MARCH)
    await market_seekers(session, app, "courier", 20)
    # Welders: 15 wanted from 10 May, no seeker at all.
    await market_job(session, employer, "welder", 15, local(2025, 5, 10, 9, 0))
    # Chefs: 11 wanted, published 1 June 00:30 Beijing time (still 31 May in UTC): June only.
    await market_job(session, employer, "chef", 11, local(2025, 6, 1, 0, 30))
    # Loaders: 9 wanted, 1 gig worker whose skill (moving) is a loader's -> below the minimum.
    await market_job(session, employer, "loader", 9, MARCH)
    worker = await make_worker(session, app)
    await session.execute(
        update(GigWorkerProfile)
        .where(GigWorkerProfile.user_id == worker.id)
        .values(created_at=MARCH)
    )
