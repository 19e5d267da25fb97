"""The eligibility scan in the worker (namespace ``subsidy_offers``, see ``app.worker``).

Every minute: the pass reads only what changed since the last one (and the subjects due a
time-based rescan), so a hire recorded or a résumé edited is answered within a minute or two.
"""

from __future__ import annotations

import procrastinate

from app.core.queue import runtime_of
from app.subsidies.ledger import load_ledger
from app.subsidy_offers.scan import run_scan

blueprint = procrastinate.Blueprint()


@blueprint.periodic(cron="* * * * *")
@blueprint.task(
    name="scan", pass_context=True, queueing_lock="subsidy_offers_scan", lock="subsidy_offers_scan"
)
async def scan(context: procrastinate.JobContext, timestamp: int) -> dict[str, int]:
    runtime = runtime_of(context)
    async with runtime.sessionmaker() as session, session.begin():
        result = await run_scan(session, runtime.clock(), load_ledger)
    return {"people": result.people, "units": result.units, "offers": result.offers}
