"""Database core: declarative base, engine, per-request session, commit at the request boundary.

Services never commit: they ``flush()``. The route class in ``app.core.routing`` commits the
request's session after the endpoint has produced its response and before it is sent; an error
anywhere rolls everything back.
"""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Annotated, Any, ClassVar

from fastapi import Depends, Request
from sqlalchemy import URL, DateTime, MetaData, event, func
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.core.config import Settings, get_settings

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: DateTime(timezone=True)}


class UUIDPrimaryKey:
    """Public objects are addressed by opaque UUIDs, never sequential numbers."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())


def one_of(column: str, values: Sequence[str]) -> str:
    """The text of a CHECK constraint ``column IN ('a', 'b', …)`` (values are code literals)."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


# The side pool serves short writes that must outlive the request's transaction (rate-limit
# counters, the WeChat access-token cache). A side connection is never held while waiting for the
# request pool, so the two pools cannot wait on each other; a request holds at most one connection
# of the request pool.
# Four kept connections and no overflow: the same ceiling as 2 + 2, but a storm of logins (one
# per-client counter each) no longer closes an overflow connection at every check-in and opens a
# new one for the next hit (98 new connections in 1,200 logins, each a TLS attempt, a backend
# start and a lost statement cache). Rate-limit hits share side connections anyway: each process
# writes them in batches, one statement per batch (app.core.ratelimit.PostgresBackend).
SIDE_POOL_SIZE = 4
SIDE_POOL_OVERFLOW = 0


def _connect_args(
    settings: Settings, extra_settings: dict[str, str] | None = None
) -> dict[str, Any]:
    server_settings = {"application_name": "dongsheng-jobs", "timezone": "UTC"}
    args: dict[str, Any] = {"server_settings": server_settings, "timeout": 5}
    if settings.database.pgbouncer:
        # PgBouncer in transaction mode hands each transaction to any server connection: a
        # statement prepared on one is unknown (or, by name, another one's) on the next. No
        # cached statements in asyncpg or SQLAlchemy, and unique names for the unnamed rest.
        # PgBouncer also refuses startup parameters it does not track (statement_timeout):
        # set that on the role instead (docs/scaling.md, section 5).
        args["statement_cache_size"] = 0
        args["prepared_statement_cache_size"] = 0
        args["prepared_statement_name_func"] = _unique_statement_name
    else:
        server_settings["statement_timeout"] = str(settings.database.statement_timeout_ms)
        server_settings.update(extra_settings or {})
    return args


def _unique_statement_name() -> str:
    return f"__asyncpg_{uuid.uuid4().hex}__"


# The liveness rule of a pooled connection, checked at every checkout (instead of SQLAlchemy's
# pre-ping, which costs BEGIN, ";" and ROLLBACK — three round trips — on every checkout):
# * a connection whose socket the driver saw close (the server restarted, a proxy cut it) is
#   replaced at no cost: asyncpg notices the closed socket as soon as the event loop reads it;
# * a connection idle for longer than LIVENESS_IDLE_SECONDS is pinged first (one round trip), for
#   the silent deaths no socket reports (a firewall dropping idle flows);
# * an error that says "disconnected" while a connection is in use makes SQLAlchemy invalidate
#   the whole pool, so the connections opened before it are replaced at their next checkout.
LIVENESS_IDLE_SECONDS = 10.0
_IDLE_SINCE = "dsjobs_idle_since"


def _on_checkin(dbapi_connection: Any, record: Any) -> None:
    record.info[_IDLE_SINCE] = time.monotonic()


def _on_checkout(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    driver = getattr(dbapi_connection, "driver_connection", None)
    if driver is not None and driver.is_closed():
        raise sa_exc.DisconnectionError("connection closed")
    idle_since = record.info.get(_IDLE_SINCE)
    if idle_since is not None and time.monotonic() - idle_since > LIVENESS_IDLE_SECONDS:
        try:
            dbapi_connection.ping()
        except Exception as error:
            raise sa_exc.DisconnectionError("ping failed") from error
    record.info[_IDLE_SINCE] = None


def install_liveness_rule(engine: AsyncEngine) -> None:
    """The checkout rule above, on ``engine``'s pool (``create_engine`` installs it)."""
    event.listen(engine.sync_engine, "checkin", _on_checkin)
    event.listen(engine.sync_engine, "checkout", _on_checkout)


def create_engine(
    settings: Settings,
    url: str | URL,
    *,
    pool_size: int | None = None,
    max_overflow: int | None = None,
    server_settings: dict[str, str] | None = None,
) -> AsyncEngine:
    """An asyncpg engine with a bounded pool, the liveness rule above and a statement timeout
    (the pool sizes of the settings unless given).

    ``hide_parameters``: SQL parameters (password hashes, résumés, phone numbers) never appear in
    exception messages or in the echo log.
    """
    engine = create_async_engine(
        url,
        pool_size=settings.database.pool_size if pool_size is None else pool_size,
        max_overflow=settings.database.max_overflow if max_overflow is None else max_overflow,
        pool_timeout=settings.database.pool_timeout,
        pool_pre_ping=False,  # replaced by install_liveness_rule
        pool_recycle=1800,
        echo=settings.database.echo,
        hide_parameters=True,
        connect_args=_connect_args(settings, server_settings),
    )
    install_liveness_rule(engine)
    return engine


def create_side_engine(settings: Settings, url: str | URL) -> AsyncEngine:
    """A small second pool for writes outside the request's transaction (see SIDE_POOL_SIZE)."""
    return create_engine(settings, url, pool_size=SIDE_POOL_SIZE, max_overflow=SIDE_POOL_OVERFLOW)


# Reads whose statements are fixed texts that one plan serves whatever the values (the match
# lists, app.gigs.matching_repository) run on connections that make that plan once: with the
# default "auto" mode PostgreSQL planned them afresh on every run, which cost about as much as
# running them. Other statements keep the default on the request pool. Behind PgBouncer
# (statements not cached, the setting refused at startup) it is left out. Kept connections and no
# overflow, like the other pools: an overflow connection is closed at check-in and reopened for
# the next request of a storm.
GENERIC_PLAN_POOL_SIZE = 8
GENERIC_PLAN_POOL_OVERFLOW = 0


def create_generic_plan_engine(settings: Settings, url: str | URL) -> AsyncEngine:
    """A small pool whose connections plan each prepared statement once (see above)."""
    return create_engine(
        settings,
        url,
        pool_size=GENERIC_PLAN_POOL_SIZE,
        max_overflow=GENERIC_PLAN_POOL_OVERFLOW,
        server_settings={"plan_cache_mode": "force_generic_plan"},
    )


def resolve_database_url(settings: Settings) -> tuple[str, Any]:
    """DATABASE_URL if set, else the embedded server (exported so child processes share it).

    For the command line; returns the URL and the embedded server handle (None when external).
    """
    if settings.database.url:
        return settings.database.url, None
    from app.core.embedded_pg import start_embedded

    url, server = start_embedded(settings)
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    return url, server


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request; the route class commits it, closing rolls back what is left."""
    maker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with maker() as session:
        request.state.db_session = session
        try:
            yield session
        finally:
            request.state.db_session = None


SessionDep = Annotated[AsyncSession, Depends(get_session)]


def advisory_key(namespace: str, name: str) -> int:
    """A stable signed 64-bit key for ``pg_advisory_xact_lock`` (one namespace per use)."""
    digest = hashlib.blake2b(f"dsjobs:{namespace}:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)
