"""Fixtures of the core tests."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from tests.support.probe_app import LogCapture


@pytest.fixture
def logs() -> Iterator[LogCapture]:
    """Every log record of the test, also as the JSON lines the service writes."""
    capture = LogCapture()
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.INFO)
    try:
        yield capture
    finally:
        root.removeHandler(capture)
        root.setLevel(level)
