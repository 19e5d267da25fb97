"""Run the task queue's jobs inside a test.

``run_jobs`` plays the worker in-process: it reads the jobs visible to the test's transaction
(``procrastinate_jobs``, status ``todo``, due by ``until``), calls each task's function with a
``JobContext`` carrying the test's ``TaskRuntime``, and marks the job done (or, when the task's
retry strategy says so, due again at its retry time); tasks that enqueue more jobs are followed
until nothing is due. The real worker (``app.worker.run_worker``) is
exercised by the tests that commit (tests/core/test_queue.py).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import procrastinate
from procrastinate.jobs import Job
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.queue import RUNTIME_KEY, TaskRuntime
from app.worker import task_registry


@dataclass(frozen=True)
class RanJob:
    task: str
    args: dict[str, Any]
    result: Any = None
    error: BaseException | None = None


async def run_jobs(
    session: AsyncSession,
    runtime: TaskRuntime,
    *,
    until: datetime | None = None,
    tasks: Sequence[str] | None = None,
    max_rounds: int = 20,
) -> list[RanJob]:
    """Run every due job (of ``tasks`` when given); a failing task's job is marked failed."""
    queue = task_registry()
    ran: list[RanJob] = []
    for _ in range(max_rounds):
        rows = (
            await session.execute(
                text(
                    "SELECT id, queue_name, task_name, args, attempts FROM procrastinate_jobs "
                    "WHERE status = 'todo' AND (scheduled_at IS NULL OR scheduled_at <= :until) "
                    "ORDER BY id"
                ),
                {"until": until or runtime.clock()},
            )
        ).all()
        rows = [row for row in rows if tasks is None or row.task_name in tasks]
        if not rows:
            return ran
        for row in rows:
            ran.append(await _run_one(session, queue, runtime, row))
    raise AssertionError(f"jobs still due after {max_rounds} rounds")


async def _run_one(
    session: AsyncSession, queue: procrastinate.App, runtime: TaskRuntime, row: Any
) -> RanJob:
    task = queue.tasks[row.task_name]
    job = Job(
        id=row.id,
        queue=row.queue_name,
        lock=None,
        queueing_lock=None,
        task_name=row.task_name,
        task_kwargs=row.args,
        attempts=row.attempts,
    )
    context = procrastinate.JobContext(
        app=queue,
        job=job,
        start_timestamp=time.time(),
        additional_context={RUNTIME_KEY: runtime},
        abort_reason=lambda: None,
    )
    args = [context] if task.pass_context else []
    status, result, error, retry_at = "succeeded", None, None, None
    try:
        result = await task.func(*args, **row.args)
    except Exception as exc:  # retried as the task's retry strategy says, else failed
        status, error = "failed", exc
        retry = task.get_retry_exception(exc, job)
        if retry is not None:
            status, retry_at = "todo", retry.retry_decision.retry_at
    await session.execute(
        text(
            "UPDATE procrastinate_jobs SET status = :status, attempts = attempts + 1, "
            "scheduled_at = COALESCE(:retry_at, scheduled_at) WHERE id = :id"
        ),
        {"status": status, "id": row.id, "retry_at": retry_at},
    )
    return RanJob(task=row.task_name, args=dict(row.args), result=result, error=error)
