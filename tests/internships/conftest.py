"""The settable clock of these tests: "now" is a Saturday morning a week before the sample fair."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from tests.support.clock import FakeClock, installed_clock, local


@pytest.fixture
def clock(app: FastAPI) -> Iterator[FakeClock]:
    with installed_clock(app, local(2026, 11, 28, 10, 0)) as fake:
        yield fake
