"""Short-lived copies of public answers, dropped when PostgreSQL says the data changed.

A :class:`ResponseCache` holds finished response bodies (bytes and their ETag) by key. It serves
nothing unless it is *live*: a :class:`ChangeListener` keeps a connection that ``LISTEN``\\ s on
:data:`CHANNEL`, and database triggers ``NOTIFY`` it on commit whenever a cached row changes (see
the migration ``read_cache_notifications``). While that connection is down the cache is empty
and bypassed, so a change can never be missed; the TTL only bounds what a bug could keep.

A read that misses remembers the cache's generation before it queries and stores its answer
only if no invalidation arrived meanwhile: a change committed while the read was running cannot
be overwritten by the older row the read saw.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import asyncpg
from starlette.requests import Request
from starlette.responses import Response

from app.core import metrics

log = logging.getLogger(__name__)

CHANNEL = "dsjobs_cache"
"""The one notification channel; payloads are ``<kind>:<id>`` or ``all``."""


def etag_of(body: bytes) -> str:
    """A strong ETag for ``body`` (128 bits of BLAKE2b, quoted)."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """``If-None-Match`` names ``etag`` (weak comparison, as RFC 9110 asks for GET) or is ``*``."""
    if not if_none_match:
        return False
    candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in candidates or etag in candidates


def json_answer(request: Request, body: bytes, etag: str, cache_control: str) -> Response:
    """A JSON body with its ETag, or ``304 Not Modified`` when the client holds it already."""
    headers = {"ETag": etag, "Cache-Control": cache_control}
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


@dataclass(frozen=True, slots=True)
class CachedBody:
    """A finished answer; ``valid_for`` is what else it depends on (the day, the link bucket)."""

    body: bytes
    etag: str
    group: Hashable  # e.g. the employer whose summary is embedded
    valid_for: Hashable
    stored_at: float


class ResponseCache:
    """An LRU of finished bodies with a TTL, live only while its change listener is connected."""

    def __init__(self, *, ttl_seconds: float, max_entries: int, name: str = "response") -> None:
        self.ttl_seconds = ttl_seconds
        self._hits = metrics.READ_CACHE_LOOKUPS.labels(name, "hit")
        self._misses = metrics.READ_CACHE_LOOKUPS.labels(name, "miss")
        self.max_entries = max_entries
        self.generation = 0
        self.live = False
        self._entries: OrderedDict[Hashable, CachedBody] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable, valid_for: Hashable) -> CachedBody | None:
        if not self.live:
            return None
        entry = self._entries.get(key)
        if entry is None:
            self._misses.inc()
            return None
        if entry.valid_for != valid_for or time.monotonic() - entry.stored_at > self.ttl_seconds:
            del self._entries[key]
            self._misses.inc()
            return None
        self._entries.move_to_end(key)
        self._hits.inc()
        return entry

    def put(
        self,
        key: Hashable,
        body: bytes,
        *,
        generation: int,
        group: Hashable = None,
        valid_for: Hashable = None,
    ) -> CachedBody:
        """Store ``body`` read at ``generation`` unless something was invalidated since."""
        entry = CachedBody(body, etag_of(body), group, valid_for, time.monotonic())
        if self.live and generation == self.generation:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return entry

    def invalidate(self, key: Hashable) -> None:
        self.generation += 1
        self._entries.pop(key, None)

    def invalidate_group(self, group: Hashable) -> None:
        self.generation += 1
        for key in [k for k, e in self._entries.items() if e.group == group]:
            del self._entries[key]

    def clear(self) -> None:
        self.generation += 1
        self._entries.clear()


Handler = Callable[[str], None]


class ChangeListener:
    """One connection per process that LISTENs on :data:`CHANNEL` and hands payloads on.

    ``handlers`` map a payload kind (``job``, ``employer``) to a function of the id; ``all``
    and a lost connection clear every cache. It reconnects by itself with a growing pause; the
    caches are live only while it is connected.
    """

    def __init__(self, dsn: str, caches: list[ResponseCache], handlers: dict[str, Handler]):
        self.dsn = dsn
        self.caches = caches
        self.handlers = handlers
        self.connected = asyncio.Event()
        self.received = 0
        self._connection: Any = None
        self._lost = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="read-cache-listener")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._close()

    def _set_live(self, live: bool) -> None:
        for cache in self.caches:
            cache.clear()
            cache.live = live

    async def _run(self) -> None:
        pause = 0.2
        while True:
            try:
                await self._connect()
                pause = 0.2
                await self._lost.wait()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the database is away: retry, caches stay off
                log.warning(
                    "read cache listener cannot connect", extra={"error": type(error).__name__}
                )
            self._set_live(False)
            self.connected.clear()
            await self._close()
            await asyncio.sleep(pause)
            pause = min(pause * 2, 5.0)

    async def _connect(self) -> None:
        self._lost.clear()
        connection = await asyncpg.connect(
            self.dsn, timeout=5, server_settings={"application_name": "dongsheng-jobs-cache"}
        )
        self._connection = connection
        connection.add_termination_listener(lambda _: self._lost.set())
        await connection.add_listener(CHANNEL, self._notified)
        self._set_live(True)  # only now: nothing changed unseen since the caches were emptied
        self.connected.set()

    async def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and not connection.is_closed():
            connection.terminate()

    def _notified(self, connection: Any, pid: int, channel: str, payload: str) -> None:
        self.received += 1
        kind, _, value = payload.partition(":")
        handler = self.handlers.get(kind)
        if handler is None or not value:  # "all", or a kind this process does not cache
            for cache in self.caches:
                cache.clear()
            return
        handler(value)
