"""The lean job detail during a database cut: 503 with the envelope, then served again without a
restart (the pool's liveness rule replaces the cut connections; the cache listener reconnects)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import Settings
from tests.conftest import truncate_all
from tests.core.test_outages import _proxied, _proxy_for, assert_unavailable
from tests.support.probe_app import running


@pytest.fixture
async def cleanup(engine: AsyncEngine) -> AsyncIterator[None]:
    yield
    await truncate_all(engine)


async def test_a_cut_answers_503_and_the_lean_path_recovers(
    settings: Settings, cleanup: None
) -> None:
    assert settings.database.url
    proxy, direct = _proxy_for(settings.database.url)
    await proxy.start()
    path = f"/api/v1/jobs/{uuid.uuid4()}"
    try:
        async with running(settings, _proxied(direct, proxy.port)) as (app, client):
            await asyncio.wait_for(app.state.read_cache_listener.connected.wait(), 10)
            assert (await client.get(path)).status_code == 404  # pooled connections in use

            port = proxy.port
            await proxy.stop()
            await asyncio.sleep(0.2)
            assert not app.state.job_detail_cache.live  # the listener saw the cut
            assert_unavailable(await client.get(path))

            await proxy.start(port)
            answers = []
            for _ in range(40):
                answers.append((await client.get(path)).status_code)
                if answers[-1] == 404:
                    break
                await asyncio.sleep(0.05)
            assert answers[-1] == 404, answers
            await asyncio.wait_for(app.state.read_cache_listener.connected.wait(), 10)
            assert app.state.job_detail_cache.live
    finally:
        await proxy.stop()
