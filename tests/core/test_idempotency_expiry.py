"""Idempotency records hold response bodies for 24 hours only: an expired key is new again, and
expired records are purged on write (a batch at a time) and by ``python -m app purge``."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import BaseModel
from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.__main__ import main
from app.core.config import get_settings
from app.core.idempotency import (
    PURGE_BATCH,
    RETENTION,
    IdempotencyKey,
    IdempotencyKeyReused,
    IdempotencyRecord,
    idempotent,
    purge_expired,
)
from tests.support.clock import FakeClock

T0 = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
SCOPE = "test:expiry"


class Answer(BaseModel):
    n: int


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self) -> Answer:
        self.calls += 1
        return Answer(n=self.calls)


async def _submit(
    session: AsyncSession, clock: FakeClock, produce: Counter, key: str, body: dict[str, int]
) -> Answer:
    the_key = IdempotencyKey(key, None, clock())
    return await idempotent(
        session, the_key, scope=SCOPE, body=body, produce=produce, response_model=Answer
    )


async def _count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(IdempotencyRecord)) or 0)


async def test_a_key_replays_for_24_hours_then_is_new(session: AsyncSession) -> None:
    clock, produce = FakeClock(T0), Counter()
    assert (await _submit(session, clock, produce, "key-0001", {"a": 1})).n == 1
    clock.set(T0 + RETENTION - timedelta(seconds=1))
    assert (await _submit(session, clock, produce, "key-0001", {"a": 1})).n == 1
    with pytest.raises(IdempotencyKeyReused):
        async with session.begin_nested():
            await _submit(session, clock, produce, "key-0001", {"a": 2})

    clock.set(T0 + RETENTION)
    assert (await _submit(session, clock, produce, "key-0001", {"a": 2})).n == 2
    assert produce.calls == 2
    stored = await session.scalar(
        select(IdempotencyRecord).where(IdempotencyRecord.key == "key-0001")
    )
    assert stored is not None and stored.created_at == T0 + RETENTION


async def test_each_new_record_purges_a_batch_of_expired_ones(session: AsyncSession) -> None:
    await session.execute(
        insert(IdempotencyRecord),
        [
            {"scope": SCOPE, "key": f"old-{i:04d}", "request_hash": "x", "created_at": T0}
            for i in range(PURGE_BATCH + 5)
        ],
    )
    clock, produce = FakeClock(T0 + RETENTION - timedelta(minutes=1)), Counter()
    await _submit(session, clock, produce, "live-0001", {})
    assert await _count(session) == PURGE_BATCH + 6  # nothing has expired yet

    clock.set(T0 + RETENTION + timedelta(minutes=1))
    await _submit(session, clock, produce, "live-0002", {})
    assert await _count(session) == 5 + 2  # one batch went
    assert await purge_expired(session, clock()) == 5
    keys = set(await session.scalars(select(IdempotencyRecord.key)))
    assert keys == {"live-0001", "live-0002"}


async def test_the_purge_command_deletes_every_expired_record(
    engine: AsyncEngine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        await conn.execute(
            insert(IdempotencyRecord),
            [
                {"scope": "test:cli", "key": f"k{i}", "request_hash": "x", "created_at": stamp}
                for i, stamp in enumerate([now - RETENTION - timedelta(hours=1)] * 3 + [now])
            ],
        )
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        assert await asyncio.to_thread(main, ["purge"]) == 0  # it runs its own event loop
    finally:
        get_settings.cache_clear()
    async with engine.begin() as conn:
        left = (
            await conn.execute(
                select(IdempotencyRecord.key).where(IdempotencyRecord.scope == "test:cli")
            )
        ).all()
        await conn.execute(delete(IdempotencyRecord).where(IdempotencyRecord.scope == "test:cli"))
    assert [row[0] for row in left] == ["k3"]
