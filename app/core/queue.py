"""Background work on a PostgreSQL task queue: procrastinate, in the service's own database.

Why procrastinate: jobs live in PostgreSQL beside the data they are about, so a job can be
enqueued *in the same transaction* as the change that calls for it (a rolled-back change enqueues
nothing, a committed one always does); many workers on many machines take jobs with
``FOR UPDATE SKIP LOCKED`` (no job runs twice at once); retries with back-off, locks, queueing
locks and periodic (cron) tasks are built in. Nothing new to run beside PostgreSQL.

Layout:

* each domain declares its tasks on a ``procrastinate.Blueprint`` in ``app/<domain>/tasks.py``,
  with plain names; ``app/worker.py`` (a composition root, like ``app/main.py``) adds every
  blueprint under its namespace, so a task's full name is ``"<namespace>:<name>"``;
* the API never opens a procrastinate connection: ``defer`` inserts the job through the request's
  own SQLAlchemy session by calling procrastinate's SQL function, so the job commits or rolls back
  with the request;
* a task receives ``TaskRuntime`` (settings, a session factory, the clock, adapters such as the
  WeChat client) through the worker's ``additional_context``: ``runtime_of(context)``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import procrastinate
from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.types import DateTime, Integer, String

from app.core.clock import Clock
from app.core.config import Settings

DEFAULT_QUEUE = "default"
RUNTIME_KEY = "runtime"


@dataclass(frozen=True)
class TaskRuntime:
    """What a task may use: built once per worker process by ``app.worker``."""

    settings: Settings
    sessionmaker: async_sessionmaker[AsyncSession]
    clock: Clock
    # Adapters wired by the composition root, by name ("wechat" → WeChatClient, …): the core
    # does not import adapters, so each domain reads its adapter with a typed accessor.
    adapters: Mapping[str, Any] = field(default_factory=dict)


def runtime_of(context: procrastinate.JobContext) -> TaskRuntime:
    runtime = context.additional_context.get(RUNTIME_KEY)
    if not isinstance(runtime, TaskRuntime):
        raise RuntimeError("no TaskRuntime: start workers with `python -m app worker`")
    return runtime


def psycopg_conninfo(database_url: str) -> str:
    """The libpq form of a SQLAlchemy URL (``postgresql+asyncpg://`` → ``postgresql://``)."""
    scheme, sep, rest = database_url.partition("://")
    if not sep:
        return database_url
    return f"{scheme.split('+', 1)[0]}://{rest}"


@dataclass(frozen=True)
class JobSpec:
    """One job to enqueue: the task's full name (``"namespace:name"``) and its JSON arguments."""

    task: str
    args: Mapping[str, Any]
    queue: str = DEFAULT_QUEUE
    priority: int = 0
    lock: str | None = None
    queueing_lock: str | None = None
    scheduled_at: datetime | None = None


_DEFER = text(
    """
    SELECT unnest(procrastinate_defer_jobs_v1(ARRAY(
        SELECT ROW(q, t, p, l, ql, a, s)::procrastinate_job_to_defer_v1
        FROM unnest(
            CAST(:queues AS varchar[]), CAST(:tasks AS varchar[]), CAST(:priorities AS integer[]),
            CAST(:locks AS text[]), CAST(:queueing_locks AS text[]), CAST(:args AS jsonb[]),
            CAST(:scheduled AS timestamptz[])
        ) AS job(q, t, p, l, ql, a, s)
    )))
    """
).bindparams(
    bindparam("queues", type_=ARRAY(String)),
    bindparam("tasks", type_=ARRAY(String)),
    bindparam("priorities", type_=ARRAY(Integer)),
    bindparam("locks", type_=ARRAY(String)),
    bindparam("queueing_locks", type_=ARRAY(String)),
    bindparam("args", type_=ARRAY(JSONB)),
    bindparam("scheduled", type_=ARRAY(DateTime(timezone=True))),
)


async def defer(session: AsyncSession, jobs: Sequence[JobSpec]) -> list[int]:
    """Enqueue ``jobs`` inside the session's transaction; one round trip for any number of jobs.

    The jobs become visible to workers when the transaction commits, and vanish with it on a
    rollback. A ``queueing_lock`` already held by a waiting job raises an IntegrityError (wrap the
    call in a savepoint when that is expected).
    """
    if not jobs:
        return []
    result = await session.execute(
        _DEFER,
        {
            "queues": [job.queue for job in jobs],
            "tasks": [job.task for job in jobs],
            "priorities": [job.priority for job in jobs],
            "locks": [job.lock for job in jobs],
            "queueing_locks": [job.queueing_lock for job in jobs],
            "args": [json.loads(json.dumps(dict(job.args), default=str)) for job in jobs],
            "scheduled": [job.scheduled_at for job in jobs],
        },
    )
    return [int(row[0]) for row in result]
