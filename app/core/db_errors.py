"""Database (and Redis) failures that mean "try again shortly", and how the log describes them.

An unreachable server, a connection cut mid-request, an exhausted pool or a statement timeout is
an outage, not a bug: the client gets 503 ``service.unavailable`` with ``Retry-After`` and the log
gets one line naming the cause. Nothing here ever carries SQL parameters or row values: asyncpg
puts them in the messages of constraint errors (``DETAIL: Failing row contains (...)``), so a
database error is described by its class, SQLSTATE and constraint name only.
"""

from __future__ import annotations

import errno
import traceback
from collections.abc import Iterator

from redis import exceptions as redis_exc
from sqlalchemy import exc as sa_exc

from app.core.errors import ServiceUnavailable

RETRY_AFTER_SECONDS = 2

# SQLSTATEs that a retry a moment later may well get past.
_TRANSIENT_SQLSTATES = {
    "57014": "statement_timeout",
    "57P01": "server_shutdown",
    "57P02": "server_shutdown",
    "57P03": "server_starting",
    "55P03": "lock_timeout",
    "40001": "serialization_failure",
    "40P01": "deadlock",
}
_TRANSIENT_CLASSES = {"08": "connection_failure", "53": "insufficient_resources"}
_NETWORK_ERRNOS = {
    errno.ECONNREFUSED,
    errno.ECONNRESET,
    errno.ECONNABORTED,
    errno.EHOSTUNREACH,
    errno.ENETUNREACH,
    errno.ETIMEDOUT,
    errno.EPIPE,
}
_DRIVER_MODULES = ("asyncpg", "sqlalchemy")


class DatabaseUnavailable(ServiceUnavailable):
    code = "service.unavailable"
    message = "服务繁忙，请稍后再试"

    def __init__(self) -> None:
        super().__init__(retry_after=RETRY_AFTER_SECONDS)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc``, the DBAPI error it wraps and its causes, each once."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen or len(seen) > 20:
            continue
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        pending.extend([current.__context__, current.__cause__])
        if isinstance(orig, BaseException):
            pending.append(orig)


def _sqlstate(exc: BaseException) -> str | None:
    value = getattr(exc, "sqlstate", None)
    return value if isinstance(value, str) else None


def _raised_by_driver(exc: BaseException) -> bool:
    """An OS-level error (refused, reset, timed out) raised inside asyncpg or SQLAlchemy."""
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        if str(frame.f_globals.get("__name__", "")).startswith(_DRIVER_MODULES):
            return True
    return False


def _network_failure(exc: BaseException) -> bool:
    if isinstance(exc, ConnectionError | TimeoutError):
        return True
    return isinstance(exc, OSError) and (exc.errno in _NETWORK_ERRNOS or exc.errno is None)


def _cause_of(exc: BaseException) -> str | None:
    if isinstance(exc, sa_exc.TimeoutError):
        return "pool_timeout"
    if isinstance(exc, redis_exc.ConnectionError | redis_exc.TimeoutError):
        return "redis_unreachable"  # rate-limit counters and the token cache, when configured
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return "connection_lost"
    state = _sqlstate(exc)
    if state is not None:
        return _TRANSIENT_SQLSTATES.get(state) or _TRANSIENT_CLASSES.get(state[:2])
    if _network_failure(exc) and _raised_by_driver(exc):
        return "database_unreachable"
    return None


def unavailable_cause(exc: BaseException) -> str | None:
    """Why ``exc`` means the database cannot serve right now, or None for any other error."""
    for link in _chain(exc):
        cause = _cause_of(link)
        if cause is not None:
            return cause
    return None


def describe(exc: BaseException) -> str:
    """One line about a database error without its message (which may carry row values)."""
    for link in _chain(exc):
        state = _sqlstate(link)
        if state is None:
            continue
        parts = [type(link).__name__, f"sqlstate={state}"]
        for attribute in ("constraint_name", "table_name", "column_name"):
            value = getattr(link, attribute, None)
            if isinstance(value, str) and value:
                parts.append(f"{attribute.removesuffix('_name')}={value}")
        return " ".join(parts)
    return type(exc).__name__


def is_database_error(exc: BaseException) -> bool:
    """A driver or SQLAlchemy error, whose text must not reach the log as it is."""
    return any(
        isinstance(link, sa_exc.SQLAlchemyError) or _sqlstate(link) is not None
        for link in _chain(exc)
    )
