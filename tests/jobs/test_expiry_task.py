"""The worker's hourly expiry task closes the jobs past their last day."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.queue import JobSpec, TaskRuntime, defer
from app.jobs.models import Job
from app.worker import task_registry
from tests.employers.factories import post_job, shanghai_today
from tests.jobs.conftest import Employers
from tests.support.queue import run_jobs

TASK = "jobs:expire_jobs"


def test_the_expiry_task_is_periodic() -> None:
    periodic = {
        task.task.name for task in task_registry().periodic_registry.periodic_tasks.values()
    }
    assert TASK in periodic


async def test_the_expiry_task_closes_expired_jobs(
    client: httpx.AsyncClient,
    app: FastAPI,
    employers: Employers,
    session: AsyncSession,
    task_runtime: TaskRuntime,
) -> None:
    old = await post_job(client, app, employers.owner_a, employers.employer_a.id)
    await session.execute(
        update(Job)
        .where(Job.id == uuid.UUID(old["id"]))
        .values(valid_until=shanghai_today() - timedelta(days=1))
    )
    await defer(session, [JobSpec(task=TASK, args={"timestamp": 0})])
    [ran] = await run_jobs(session, task_runtime)
    assert (ran.result, ran.error) == (1, None)
    assert await session.scalar(select(Job.status).where(Job.id == uuid.UUID(old["id"]))) == (
        "closed"
    )
