"""Expiry: computed in queries, and ``expire_jobs`` tidies the status for a worker."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import system_clock
from app.jobs.models import Job
from app.jobs.service import expire_jobs
from tests.employers.factories import post_job, shanghai_today
from tests.jobs.conftest import Employers


async def test_expire_jobs_closes_only_jobs_past_their_last_day(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, session: AsyncSession
) -> None:
    live = await post_job(client, app, employers.owner_a, employers.employer_a.id)
    today = await post_job(
        client,
        app,
        employers.owner_a,
        employers.employer_a.id,
        valid_until=shanghai_today().isoformat(),
    )
    old = await post_job(client, app, employers.owner_a, employers.employer_a.id)
    await session.execute(
        update(Job)
        .where(Job.id == uuid.UUID(old["id"]))
        .values(valid_until=shanghai_today() - timedelta(days=1))
    )

    assert await expire_jobs(session, system_clock) == 1
    statuses = {
        job_id: status for job_id, status in await session.execute(select(Job.id, Job.status))
    }
    assert statuses == {
        uuid.UUID(live["id"]): "published",
        uuid.UUID(today["id"]): "published",
        uuid.UUID(old["id"]): "closed",
    }
    assert await expire_jobs(session, system_clock) == 0
