"""Fixed-window rate limits shared by every worker: PostgreSQL by default, Redis when configured.

Counts are written outside the request's transaction, so a failed (rolled-back) login still counts.
The PostgreSQL backend writes them through the side engine (``app.core.db.create_side_engine``),
the concurrent hits of a process in batches of one statement each, never through the request's
pool: a request that holds its session's connection and waited for a second one from the same
pool could wait forever once every connection was held that way.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import String, func
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Mapped, mapped_column

from app.core import errors
from app.core.db import Base
from app.core.driver import driver_connection


class RateLimitBucket(Base):
    __tablename__ = "rate_limit_bucket"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(server_default=func.now())
    hits: Mapped[int] = mapped_column(server_default="0")


@dataclass(frozen=True)
class Limit:
    name: str
    hits: int
    seconds: int


class Backend(Protocol):
    async def hit(self, key: str, seconds: int) -> tuple[int, float]:
        """Count one hit; return (hits in the current window, seconds until it ends)."""
        ...


# Many hits in one statement: (key, hits to add) pairs for one window length. A key that appears
# once (the caller sums repeats) is inserted or counted up; RETURNING gives its new total.
_UPSERT_MANY = """
    INSERT INTO rate_limit_bucket AS b (key, window_start, hits)
    SELECT key, now(), n FROM unnest($1::varchar[], $2::int[]) AS h(key, n)
    ON CONFLICT (key) DO UPDATE SET
        hits = CASE WHEN b.window_start <= now() - make_interval(secs => $3::int)
                    THEN excluded.hits ELSE b.hits + excluded.hits END,
        window_start = CASE WHEN b.window_start <= now() - make_interval(secs => $3::int)
                    THEN now() ELSE b.window_start END
    RETURNING key, hits,
        EXTRACT(EPOCH FROM (window_start + make_interval(secs => $3::int) - now()))::float8
"""


@dataclass(frozen=True, slots=True)
class _Hit:
    key: str
    seconds: int
    answer: asyncio.Future[tuple[int, float]]


class PostgresBackend:
    """Counts in ``rate_limit_bucket``; ``engine`` should be the side engine, not the request's.

    Hits outside a session are written in batches, like a group commit: a hit joins the batch
    being gathered, and one writer per process sends each batch as one statement on one side
    connection. In a storm of logins every request counts a hit first; one statement per hit
    made each of them queue for the few side connections, and a connection came back only after
    its request's next turn of the busy event loop (the login storm's p99 was mostly that wait).
    A batch costs one round trip whatever its size, so the wait stays about one round trip.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._pending: list[_Hit] = []
        self._writer: asyncio.Task[None] | None = None

    async def hit(self, key: str, seconds: int) -> tuple[int, float]:
        answer: asyncio.Future[tuple[int, float]] = asyncio.get_running_loop().create_future()
        self._pending.append(_Hit(key, seconds, answer))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_batches(), name="rate-limit-writer")
        # The hit is counted even if this request goes away meanwhile: shielded.
        return await asyncio.shield(answer)

    async def _write_batches(self) -> None:
        await asyncio.sleep(0)  # the hits of this turn of the event loop join the first batch
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                await self._write(batch)
            except asyncio.CancelledError:  # shutting down: nobody is left waiting for long
                for hit in batch + self._pending:
                    hit.answer.cancel()
                raise
            except Exception as error:  # the database is away: every waiter hears of it
                for hit in batch:
                    if not hit.answer.done():
                        hit.answer.set_exception(error)
            for hit in batch:
                if not hit.answer.done():  # cannot happen: every key has its row
                    hit.answer.set_exception(RuntimeError(f"no count for {hit.key}"))

    async def _write(self, batch: list[_Hit]) -> None:
        by_window: dict[int, dict[str, list[_Hit]]] = {}
        for hit in batch:
            by_window.setdefault(hit.seconds, {}).setdefault(hit.key, []).append(hit)
        async with driver_connection(self.engine) as driver:
            for seconds, by_key in by_window.items():
                keys = list(by_key)
                counts = [len(by_key[key]) for key in keys]
                rows = await driver.fetch(_UPSERT_MANY, keys, counts, seconds)
                for key, total, remaining in rows:
                    hits = by_key[key]
                    # The batch's hits of one key, in arrival order, are the last len(hits).
                    for offset, hit in enumerate(hits, start=total - len(hits) + 1):
                        if not hit.answer.done():
                            hit.answer.set_result((offset, float(remaining)))


class RedisBackend:
    def __init__(self, client: Any) -> None:
        self.client = client

    async def hit(self, key: str, seconds: int) -> tuple[int, float]:
        # Wall-clock seconds on purpose: fixed rate-limit windows shared by every instance through
        # Redis are infrastructure time, not business time (the Postgres backend uses now()).
        window = int(time.time() // seconds)
        redis_key = f"rl:{key}:{window}"
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.incr(redis_key)
            pipe.expire(redis_key, seconds + 1)
            hits, _ = await pipe.execute()
        return int(hits), float((window + 1) * seconds - time.time())


class RateLimiter:
    def __init__(self, backend: Backend, *, enabled: bool = True) -> None:
        self.backend = backend
        self.enabled = enabled

    async def check(
        self,
        limit: Limit,
        subject: str,
        message: str | None = None,
    ) -> None:
        """Count a hit for ``subject`` under ``limit``; raise 429 with Retry-After past it."""
        if not self.enabled:
            return
        key = f"{limit.name}:{subject}"
        hits, remaining = await self.backend.hit(key, limit.seconds)
        if hits > limit.hits:
            raise errors.RateLimited(
                retry_after=max(1, int(remaining) + 1),
                message=message,
                details={"limit": limit.hits, "window_seconds": limit.seconds},
            )
