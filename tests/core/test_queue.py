"""The task queue: jobs enqueue with the transaction that calls for them, and a real worker runs
them (procrastinate on the test database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.core.clock import system_clock
from app.core.config import Settings
from app.core.idempotency import RETENTION, IdempotencyRecord
from app.core.queue import JobSpec, TaskRuntime, defer, psycopg_conninfo
from app.worker import blueprints, run_worker, task_registry
from tests.conftest import truncate_all
from tests.support.clock import FakeClock
from tests.support.queue import run_jobs

PURGE = "maintenance:purge_idempotency_records"


async def _jobs(session: AsyncSession, *, small_timestamps: bool = False) -> list[tuple[str, str]]:
    """The queue's jobs; ``small_timestamps``: only the test's own (periodic defers carry epochs)."""
    where = " WHERE (args->>'timestamp')::bigint < 1000" if small_timestamps else ""
    rows = await session.execute(
        text(f"SELECT task_name, status::text FROM procrastinate_jobs{where}")
    )
    return [(row[0], row[1]) for row in rows]


def test_every_blueprint_task_is_registered_under_its_namespace() -> None:
    queue = task_registry()
    for namespace, blueprint in blueprints().items():
        assert all(task.name.startswith(f"{namespace}:") for task in blueprint.tasks.values())
        assert set(blueprint.tasks) <= set(queue.tasks)
    assert PURGE in queue.tasks
    assert "maintenance:delete_finished_jobs" in queue.tasks


def test_conninfo_drops_the_sqlalchemy_driver() -> None:
    assert psycopg_conninfo("postgresql+asyncpg://u@h:5432/d") == "postgresql://u@h:5432/d"
    assert psycopg_conninfo("postgresql://u@h/d") == "postgresql://u@h/d"


async def test_a_rolled_back_change_enqueues_nothing(session: AsyncSession) -> None:
    savepoint = await session.begin_nested()
    await defer(session, [JobSpec(task=PURGE, args={"timestamp": 0})])
    assert await _jobs(session) == [(PURGE, "todo")]
    await savepoint.rollback()
    assert await _jobs(session) == []


async def test_many_jobs_enqueue_in_one_call(session: AsyncSession) -> None:
    ids = await defer(session, [JobSpec(task=PURGE, args={"timestamp": n}) for n in range(500)])
    assert len(set(ids)) == 500
    count = await session.scalar(text("SELECT count(*) FROM procrastinate_jobs"))
    assert count == 500


async def test_a_task_runs_in_process_on_the_test_transaction(
    session: AsyncSession, task_runtime: TaskRuntime
) -> None:
    now = system_clock()
    session.add_all(
        [
            IdempotencyRecord(scope="s", key="old", request_hash="h", created_at=now - RETENTION),
            IdempotencyRecord(scope="s", key="new", request_hash="h", created_at=now),
        ]
    )
    await defer(session, [JobSpec(task=PURGE, args={"timestamp": 0})])
    await session.flush()
    ran = await run_jobs(session, replace(task_runtime, clock=FakeClock(now)))
    assert [(job.task, job.result, job.error) for job in ran] == [(PURGE, 1, None)]
    keys = await session.scalars(select(IdempotencyRecord.key))
    assert list(keys) == ["new"]


async def test_a_job_scheduled_later_waits(
    session: AsyncSession, task_runtime: TaskRuntime
) -> None:
    later = system_clock() + timedelta(hours=1)
    await defer(session, [JobSpec(task=PURGE, args={"timestamp": 0}, scheduled_at=later)])
    assert await run_jobs(session, task_runtime) == []
    assert len(await run_jobs(session, task_runtime, until=later)) == 1


async def test_the_real_worker_runs_committed_jobs_once(
    engine: AsyncEngine, settings: Settings, database_url: str
) -> None:
    now = system_clock()
    try:
        async with AsyncSession(engine) as session, session.begin():
            session.add(
                IdempotencyRecord(
                    scope="s", key="old", request_hash="h", created_at=now - 2 * RETENTION
                )
            )
            await defer(session, [JobSpec(task=PURGE, args={"timestamp": n}) for n in range(3)])
        # Two workers drain the same queue: each job runs once.
        for _ in range(2):
            await run_worker(settings, database_url, concurrency=2, wait=False)
        async with AsyncSession(engine) as session:
            statuses = await _jobs(session, small_timestamps=True)
            remaining = await session.scalar(select(func.count()).select_from(IdempotencyRecord))
        assert sorted(statuses) == [(PURGE, "succeeded")] * 3
        assert remaining == 0
    finally:
        await truncate_all(engine)
