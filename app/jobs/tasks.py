"""The jobs' worker tasks (namespace ``jobs``, see ``app.worker``)."""

from __future__ import annotations

import procrastinate

from app.core.queue import runtime_of
from app.jobs.service import expire_jobs

blueprint = procrastinate.Blueprint()


@blueprint.periodic(cron="7 * * * *")
@blueprint.task(name="expire_jobs", pass_context=True, queueing_lock="expire_jobs")
async def expire_jobs_task(context: procrastinate.JobContext, timestamp: int) -> int:
    """Close published jobs past their last valid day, hourly (queries hide them from midnight
    already; this flips the stored status so lists of closed jobs and employers' counts agree)."""
    runtime = runtime_of(context)
    async with runtime.sessionmaker() as session, session.begin():
        return await expire_jobs(session, runtime.clock)
