"""Public reads go to the read engine (DATABASE_READ_URL); a writer reads its writes from the
primary for a while; PgBouncer mode turns prepared-statement caching off."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import Settings
from app.core.db import _connect_args, create_engine
from app.core.read_routing import PostgresWriteMarks, ReadRouter, RecentWrite
from tests.identity.helpers import bearer, wechat_login


@dataclass
class Spy:
    """Which engine ran the statements that read ``table``."""

    ran: list[tuple[str, str]] = field(default_factory=list)
    listeners: list[tuple[AsyncEngine, Callable[..., None]]] = field(default_factory=list)
    checkouts: list[tuple[AsyncEngine, Callable[..., None]]] = field(default_factory=list)

    def watch(self, engine: AsyncEngine, name: str) -> None:
        def record(conn: object, cursor: object, statement: str, *args: object) -> None:
            self.ran.append((name, statement))

        def checkout(*args: object) -> None:
            self.ran.append((name, "checkout"))

        event.listen(engine.sync_engine, "before_cursor_execute", record)
        event.listen(engine.sync_engine.pool, "checkout", checkout)
        self.listeners.append((engine, record))
        self.checkouts.append((engine, checkout))

    def stop(self) -> None:
        for engine, record in self.listeners:
            event.remove(engine.sync_engine, "before_cursor_execute", record)
        for engine, checkout in self.checkouts:
            event.remove(engine.sync_engine.pool, "checkout", checkout)

    def engines_checked_out(self) -> set[str]:
        """Engines whose pool lent a connection (the lean paths run below the Core events)."""
        return {name for name, sql in self.ran if sql == "checkout"}

    def engines_reading(self, table: str) -> set[str]:
        return {
            name for name, sql in self.ran if f"FROM {table}" in sql or f'FROM "{table}"' in sql
        }


@pytest.fixture
async def routed(
    app: FastAPI, engine: AsyncEngine, settings: Settings
) -> AsyncIterator[tuple[Spy, AsyncEngine]]:
    """The app with a read engine on the same database (what DATABASE_READ_URL builds)."""
    replica = create_engine(settings, str(settings.database.url), pool_size=2, max_overflow=2)
    previous = app.state.read_router
    app.state.read_router = ReadRouter(replica, PostgresWriteMarks(app.state.side_engine, 10))
    # Every read is asked of a database here: no cached answer.
    caches = app.state.job_search_cache, app.state.job_detail_cache
    app.state.job_search_cache = app.state.job_detail_cache = None
    spy = Spy()
    spy.watch(replica, "replica")
    spy.watch(engine, "primary")
    try:
        yield spy, engine
    finally:
        app.state.read_router = previous
        app.state.job_search_cache, app.state.job_detail_cache = caches
        spy.stop()
        await replica.dispose()


async def _searches(client: httpx.AsyncClient, spy: Spy, token: str | None = None) -> set[str]:
    """The engines that answered a job search, a job detail (both lean) and a gig search."""
    headers = bearer(token) if token else {}
    spy.ran.clear()
    jobs = await client.get("/api/v1/jobs", params={"q": "快递员"}, headers=headers)
    assert jobs.status_code == 200 and "etag" in jobs.headers, jobs.text  # the lean path
    engines = spy.engines_checked_out()
    spy.ran.clear()
    detail = await client.get(f"/api/v1/jobs/{uuid.uuid4()}", headers=headers)
    assert detail.status_code == 404, detail.text
    engines |= spy.engines_checked_out()
    spy.ran.clear()
    gigs = await client.get("/api/v1/gigs", headers=headers)
    assert gigs.status_code == 200, gigs.text
    return engines | spy.engines_reading("gig")


async def _age_markers(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE recent_write SET written_at = now() - interval '1 hour'"))


async def test_anonymous_public_reads_use_the_read_engine(
    routed: tuple[Spy, AsyncEngine], committing_client: httpx.AsyncClient
) -> None:
    spy, _ = routed
    assert await _searches(committing_client, spy) == {"replica"}


async def test_a_writer_reads_from_the_primary_until_the_marker_lapses(
    routed: tuple[Spy, AsyncEngine], committing_client: httpx.AsyncClient, app: FastAPI
) -> None:
    spy, engine = routed
    login = await wechat_login(committing_client, app, "o_read_routing")
    token = login["access_token"]
    # The login itself wrote the user row: its reads go to the primary at once.
    assert await _searches(committing_client, spy, token) == {"primary"}

    await _age_markers(engine)
    assert await _searches(committing_client, spy, token) == {"replica"}

    edit = await committing_client.put(
        "/api/v1/me", json={"nickname": "小王"}, headers=bearer(token)
    )
    assert edit.status_code == 200, edit.text
    assert await _searches(committing_client, spy, token) == {"primary"}
    # Somebody else, anonymous, still reads from the replica.
    assert await _searches(committing_client, spy) == {"replica"}


async def test_without_a_read_url_nothing_is_marked_and_reads_use_the_primary(
    committing_client: httpx.AsyncClient, app: FastAPI, engine: AsyncEngine
) -> None:
    assert app.state.read_router.replica is None
    login = await wechat_login(committing_client, app, "o_read_plain")
    edit = await committing_client.put(
        "/api/v1/me", json={"nickname": "小李"}, headers=bearer(login["access_token"])
    )
    assert edit.status_code == 200
    async with engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(RecentWrite)) == 0


async def test_pgbouncer_mode_caches_no_prepared_statement(settings: Settings) -> None:
    plain = _connect_args(settings)
    assert "statement_cache_size" not in plain
    assert plain["server_settings"]["statement_timeout"]

    bouncer = settings.model_copy(
        update={"database": settings.database.model_copy(update={"pgbouncer": True})}
    )
    args = _connect_args(bouncer)
    assert args["statement_cache_size"] == 0 and args["prepared_statement_cache_size"] == 0
    assert "statement_timeout" not in args["server_settings"]
    names = {args["prepared_statement_name_func"]() for _ in range(3)}
    assert len(names) == 3  # unique: never another connection's statement behind PgBouncer

    engine = create_engine(bouncer, str(settings.database.url), pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as conn:
            for value in (1, 2):
                assert await conn.scalar(text("SELECT CAST(:v AS integer)"), {"v": value}) == value
            raw = await conn.get_raw_connection()
            cache = raw.driver_connection._stmt_cache  # type: ignore[union-attr]
            assert len(cache) == 0
    finally:
        await engine.dispose()
