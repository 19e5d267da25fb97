"""Outages answer 503 ``service.unavailable`` with Retry-After, never 500, and lose no answered write.

Each test runs its own app on its own engine (a small pool, a short statement timeout, or a TCP
proxy in front of PostgreSQL) with real commits; the tables are truncated afterwards.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import redis.asyncio as redis
from fastapi import FastAPI
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import Settings
from app.core.ratelimit import RateLimiter, RedisBackend
from app.identity.models import User
from tests.conftest import truncate_all
from tests.support.probe_app import LogCapture, probe_router, running, with_database
from tests.support.proxy import TcpProxy

LOGIN = "/api/v1/auth/wechat/login"


@pytest.fixture
async def cleanup(engine: AsyncEngine) -> AsyncIterator[None]:
    yield
    await truncate_all(engine)


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    body = response.json()
    assert set(body) == {"code", "message", "details", "request_id"}
    assert body["code"] == "service.unavailable"
    assert body["message"] and not body["message"].isascii()
    assert int(response.headers["retry-after"]) >= 1


async def _login(app: FastAPI, client: httpx.AsyncClient, openid: str) -> httpx.Response:
    code = app.state.fake_wechat.mint_jscode(openid)
    return await client.post(LOGIN, json={"code": code})


async def test_twenty_first_logins_on_a_pool_of_two_all_succeed(
    settings: Settings, cleanup: None
) -> None:
    """The rate limiter no longer takes a second connection from the pool the login holds."""
    small = with_database(
        settings,
        {"pool_size": 2, "max_overflow": 0, "pool_timeout": 3},
        {"rate_limits_enabled": True},
    )
    assert small.database.url
    async with running(small, small.database.url) as (app, client):
        openids = [f"o_pool_{i}_{uuid.uuid4().hex[:8]}" for i in range(20)]
        responses = await asyncio.gather(*(_login(app, client, o) for o in openids))

    assert [r.status_code for r in responses] == [200] * 20, [r.text for r in responses]


def _proxy_for(database_url: str) -> tuple[TcpProxy, str]:
    url = make_url(database_url)
    socket_dir = url.query.get("host")
    if isinstance(socket_dir, tuple):
        socket_dir = socket_dir[0]
    proxy = TcpProxy(url.host, url.port or 5432, socket_dir)
    return proxy, url.render_as_string(hide_password=False)


def _proxied(url: str, port: int) -> str:
    return (
        make_url(url)
        .set(host="127.0.0.1", port=port, query={})
        .render_as_string(hide_password=False)
    )


async def test_database_cut_under_writes_gives_503_then_recovers_without_losing_writes(
    settings: Settings, engine: AsyncEngine, cleanup: None, logs: LogCapture
) -> None:
    assert settings.database.url
    proxy, direct = _proxy_for(settings.database.url)
    await proxy.start()
    answered: list[tuple[float, int, str]] = []
    phase = {"name": "up"}
    stop = asyncio.Event()

    async def writer(app: FastAPI, client: httpx.AsyncClient, n: int) -> None:
        i = 0
        while not stop.is_set():
            openid = f"o_cut_{n}_{i}_{uuid.uuid4().hex[:6]}"
            i += 1
            started_in = phase["name"]
            response = await _login(app, client, openid)
            if response.status_code == 503:
                assert_unavailable(response)
            answered.append((time.perf_counter(), response.status_code, openid))
            if started_in == "down" and response.status_code != 503:
                assert response.status_code == 200
            await asyncio.sleep(0.01)

    try:
        async with running(settings, _proxied(direct, proxy.port), logs=logs) as (app, client):
            tasks = [asyncio.create_task(writer(app, client, n)) for n in range(4)]
            await asyncio.sleep(0.5)
            port = proxy.port
            phase["name"] = "down"
            await proxy.stop()
            cut_at = time.perf_counter()
            await asyncio.sleep(1.0)
            await proxy.start(port)
            restored_at = time.perf_counter()
            phase["name"] = "up"
            await asyncio.sleep(2.0)
            stop.set()
            await asyncio.gather(*tasks)
    finally:
        await proxy.stop()

    statuses = {status for _, status, _ in answered}
    assert statuses <= {200, 503}, statuses
    during = [s for t, s, _ in answered if cut_at + 0.05 < t < restored_at]
    timeline = [(round(t - cut_at, 3), s) for t, s, _ in answered if t > cut_at - 0.2]
    assert during and set(during) == {503}, (round(restored_at - cut_at, 3), timeline)
    first_ok_after = min(t for t, s, _ in answered if s == 200 and t > restored_at)
    assert first_ok_after - restored_at < 2.0

    ok = {openid for _, status, openid in answered if status == 200}
    async with engine.connect() as conn:
        stored = set((await conn.execute(select(User.openid).where(User.openid.in_(ok)))).scalars())
    assert stored == ok

    # One warning per failed request naming the cause; no traceback for an outage.
    outage_logs = [r for r in logs.records if r.getMessage() == "database unavailable"]
    assert len(outage_logs) == sum(1 for _, s, _ in answered if s == 503)
    assert all(getattr(r, "cause", None) for r in outage_logs)
    assert not [r for r in logs.records if r.levelno >= logging.WARNING and r.exc_info]


async def test_statement_timeout_is_503(settings: Settings, logs: LogCapture) -> None:
    async def slow(session: Any) -> dict[str, str]:
        await session.execute(text("SELECT pg_sleep(2)"))
        return {"status": "done"}

    quick = with_database(settings, {"statement_timeout_ms": 100})
    assert quick.database.url
    async with running(quick, quick.database.url, probe_router(slow), logs) as (_, client):
        response = await client.post("/_probe/run")

    assert_unavailable(response)
    causes = [getattr(r, "cause", None) for r in logs.records]
    assert causes.count("statement_timeout") == 1


async def test_connection_lost_at_the_commit_is_503(
    settings: Settings, engine: AsyncEngine
) -> None:
    """The request's work succeeded but the commit at the request boundary cannot happen."""

    async def cut_before_commit(session: Any) -> dict[str, str]:
        pid = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        async with engine.connect() as admin:
            await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        await asyncio.sleep(0.1)
        return {"status": "written"}

    assert settings.database.url
    async with running(settings, settings.database.url, probe_router(cut_before_commit)) as (
        _,
        client,
    ):
        response = await client.post("/_probe/run")

    assert_unavailable(response)


