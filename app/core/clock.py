"""The current time as a dependency, so tests can set "now" (open-now, cut-offs, expiry)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def get_clock() -> Clock:
    """Override in tests: ``app.dependency_overrides[get_clock] = lambda: lambda: fixed``."""
    return system_clock


ClockDep = Annotated[Clock, Depends(get_clock)]
