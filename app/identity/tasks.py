"""Identity's worker tasks (namespace ``identity``, see ``app.worker``)."""

from __future__ import annotations

import procrastinate

from app.core.queue import runtime_of
from app.identity.repository import delete_expired_refresh_tokens

blueprint = procrastinate.Blueprint()

PURGE_BATCH = 1000


@blueprint.periodic(cron="23 * * * *")
@blueprint.task(name="purge_refresh_tokens", pass_context=True, queueing_lock="purge_refresh")
async def purge_refresh_tokens(context: procrastinate.JobContext, timestamp: int) -> int:
    """Delete expired refresh tokens hourly, a batch per transaction; how many went.

    An expired token is refused before reuse detection looks at it (``tokens.rotate``), so
    deleting it changes no answer.
    """
    runtime = runtime_of(context)
    total = 0
    while True:
        async with runtime.sessionmaker() as session, session.begin():
            purged = await delete_expired_refresh_tokens(session, runtime.clock(), PURGE_BATCH)
        total += purged
        if purged < PURGE_BATCH:
            return total
