"""The jobs' worker tasks (namespace ``jobs``, see ``app.worker``)."""

from __future__ import annotations

import procrastinate

from app.core.queue import runtime_of
from app.jobs.saved_searches import send_digest
from app.jobs.service import expire_jobs

blueprint = procrastinate.Blueprint()

DIGEST_BATCH = 200


# 01:00 UTC = 09:00 Beijing: the morning after a day of postings, inside WeChat's waking hours.
@blueprint.periodic(cron="0 1 * * *")
@blueprint.task(name="saved_search_digest", pass_context=True, queueing_lock="saved_search_digest")
async def saved_search_digest(context: procrastinate.JobContext, timestamp: int) -> int:
    """Today's digest of new matching jobs, a batch of people per transaction; batches run."""
    runtime = runtime_of(context)
    now = runtime.clock()
    after, batches = None, 0
    while True:
        async with runtime.sessionmaker() as session, session.begin():
            after = await send_digest(session, now, after, DIGEST_BATCH)
        if after is None:
            return batches
        batches += 1


# Hourly at :05, so the first run after midnight Beijing (16:05 UTC) closes the postings whose
# last valid day ended yesterday, and a worker that was down catches up within the hour. The
# applicants still in process hear of it (search already hides such jobs from midnight).
@blueprint.periodic(cron="5 * * * *")
@blueprint.task(name="expire_jobs", pass_context=True, queueing_lock="expire_jobs")
async def expire_jobs_task(context: procrastinate.JobContext, timestamp: int) -> int:
    runtime = runtime_of(context)
    async with runtime.sessionmaker() as session, session.begin():
        return await expire_jobs(session, runtime.clock)
