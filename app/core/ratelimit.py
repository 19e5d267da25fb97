"""Fixed-window rate limits shared by every worker: PostgreSQL by default, Redis when configured.

Counts are written outside the request's transaction, so a failed (rolled-back) login still counts.
The PostgreSQL backend writes them through the side engine (``app.core.db.create_side_engine``),
never through the request's pool: a request that holds its session's connection and waited for a
second one from the same pool could wait forever once every connection was held that way.

A check made *after* the request's work succeeded (the per-account login limit) may instead count
in the request's own transaction (``check(..., session=...)``): one statement on a connection the
request already holds, instead of a side connection. A rolled-back hit does not weaken the limit:
a hit past the limit answers 429 and is rolled back, the bucket stays at the limit, so the next
hit is refused too; an answer that failed for another reason did not log anybody in.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import String, func, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.core import errors
from app.core.db import Base


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
    async def hit(
        self, key: str, seconds: int, session: AsyncSession | None = None
    ) -> tuple[int, float]:
        """Count one hit; return (hits in the current window, seconds until it ends).

        ``session``: count it in that session's transaction (backends outside PostgreSQL
        ignore it)."""
        ...


_UPSERT = text(
    """
    INSERT INTO rate_limit_bucket AS b (key, window_start, hits)
    VALUES (:key, now(), 1)
    ON CONFLICT (key) DO UPDATE SET
        hits = CASE WHEN b.window_start <= now() - make_interval(secs => :seconds)
                    THEN 1 ELSE b.hits + 1 END,
        window_start = CASE WHEN b.window_start <= now() - make_interval(secs => :seconds)
                    THEN now() ELSE b.window_start END
    RETURNING hits,
        EXTRACT(EPOCH FROM (window_start + make_interval(secs => :seconds) - now()))
    """
)


class PostgresBackend:
    """Counts in ``rate_limit_bucket``; ``engine`` should be the side engine, not the request's."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def hit(
        self, key: str, seconds: int, session: AsyncSession | None = None
    ) -> tuple[int, float]:
        params = {"key": key, "seconds": seconds}
        if session is not None:
            row = (await session.execute(_UPSERT, params)).one()
            return int(row[0]), float(row[1])
        # One statement is its own transaction: autocommit saves the BEGIN and COMMIT round trips.
        async with self.engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            row = (await conn.execute(_UPSERT, params)).one()
        return int(row[0]), float(row[1])


class RedisBackend:
    def __init__(self, client: Any) -> None:
        self.client = client

    async def hit(
        self, key: str, seconds: int, session: AsyncSession | None = None
    ) -> tuple[int, float]:
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
        *,
        session: AsyncSession | None = None,
    ) -> None:
        """Count a hit for ``subject`` under ``limit``; raise 429 with Retry-After past it.

        ``session``: count in the request's transaction (see the module docstring for when).
        """
        if not self.enabled:
            return
        key = f"{limit.name}:{subject}"
        hits, remaining = await self.backend.hit(key, limit.seconds, session)
        if hits > limit.hits:
            raise errors.RateLimited(
                retry_after=max(1, int(remaining) + 1),
                message=message,
                details={"limit": limit.hits, "window_seconds": limit.seconds},
            )
