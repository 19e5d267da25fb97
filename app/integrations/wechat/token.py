"""The access token from ``cgi-bin/stable_token``: cached, shared, refreshed by a single caller.

``AccessTokenCache`` holds the policy; a ``TokenStore`` holds the token where every process sees
it: PostgreSQL (a row and an advisory transaction lock), Redis (a key and a ``SET NX`` lock) or
this process's memory. A caller who finds the token due for refresh takes the store's exclusive
lock, reads again (another caller may have refreshed meanwhile) and only then calls WeChat, so
ten callers on an empty cache make one ``stable_token`` call, not ten.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from redis.asyncio import Redis
from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.core.clock import Clock, system_clock
from app.core.db import advisory_key
from app.integrations.wechat.errors import WeChatError, unavailable
from app.integrations.wechat.models import WeChatAccessToken
from app.integrations.wechat.types import TokenGrant

log = logging.getLogger(__name__)

# fetch(force_refresh) -> a new grant from stable_token
Fetch = Callable[[bool], Awaitable[TokenGrant]]

DEFAULT_MARGIN_SECONDS = 300


@dataclass(frozen=True, slots=True)
class CachedToken:
    value: str = field(repr=False)
    expires_at: datetime
    refresh_at: datetime

    @classmethod
    def from_grant(cls, grant: TokenGrant, now: datetime, margin_seconds: int) -> CachedToken:
        # stable_token hands out the current token with its remaining lifetime, which may already
        # be inside the margin: then use half of what is left rather than refreshing on every call.
        lead = max(grant.expires_in - margin_seconds, grant.expires_in // 2)
        return cls(
            value=grant.access_token,
            expires_at=now + timedelta(seconds=grant.expires_in),
            refresh_at=now + timedelta(seconds=lead),
        )

    def serves(self, now: datetime, rejected: str | None) -> bool:
        """Good to hand out: not due for refresh and not the token WeChat just rejected."""
        return now < self.refresh_at and self.value != rejected


class TokenSlot(Protocol):
    """The cached token of one AppID, read and written while holding the exclusive lock."""

    async def load(self) -> CachedToken | None: ...

    async def save(self, token: CachedToken) -> None: ...


class TokenStore(ABC):
    """Where the token lives, and the lock that lets a single caller refresh it."""

    @abstractmethod
    async def load(self, appid: str) -> CachedToken | None:
        """The cached token without taking the lock (the fast path)."""

    @abstractmethod
    def exclusive(self, appid: str) -> AbstractAsyncContextManager[TokenSlot]:
        """Hold the refresh lock of ``appid``; other callers wait until it is released."""


class AccessTokenCache:
    """The refresh policy: early refresh, one refresher, forced refresh of a rejected token."""

    def __init__(
        self,
        store: TokenStore,
        *,
        margin_seconds: int = DEFAULT_MARGIN_SECONDS,
        clock: Clock = system_clock,
    ) -> None:
        self.store = store
        self._margin = margin_seconds
        self._clock = clock
        self._local_locks: dict[str, asyncio.Lock] = {}

    async def get(self, appid: str, fetch: Fetch, *, rejected: str | None = None) -> str:
        """A valid access token; ``rejected`` is one WeChat just refused (40001/42001)."""
        cached = await self.store.load(appid)
        if cached is not None and cached.serves(self._clock(), rejected):
            return cached.value
        # One refresher per process first, so a process holds at most one store lock at a time.
        lock = self._local_locks.setdefault(appid, asyncio.Lock())
        async with lock, self.store.exclusive(appid) as slot:
            return await self._refresh(slot, fetch, rejected)

    async def _refresh(self, slot: TokenSlot, fetch: Fetch, rejected: str | None) -> str:
        cached = await slot.load()
        now = self._clock()
        if cached is not None and cached.serves(now, rejected):
            return cached.value  # another caller refreshed while we waited for the lock
        # force_refresh invalidates the previous token for everybody: only when it was rejected.
        force = rejected is not None and (cached is None or cached.value == rejected)
        try:
            grant = await fetch(force)
        except WeChatError:
            if cached is not None and cached.value != rejected and now < cached.expires_at:
                log.warning("wechat token refresh failed; serving the unexpired token")
                return cached.value
            raise
        fresh = CachedToken.from_grant(grant, self._clock(), self._margin)
        await slot.save(fresh)
        log.info("wechat access token refreshed", extra={"forced": force})
        return fresh.value


# --- in-process ------------------------------------------------------------------------------


class _MemorySlot:
    def __init__(self, tokens: dict[str, CachedToken], appid: str) -> None:
        self._tokens = tokens
        self._appid = appid

    async def load(self) -> CachedToken | None:
        return self._tokens.get(self._appid)

    async def save(self, token: CachedToken) -> None:
        self._tokens[self._appid] = token


class MemoryTokenStore(TokenStore):
    """One process only (demo mode, tests, a single worker)."""

    def __init__(self) -> None:
        self._tokens: dict[str, CachedToken] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def load(self, appid: str) -> CachedToken | None:
        return self._tokens.get(appid)

    @asynccontextmanager
    async def exclusive(self, appid: str) -> AsyncIterator[TokenSlot]:
        async with self._locks.setdefault(appid, asyncio.Lock()):
            yield _MemorySlot(self._tokens, appid)


# --- PostgreSQL --------------------------------------------------------------------------------

_T = WeChatAccessToken
_LOCK_NOT_AVAILABLE = "55P03"


def advisory_lock_key(appid: str) -> int:
    """A stable signed 64-bit key for ``pg_advisory_xact_lock``, derived from the AppID."""
    return advisory_key("wechat_access_token", appid)


def _row_to_token(row: Any) -> CachedToken:
    return CachedToken(value=row.access_token, expires_at=row.expires_at, refresh_at=row.refresh_at)


async def _select(conn: AsyncConnection, appid: str) -> CachedToken | None:
    statement = select(_T.access_token, _T.expires_at, _T.refresh_at).where(_T.appid == appid)
    row = (await conn.execute(statement)).first()
    return _row_to_token(row) if row is not None else None


class _PostgresSlot:
    def __init__(self, conn: AsyncConnection, appid: str) -> None:
        self._conn = conn
        self._appid = appid

    async def load(self) -> CachedToken | None:
        return await _select(self._conn, self._appid)

    async def save(self, token: CachedToken) -> None:
        values = {
            "access_token": token.value,
            "expires_at": token.expires_at,
            "refresh_at": token.refresh_at,
            "updated_at": func.now(),
        }
        statement = pg_insert(_T).values(appid=self._appid, **values)
        statement = statement.on_conflict_do_update(index_elements=[_T.appid], set_=values)
        await self._conn.execute(statement)


def _is_lock_timeout(exc: DBAPIError) -> bool:
    orig = exc.orig
    return _LOCK_NOT_AVAILABLE in {getattr(orig, "sqlstate", None), getattr(orig, "pgcode", None)}


class PostgresTokenStore(TokenStore):
    """Shared by every process on the database: a row per AppID, an advisory transaction lock."""

    def __init__(self, engine: AsyncEngine, *, lock_timeout_seconds: float = 30.0) -> None:
        self._engine = engine
        self._lock_timeout_ms = int(lock_timeout_seconds * 1000)

    async def load(self, appid: str) -> CachedToken | None:
        async with self._engine.connect() as conn:
            return await _select(conn, appid)

    @asynccontextmanager
    async def exclusive(self, appid: str) -> AsyncIterator[TokenSlot]:
        try:
            async with self._engine.begin() as conn:
                await conn.execute(
                    text("SELECT set_config('lock_timeout', :timeout, true)"),
                    {"timeout": f"{self._lock_timeout_ms}ms"},
                )
                await conn.execute(select(func.pg_advisory_xact_lock(advisory_lock_key(appid))))
                yield _PostgresSlot(conn, appid)
        except DBAPIError as exc:
            if _is_lock_timeout(exc):
                raise unavailable("token_cache", "lock_timeout") from exc
            raise


# --- Redis --------------------------------------------------------------------------------------

# Delete the lock only if we still own it (it may have expired and been taken by another).
_RELEASE_LOCK = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


class _RedisSlot:
    def __init__(self, store: RedisTokenStore, appid: str) -> None:
        self._store = store
        self._appid = appid

    async def load(self) -> CachedToken | None:
        return await self._store.load(self._appid)

    async def save(self, token: CachedToken) -> None:
        await self._store.save(self._appid, token)


class RedisTokenStore(TokenStore):
    """Shared through Redis (``REDIS_URL``): a JSON value and a ``SET NX PX`` lock per AppID."""

    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str = "dsjobs:wechat:access_token:",
        lock_ttl_seconds: float = 30.0,
        wait_seconds: float = 30.0,
        poll_seconds: float = 0.05,
    ) -> None:
        self._redis = redis
        self._prefix = prefix
        self._lock_ttl_ms = int(lock_ttl_seconds * 1000)
        self._wait_seconds = wait_seconds
        self._poll_seconds = poll_seconds

    def key(self, appid: str) -> str:
        return f"{self._prefix}{appid}"

    async def load(self, appid: str) -> CachedToken | None:
        raw = await self._redis.get(self.key(appid))
        if raw is None:
            return None
        data = json.loads(raw)
        return CachedToken(
            value=data["value"],
            expires_at=datetime.fromtimestamp(data["expires_at"], UTC),
            refresh_at=datetime.fromtimestamp(data["refresh_at"], UTC),
        )

    async def save(self, appid: str, token: CachedToken) -> None:
        data = {
            "value": token.value,
            "expires_at": token.expires_at.timestamp(),
            "refresh_at": token.refresh_at.timestamp(),
        }
        await self._redis.set(self.key(appid), json.dumps(data), exat=token.expires_at)

    @asynccontextmanager
    async def exclusive(self, appid: str) -> AsyncIterator[TokenSlot]:
        lock_key = f"{self.key(appid)}:lock"
        owner = secrets.token_hex(16)
        # Monotonic: a lock-wait timeout, not business time.
        deadline = time.monotonic() + self._wait_seconds
        while not await self._redis.set(lock_key, owner, nx=True, px=self._lock_ttl_ms):
            if time.monotonic() > deadline:
                raise unavailable("token_cache", "lock_timeout")
            await asyncio.sleep(self._poll_seconds)
        try:
            yield _RedisSlot(self, appid)
        finally:
            await self._redis.eval(_RELEASE_LOCK, 1, lock_key, owner)