async def test_exhausted_pool_is_503(settings: Settings, logs: LogCapture) -> None:
    async def hold(session: Any) -> dict[str, str]:
        await session.execute(text("SELECT pg_sleep(0.6)"))
        return {"status": "done"}

    one = with_database(settings, {"pool_size": 1, "max_overflow": 0, "pool_timeout": 0.2})
    assert one.database.url
    async with running(one, one.database.url, probe_router(hold), logs) as (_, client):
        responses = await asyncio.gather(*(client.post("/_probe/run") for _ in range(3)))

    assert sorted(r.status_code for r in responses) == [200, 503, 503]
    for response in responses:
        if response.status_code == 503:
            assert_unavailable(response)
    causes = [getattr(r, "cause", None) for r in logs.records]
    assert causes.count("pool_timeout") == 2


async def test_signed_in_job_detail_needs_one_connection(settings: Settings, cleanup: None) -> None:
    """The viewer lookup and the job read share the request's one read connection."""
    one = with_database(settings, {"pool_size": 1, "max_overflow": 0, "pool_timeout": 1})
    assert one.database.url
    async with running(one, one.database.url) as (app, client):
        login = (await _login(app, client, f"o_viewer_{uuid.uuid4().hex[:8]}")).json()
        headers = {"Authorization": f"Bearer {login['access_token']}"}
        response = await client.get(f"/api/v1/jobs/{uuid.uuid4()}", headers=headers)

    assert response.status_code == 404, response.text


async def test_unreachable_redis_rate_limiter_is_503(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there any more
    previous = app.state.ratelimiter
    backend = RedisBackend(redis.from_url(f"redis://127.0.0.1:{port}/0"))
    app.state.ratelimiter = RateLimiter(backend, enabled=True)
    try:
        response = await client.post(
            "/api/v1/auth/staff/login", json={"username": "nobody", "password": "x"}
        )
    finally:
        app.state.ratelimiter = previous
        await backend.client.aclose()

    assert_unavailable(response)
