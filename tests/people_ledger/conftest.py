"""The settable clock of the ledger tests: 2025-12-01, a Monday morning in Dongsheng."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from tests.support.clock import FakeClock, installed_clock, local


@pytest.fixture
def clock(app: FastAPI) -> Iterator[FakeClock]:
    with installed_clock(app, local(2025, 12, 1, 9, 0)) as fake:
        yield fake
