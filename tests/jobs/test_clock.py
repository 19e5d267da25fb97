"""Jobs read "today" from the injected clock: expiry, detail and applying follow a set "now"."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.jobs.models import Job
from app.jobs.service import expire_jobs
from tests.employers.factories import job_payload, post_job, shanghai_today
from tests.jobs.conftest import Employers
from tests.support.clock import FakeClock, installed_clock, local
from tests.support.factories import auth


async def test_a_job_expires_when_the_clock_passes_its_last_day(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, session: AsyncSession
) -> None:
    last_day = shanghai_today() + timedelta(days=10)
    job = await post_job(
        client, app, employers.owner_a, employers.employer_a.id, valid_until=last_day.isoformat()
    )
    url, headers = f"/api/v1/jobs/{job['id']}", auth(app, employers.seeker)
    with installed_clock(app, local(last_day.year, last_day.month, last_day.day, 23, 59)) as clock:
        assert (await client.get(url, headers=headers)).json()["can_apply"] is True
        clock.set(clock.now + timedelta(minutes=1))  # midnight in Dongsheng
        detail = (await client.get(url, headers=headers)).json()
    assert detail["is_expired"] is True and detail["can_apply"] is False

    day_after = local(last_day.year, last_day.month, last_day.day) + timedelta(days=1)
    assert await expire_jobs(session, FakeClock(day_after - timedelta(seconds=1))) == 0
    assert await expire_jobs(session, FakeClock(day_after)) == 1
    status = await session.scalar(select(Job.status).where(Job.id == uuid.UUID(job["id"])))
    assert status == "closed"


async def test_posting_checks_the_last_day_against_the_clock(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers
) -> None:
    """A last day that is in the future by the real calendar is in the past by the set clock."""
    last_day = shanghai_today() + timedelta(days=5)
    later = local(last_day.year, last_day.month, last_day.day) + timedelta(days=1)
    with installed_clock(app, later):
        response = await client.post(
            "/api/v1/jobs",
            json=job_payload(employers.employer_a.id, valid_until=last_day.isoformat()),
            headers=auth(app, employers.owner_a),
        )
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "job.valid_until_invalid"
    assert response.json()["details"]["today"] == later.date().isoformat()
