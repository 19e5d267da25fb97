"""Sample job postings for the demo: ~300 Chinese postings across Dongsheng's streets and towns.

They come from ``app.demo.content`` (text that passes the moderation rules, pay in each
occupation's typical range) and are stored published, as if staff had nothing to object to.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import Clock, local_date, system_clock
from app.demo.content import DemoJob
from app.demo.employers import demo_content
from app.employers.models import Employer
from app.jobs.documents import JobDocument, document_of, replace_terms
from app.jobs.models import Job
from app.jobs.service import validated_fields
from app.taxonomy import JobType

DEMO_JOB_COUNT = 300


def _fields(
    sample: DemoJob, employer: Employer, rng: random.Random, now: datetime
) -> dict[str, object]:
    today = local_date(now)
    internship = sample.job_type is JobType.INTERNSHIP
    raw = {
        "title": sample.title[:60],
        "description": sample.description,
        "occupation_code": sample.occupation_code,
        "industry_code": sample.industry_code,
        "job_type": str(sample.job_type),
        "internship_months": rng.choice((3, 6)) if internship else None,
        "internship_allowance_fen": sample.pay_min_fen if internship else None,
        "salary_min_fen": sample.pay_min_fen,
        "salary_max_fen": sample.pay_max_fen,
        "salary_unit": str(sample.pay_unit),
        "headcount": sample.headcount,
        "education": str(sample.education),
        "experience_years": sample.experience_years,
        "area_code": sample.area_code,
        "address": f"{employer.address}（示例地址）"[:200],
        "latitude": sample.lat,
        "longitude": sample.lng,
        "benefits": list(sample.benefits),
        "open_to_graduates": sample.open_to_graduates,
        "valid_until": today + timedelta(days=rng.randint(20, 120)),
    }
    return validated_fields(raw, employer, today)


def _job(sample: DemoJob, employer: Employer, rng: random.Random, now: datetime) -> Job:
    job = Job(
        employer_id=employer.id,
        created_by=employer.created_by,
        **_fields(sample, employer, rng, now),
    )
    job.status = "published"
    job.published_at = now - timedelta(days=sample.posted_days_ago, minutes=rng.randint(0, 1439))
    job.moderation = {
        "outcome": "published",
        "findings": [],
        "wechat_suggest": None,
        "staff_reason": "示例数据",
        "checked_at": now.isoformat(),
    }
    return job


async def seed_jobs(session: AsyncSession, clock: Clock = system_clock) -> int:
    """Published sample jobs of the sample employers; nothing if they already have jobs."""
    content = demo_content()
    codes = {e.key: e.credit_code for e in content.employers}
    employers = {
        e.credit_code: e
        for e in (
            await session.execute(select(Employer).where(Employer.credit_code.in_(codes.values())))
        ).scalars()
    }
    if not employers:
        return 0
    has_jobs = await session.scalar(
        select(func.count())
        .select_from(Job)
        .where(Job.employer_id.in_([e.id for e in employers.values()]))
    )
    if has_jobs:
        return 0
    rng, now = random.Random("demo-jobs"), clock()
    documents: dict[uuid.UUID, JobDocument] = {}
    for sample in content.jobs(DEMO_JOB_COUNT):
        employer = employers.get(codes[sample.employer_key])
        if employer is not None:
            job = _job(sample, employer, rng, now)
            job.id = uuid.uuid4()
            session.add(job)
            documents[job.id] = document_of(job, employer)
    await session.flush()
    await replace_terms(session, documents)
    return len(documents)
