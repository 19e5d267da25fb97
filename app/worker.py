"""The background worker: ``python -m app worker`` (composition root, like ``app.main``).

It builds the procrastinate ``App`` from every domain's task blueprint (``app/<domain>/tasks.py``,
added under the domain's namespace), wires the adapters the tasks use (the WeChat client) into a
``TaskRuntime``, and runs. Several workers on several machines share one queue: procrastinate
hands each job to one worker (``FOR UPDATE SKIP LOCKED``), and each periodic task is deferred
once per tick whatever the number of workers (``procrastinate_periodic_defers``).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import procrastinate
from procrastinate.app import WorkerOptions

from app.core.clock import Clock, system_clock
from app.core.config import Settings
from app.core.db import create_engine, create_sessionmaker, create_side_engine
from app.core.queue import RUNTIME_KEY, TaskRuntime, psycopg_conninfo

log = logging.getLogger(__name__)


def blueprints() -> dict[str, procrastinate.Blueprint]:
    """Every domain's tasks by namespace; a task's full name is ``"<namespace>:<name>"``."""
    from app.core import maintenance
    from app.events import tasks as event_tasks
    from app.gigs import tasks as gig_tasks
    from app.identity import tasks as identity_tasks
    from app.jobs import tasks as job_tasks
    from app.notifications import tasks as notification_tasks
    from app.people_ledger import tasks as people_ledger_tasks
    from app.service_desk import tasks as service_desk_tasks
    from app.subsidy_offers import tasks as subsidy_offer_tasks

    return {
        "maintenance": maintenance.blueprint,
        "notifications": notification_tasks.blueprint,
        "subsidy_offers": subsidy_offer_tasks.blueprint,
        "jobs": job_tasks.blueprint,
        "identity": identity_tasks.blueprint,
        "events": event_tasks.blueprint,
        "service_desk": service_desk_tasks.blueprint,
        "gigs": gig_tasks.blueprint,
        "people_ledger": people_ledger_tasks.blueprint,
    }


@functools.cache
def task_registry() -> procrastinate.App:
    """The procrastinate App holding every task, built once per process.

    Adding a blueprint renames its tasks in place, so it happens once; ``run_worker`` lends the
    App a connector for its run (``replace_connector``).
    """
    queue = procrastinate.App(connector=procrastinate.PsycopgConnector())
    for namespace, blueprint in blueprints().items():
        queue.add_tasks_from(blueprint, namespace=namespace)
    return queue


@asynccontextmanager
async def task_runtime(
    settings: Settings, database_url: str, *, clock: Clock = system_clock
) -> AsyncIterator[TaskRuntime]:
    """Engine, sessions and adapters for tasks, closed on exit."""
    from app.integrations.wechat.runtime import start_wechat, upstream_http_client

    engine = create_engine(settings, database_url)
    side_engine = create_side_engine(settings, engine.url)
    http = upstream_http_client(settings)
    wechat = start_wechat(settings, engine=side_engine, http=http)
    try:
        yield TaskRuntime(
            settings=settings,
            sessionmaker=create_sessionmaker(engine),
            clock=clock,
            adapters={"wechat": wechat.client, "fake_wechat": wechat.fake},
        )
    finally:
        await wechat.aclose()
        await http.aclose()
        await side_engine.dispose()
        await engine.dispose()


async def run_worker(
    settings: Settings,
    database_url: str,
    *,
    concurrency: int = 4,
    queues: list[str] | None = None,
    wait: bool = True,
) -> None:
    """Run jobs until stopped (``wait=False``: until the queue is empty, for scripts and tests)."""
    connector = procrastinate.PsycopgConnector(conninfo=psycopg_conninfo(database_url))
    with task_registry().replace_connector(connector) as queue:
        async with task_runtime(settings, database_url) as runtime, queue.open_async():
            log.info("worker started", extra={"concurrency": concurrency, "queues": queues})
            options: WorkerOptions = {
                "concurrency": concurrency,
                "wait": wait,
                "additional_context": {RUNTIME_KEY: runtime},
                "install_signal_handlers": wait,
            }
            if queues:
                options["queues"] = queues
            await queue.run_worker_async(**options)
