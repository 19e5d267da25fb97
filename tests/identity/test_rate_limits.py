"""Login, phone binding and staff login are rate limited per client and per account."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.ratelimit import PostgresBackend, RateLimiter
from app.identity.router import STAFF_PER_CLIENT


@pytest.fixture
async def limited_app(app: FastAPI, engine: AsyncEngine) -> AsyncIterator[FastAPI]:
    previous = app.state.ratelimiter
    app.state.ratelimiter = RateLimiter(PostgresBackend(engine), enabled=True)
    try:
        yield app
    finally:
        app.state.ratelimiter = previous
        async with engine.begin() as conn:
            await conn.execute(text("DELETE FROM rate_limit_bucket"))


async def test_staff_login_is_limited_per_client_with_retry_after(
    limited_app: FastAPI, client: httpx.AsyncClient
) -> None:
    statuses = []
    for i in range(STAFF_PER_CLIENT.hits + 1):
        r = await client.post(
            "/api/v1/auth/staff/login", json={"username": f"u{i}", "password": "x"}
        )
        statuses.append(r.status_code)
    assert statuses[:-1] == [401] * STAFF_PER_CLIENT.hits
    assert statuses[-1] == 429
    assert int(r.headers["retry-after"]) >= 1
    assert r.json()["code"] == "rate_limited"


async def test_wechat_login_is_limited_per_client(
    limited_app: FastAPI, client: httpx.AsyncClient
) -> None:
    last = None
    for _ in range(31):
        last = await client.post("/api/v1/auth/wechat/login", json={"code": "unknown-code"})
    assert last is not None and last.status_code == 429
