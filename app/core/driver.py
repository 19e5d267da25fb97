"""Core statements run straight on a pooled connection's asyncpg driver (the lean read paths).

The hottest public reads (job detail, job search) skip the Core execution layer: each statement
is compiled once for asyncpg (``$n`` placeholders with their casts, the order of the named
parameters, the values of literals) and executed with ``fetch`` on the driver of a connection
checked out of the engine's pool, so the pool's liveness rule still applies. The statement
builders stay the ones the full routes use; only the execution differs.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Any

import asyncpg
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.sql import ClauseElement, Executable
from sqlalchemy.util import greenlet_spawn

_DIALECT = asyncpg_dialect()  # type: ignore[no-untyped-call]


class Row(asyncpg.Record):  # type: ignore[misc]
    """A record whose columns also read as attributes (``row.k0``) and as ``_mapping``, like a
    Core row."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def _mapping(self) -> dict[str, Any]:
        """The columns by name, like a Core row's ``_mapping`` (validates as a dict)."""
        return dict(self.items())


@lru_cache(maxsize=1024)
def compiled(statement: ClauseElement) -> tuple[str, tuple[str, ...], dict[str, Any]]:
    """``statement`` as asyncpg text: (SQL, parameter order, fixed values of its literals).

    Keyed by the statement object: the builders cache their statements per shape, so each shape
    compiles once per process.
    """
    result: Any = statement.compile(dialect=_DIALECT)
    return result.string, tuple(result.positiontup or ()), dict(result.params)


def arguments(statement: ClauseElement, params: Mapping[str, Any]) -> tuple[str, list[Any]]:
    sql, order, fixed = compiled(statement)
    values = {**fixed, **params}
    return sql, [values[name] for name in order]


class DriverFetch:
    """Runs statements on one asyncpg connection; rows read as :class:`Row`."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver

    async def __call__(self, statement: Executable, params: Mapping[str, Any]) -> list[Any]:
        assert isinstance(statement, ClauseElement)
        sql, values = arguments(statement, params)
        rows: list[Any] = await self.driver.fetch(sql, *values, record_class=Row)
        return rows


@asynccontextmanager
async def driver_connection(bind: AsyncEngine | AsyncConnection) -> AsyncIterator[Any]:
    """The asyncpg connection of a pooled connection of ``bind``, given back afterwards.

    Straight from the pool, not through ``AsyncConnection``: that layer costs about 0.1 ms of CPU
    per request and adds nothing to driver-level reads in autocommit. A connection (the tests'
    shared transaction) lends its own driver, so uncommitted rows are seen.
    """
    if isinstance(bind, AsyncConnection):
        raw = await bind.get_raw_connection()
        yield raw.driver_connection
        return
    pooled = await greenlet_spawn(bind.sync_engine.pool.connect)
    driver: Any = pooled.driver_connection
    try:
        yield driver
    except BaseException as error:
        # A cut or an interrupted read leaves the connection unusable: never give it back.
        if isinstance(error, asyncio.CancelledError) or driver.is_closed():
            await greenlet_spawn(pooled.invalidate)
        raise
    finally:
        await greenlet_spawn(pooled.close)


async def session_driver(session: AsyncSession) -> Any:
    """The asyncpg connection of ``session`` (checked out now if it holds none yet).

    For a few statements written on the driver inside ``driver.transaction()``: a savepoint
    when the session's transaction has begun on the server (a test's shared transaction), a
    transaction of its own, committed at the end of the block, when it has not (SQLAlchemy
    sends ``BEGIN`` with the session's first statement). The session can go on afterwards.
    """
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    return raw.driver_connection
