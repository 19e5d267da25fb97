"""Time in one place: the business zone, "now" as an injectable dependency, and "today".

Timestamps are stored as ``timestamptz`` in UTC; business dates (a posting's last day, a slot's
day, a person's age) are dates in Dongsheng, i.e. Asia/Shanghai. Code that needs "now" takes a
``Clock`` (routers get it from ``ClockDep``) so tests can set it; nothing calls ``datetime.now``
directly.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, FastAPI

SHANGHAI = ZoneInfo("Asia/Shanghai")
"""The business zone: Dongsheng reads Beijing time (UTC+8, no daylight saving)."""

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real "now", aware, in UTC."""
    return datetime.now(UTC)


def local_date(at: datetime) -> date:
    """The calendar date in Dongsheng at the instant ``at`` (which must be aware)."""
    return at.astimezone(SHANGHAI).date()


def local_midnight(day: date) -> datetime:
    """The instant the local day ``day`` begins in Dongsheng."""
    return datetime.combine(day, time(0), tzinfo=SHANGHAI)


def today(clock: Clock = system_clock) -> date:
    """Today's date in Dongsheng by ``clock``."""
    return local_date(clock())


async def get_clock() -> Clock:
    """Override in tests: ``app.dependency_overrides[get_clock] = lambda: lambda: fixed``.

    ``async`` although it awaits nothing: FastAPI runs a plain ``def`` dependency in its thread
    pool, a thread hand-off on every request for returning a function.
    """
    return system_clock


ClockDep = Annotated[Clock, Depends(get_clock)]


def injected_clock(app: FastAPI) -> Clock:
    """The clock FastAPI would inject, for routes answered before FastAPI's dependencies: the
    system clock, or a test's override of ``get_clock`` (a plain function returning the clock;
    route matching cannot await)."""
    override: Any = app.dependency_overrides.get(get_clock)
    if override is None:
        return system_clock
    clock: Clock = override()
    return clock
