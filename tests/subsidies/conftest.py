"""Subsidy tests run on a fixed business date (2025-09-01, Asia/Shanghai)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI

from app.core.clock import get_clock

NOW = datetime(2025, 9, 1, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai


@pytest.fixture(autouse=True)
def fixed_clock(app: FastAPI) -> Iterator[None]:
    previous = app.dependency_overrides.get(get_clock)
    app.dependency_overrides[get_clock] = lambda: lambda: NOW
    yield
    if previous is None:
        app.dependency_overrides.pop(get_clock, None)
    else:
        app.dependency_overrides[get_clock] = previous
