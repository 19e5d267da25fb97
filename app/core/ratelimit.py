"""Fixed-window rate limits shared by every worker: PostgreSQL by default, Redis when configured.

Counts are written outside the request's transaction, so a failed (rolled-back) login still counts.
The PostgreSQL backend writes them through the side engine (``app.core.db.create_side_engine``),
never through the request's pool: a request that holds its session's connection and waited for a
second one from the same pool could wait forever once every connection was held that way.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import String, func, text
from sqlalchemy.ext.asyncio import AsyncEngine
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
    async def hit(self, key: str, seconds: int) -> tuple[int, float]:
        """Count one hit; return (hits in the current window, seconds until it ends)."""
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

    async def hit(self, key: str, seconds: int) -> tuple[int, float]:
        async with self.engine.begin() as conn:
            row = (await conn.execute(_UPSERT, {"key": key, "seconds": seconds})).one()
        return int(row[0]), float(row[1])


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

    async def check(self, limit: Limit, subject: str, message: str | None = None) -> None:
        """Count a hit for ``subject`` under ``limit``; raise 429 with Retry-After past it."""
        if not self.enabled:
            return
        hits, remaining = await self.backend.hit(f"{limit.name}:{subject}", limit.seconds)
        if hits > limit.hits:
            raise errors.RateLimited(
                retry_after=max(1, int(remaining) + 1),
                message=message,
                details={"limit": limit.hits, "window_seconds": limit.seconds},
            )
