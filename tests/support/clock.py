"""A settable "now" for the app under test (overrides the ``get_clock`` dependency)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from fastapi import FastAPI

from app.core.clock import SHANGHAI, get_clock


def local(*args: int) -> datetime:
    """An aware datetime in Asia/Shanghai."""
    return datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]


@dataclass
class FakeClock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def set(self, value: datetime) -> None:
        self.now = value


@contextmanager
def installed_clock(app: FastAPI, start: datetime) -> Iterator[FakeClock]:
    """Make ``start`` the app's "now" for the duration of the block."""
    fake = FakeClock(start)
    app.dependency_overrides[get_clock] = lambda: fake
    try:
        yield fake
    finally:
        app.dependency_overrides.pop(get_clock, None)
