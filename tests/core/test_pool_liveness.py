"""The pool's liveness rule (instead of pre-ping): no round trip on a busy checkout, a dead
connection replaced without failing a request, a ping only after a long idle spell."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core import db
from app.core.config import Settings
from tests.support.probe_app import with_database


@pytest.fixture
async def one_connection(settings: Settings) -> AsyncIterator[AsyncEngine]:
    small = with_database(settings, {"pool_size": 1, "max_overflow": 0})
    assert small.database.url
    engine = db.create_engine(small, small.database.url)
    yield engine
    await engine.dispose()


@pytest.fixture
def pings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the liveness pings (SQLAlchemy's pre-ping would go through the same method)."""
    from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_connection as Adapted

    seen: list[int] = []
    original = Adapted.ping

    def counting(self: Adapted) -> None:
        seen.append(1)
        original(self)

    monkeypatch.setattr(Adapted, "ping", counting)
    return seen


async def _pid(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def test_a_busy_checkout_costs_no_round_trip(
    one_connection: AsyncEngine, pings: list[int]
) -> None:
    first = await _pid(one_connection)
    for _ in range(5):
        assert await _pid(one_connection) == first  # the same pooled connection
    assert pings == []


async def test_a_connection_killed_while_pooled_is_replaced_silently(
    one_connection: AsyncEngine, engine: AsyncEngine
) -> None:
    first = await _pid(one_connection)
    async with engine.connect() as admin:
        await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
    await asyncio.sleep(0.2)  # the driver reads the closed socket

    second = await _pid(one_connection)  # no error: replaced at checkout

    assert second != first


async def test_an_idle_connection_is_pinged_first(
    one_connection: AsyncEngine, pings: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await _pid(one_connection)
    assert pings == []
    monkeypatch.setattr(db, "LIVENESS_IDLE_SECONDS", 0.05)
    await asyncio.sleep(0.1)
    assert await _pid(one_connection) == first
    assert pings == [1]
