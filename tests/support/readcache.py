"""Waiting on the response caches of a running app (their listener, their notifications)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from fastapi import FastAPI

from app.core.readcache import ChangeListener, ResponseCache


async def live_cache(app: FastAPI, name: str) -> ResponseCache:
    """``app.state.<name>`` once the read-cache listener is connected (the caches are live)."""
    listener: ChangeListener = app.state.read_cache_listener
    await asyncio.wait_for(listener.connected.wait(), 10)
    cache: ResponseCache = getattr(app.state, name)
    return cache


async def until(condition: Callable[[], bool], seconds: float = 3.0) -> None:
    """Wait for ``condition`` (a notification on its way), failing after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within the time allowed"
        await asyncio.sleep(0.01)
