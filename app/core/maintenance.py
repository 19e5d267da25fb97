"""Periodic housekeeping of the core, run by the worker (``app.worker``), never by cron.

* expired idempotency records (24 h) are purged every ten minutes, in small transactions;
* finished task-queue jobs are kept three days for inspection, then deleted (failed ones a week);
* jobs of a worker that died (no heartbeat for a minute) are handed back to the queue every
  minute: a task must therefore tolerate a second run (``notifications:deliver`` does).
"""

from __future__ import annotations

import procrastinate

from app.core.idempotency import purge_expired
from app.core.queue import runtime_of

blueprint = procrastinate.Blueprint()

PURGE_BATCH = 1000
FINISHED_JOBS_KEPT_HOURS = 72
FAILED_JOBS_KEPT_HOURS = 7 * 24


@blueprint.periodic(cron="*/10 * * * *")
@blueprint.task(name="purge_idempotency_records", pass_context=True, queueing_lock="purge_idem")
async def purge_idempotency_records(context: procrastinate.JobContext, timestamp: int) -> int:
    """Delete every expired idempotency record, a batch per transaction; how many went."""
    runtime = runtime_of(context)
    total = 0
    while True:
        async with runtime.sessionmaker() as session, session.begin():
            purged = await purge_expired(session, runtime.clock(), limit=PURGE_BATCH)
        total += purged
        if purged < PURGE_BATCH:
            return total


@blueprint.periodic(cron="17 3 * * *")
@blueprint.task(name="delete_finished_jobs", pass_context=True, queueing_lock="delete_jobs")
async def delete_finished_jobs(context: procrastinate.JobContext, timestamp: int) -> None:
    """Keep the queue table small: finished jobs after three days, failed ones after a week."""
    manager = context.app.job_manager
    await manager.delete_old_jobs(nb_hours=FINISHED_JOBS_KEPT_HOURS)
    await manager.delete_old_jobs(
        nb_hours=FAILED_JOBS_KEPT_HOURS,
        include_failed=True,
        include_cancelled=True,
        include_aborted=True,
    )


STALLED_AFTER_SECONDS = 60


@blueprint.periodic(cron="* * * * *")
@blueprint.task(name="retry_stalled_jobs", pass_context=True, queueing_lock="retry_stalled")
async def retry_stalled_jobs(context: procrastinate.JobContext, timestamp: int) -> int:
    """Put the jobs of workers that stopped sending heartbeats back in the queue; how many."""
    manager = context.app.job_manager
    stalled = await manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_AFTER_SECONDS)
    count = 0
    for job in stalled:
        await manager.retry_job(job)
        count += 1
    return count
