"""The PostgreSQL rate-limit backend writes concurrent hits in batches and loses none."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import Settings
from app.core.db import create_engine
from app.core.errors import AppError
from app.core.ratelimit import Limit, PostgresBackend, RateLimiter


@pytest.fixture
async def backend(engine: AsyncEngine) -> AsyncIterator[PostgresBackend]:
    yield PostgresBackend(engine)
    async with engine.begin() as conn:
        await conn.execute(text("DELETE FROM rate_limit_bucket WHERE key LIKE 'batch-test:%'"))


async def test_concurrent_hits_on_one_key_count_one_each_in_one_statement(
    backend: PostgresBackend, engine: AsyncEngine
) -> None:
    checkouts: list[object] = []

    def count(*_: object) -> None:
        checkouts.append(_)

    pool = engine.sync_engine.pool
    event.listen(pool, "checkout", count)
    try:
        counts = await asyncio.gather(*(backend.hit("batch-test:one", 60) for _ in range(40)))
    finally:
        event.remove(pool, "checkout", count)
    assert len(checkouts) == 1  # one batch, one side connection, one statement
    assert sorted(hits for hits, _ in counts) == list(range(1, 41))
    assert all(0 < remaining <= 60 for _, remaining in counts)
    assert (await backend.hit("batch-test:one", 60))[0] == 41  # and the next batch goes on


async def test_one_batch_keeps_keys_and_windows_apart(backend: PostgresBackend) -> None:
    calls = [("batch-test:a", 60)] * 3 + [("batch-test:b", 60)] * 2 + [("batch-test:c", 5)] * 4
    counts = await asyncio.gather(*(backend.hit(key, seconds) for key, seconds in calls))
    by_key: dict[str, list[int]] = {}
    for (key, seconds), (hits, remaining) in zip(calls, counts, strict=True):
        by_key.setdefault(key, []).append(hits)
        assert 0 < remaining <= seconds
    assert {key: sorted(hits) for key, hits in by_key.items()} == {
        "batch-test:a": [1, 2, 3],
        "batch-test:b": [1, 2],
        "batch-test:c": [1, 2, 3, 4],
    }


async def test_a_storm_past_the_limit_is_refused_exactly_past_it(
    backend: PostgresBackend,
) -> None:
    limiter = RateLimiter(backend)
    limit = Limit("batch-test:login", hits=25, seconds=60)
    outcomes = await asyncio.gather(
        *(limiter.check(limit, "203.0.113.9") for _ in range(60)), return_exceptions=True
    )
    refused = [o for o in outcomes if isinstance(o, AppError)]
    assert len(refused) == 35 and all(o.status_code == 429 for o in refused)
    assert outcomes.count(None) == 25


async def test_a_hit_counts_though_its_request_went_away(backend: PostgresBackend) -> None:
    gone = asyncio.create_task(backend.hit("batch-test:gone", 60))
    await asyncio.sleep(0)
    gone.cancel()
    assert (await backend.hit("batch-test:gone", 60))[0] == 2


async def test_every_waiter_hears_that_the_database_is_away(settings: Settings) -> None:
    engine = create_engine(settings, "postgresql+asyncpg://postgres@127.0.0.1:9/none")
    try:
        away = PostgresBackend(engine)
        outcomes = await asyncio.gather(
            *(away.hit(f"batch-test:{i}", 60) for i in range(5)), return_exceptions=True
        )
        assert all(isinstance(o, OSError) for o in outcomes), outcomes
    finally:
        await engine.dispose()
