"""A production-configured app has no demo routes, refuses demo: codes and trusts only its proxy."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import Settings
from app.core.db import create_sessionmaker
from app.core.ratelimit import PostgresBackend, RateLimiter
from app.identity.router import LOGIN_PER_CLIENT
from app.integrations.wechat.client import WeChatClient
from app.integrations.wechat.errors import WeChatCodeInvalid
from app.integrations.wechat.token import AccessTokenCache, MemoryTokenStore
from app.main import create_app, start_resources, stop_resources
from tests.core.test_production_settings import FIELD_KEYS, STRONG

PROXY = "10.9.8.7"


@pytest.fixture
async def production_app(settings: Settings, engine: AsyncEngine) -> AsyncIterator[FastAPI]:
    production = Settings.model_validate(
        {
            "environment": "production",
            "log_level": "WARNING",
            "database": {"url": settings.database.url},
            "storage": {"root": str(settings.storage.root)},
            "http": {"rate_limits_enabled": False},
            # Nothing listens here: a call that reached "WeChat" would answer 503, not 401.
            "wechat": {
                "appid": "wx0123456789abcdef",
                "secret": "0123456789abcdef0123456789abcdef",
                "api_base": "http://127.0.0.1:9",
                "retries": 0,
            },
            "security": {"jwt_secret": STRONG, "hash_key": STRONG, "field_keys": FIELD_KEYS},
        }
    )
    app = create_app(production)
    await start_resources(app, engine)
    try:
        yield app
    finally:
        await stop_resources(app)


async def _client(app: FastAPI, peer: str = "127.0.0.1") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=(peer, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_production_app_has_no_demo_routes(production_app: FastAPI) -> None:
    assert production_app.state.fake_wechat is None
    paths = {getattr(route, "path", "") for route in production_app.routes}
    assert not [path for path in paths if path.startswith("/api/v1/demo")]
    assert "/api/v1/demo/wechat-code" not in production_app.openapi()["paths"]
    async with await _client(production_app) as client:
        for path, body in [
            ("/api/v1/demo/wechat-code", {"openid": "victim"}),
            ("/api/v1/demo/phone-code", {"phone_number": "13800000001"}),
        ]:
            r = await client.post(path, json=body)
            assert r.status_code == 404 and r.json()["code"] == "not_found", r.text


async def test_production_app_refuses_demo_codes_without_calling_wechat(
    production_app: FastAPI,
) -> None:
    async with await _client(production_app) as client:
        r = await client.post("/api/v1/auth/wechat/login", json={"code": "demo:victim-openid"})
    assert r.status_code == 401 and r.json()["code"] == "wechat.code_invalid", r.text


async def test_demo_mode_app_still_mints_demo_codes(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/v1/demo/wechat-code", json={"openid": "demo-user-y"})
    assert r.status_code == 200
    login = await client.post("/api/v1/auth/wechat/login", json={"code": "demo:demo-user-y"})
    assert login.status_code == 200


@pytest.fixture
async def proxied_app(settings: Settings, engine: AsyncEngine) -> AsyncIterator[FastAPI]:
    app = create_app(settings.model_copy(update={"forwarded_allow_ips": PROXY}))
    await start_resources(app, engine)
    app.state.sessionmaker = create_sessionmaker(engine)
    app.state.ratelimiter = RateLimiter(PostgresBackend(engine), enabled=True)
    try:
        yield app
    finally:
        await stop_resources(app)
        async with engine.begin() as conn:
            await conn.execute(text("DELETE FROM rate_limit_bucket"))


async def _login_statuses(app: FastAPI, peer: str) -> list[int]:
    statuses = []
    async with await _client(app, peer) as client:
        for i in range(LOGIN_PER_CLIENT.hits + 1):
            headers = {"X-Forwarded-For": f"198.51.100.{i + 1}"}
            r = await client.post(
                "/api/v1/auth/wechat/login", json={"code": "unknown-code"}, headers=headers
            )
            statuses.append(r.status_code)
    return statuses


async def test_forwarded_for_is_honoured_from_the_trusted_proxy(proxied_app: FastAPI) -> None:
    # Each request comes through the proxy for another user: none shares a rate-limit bucket.
    assert set(await _login_statuses(proxied_app, PROXY)) == {401}


async def test_forwarded_for_is_ignored_from_anyone_else(proxied_app: FastAPI) -> None:
    # A direct client cannot dodge the per-client limit by inventing X-Forwarded-For.
    statuses = await _login_statuses(proxied_app, "203.0.113.50")
    assert statuses[-1] == 429 and set(statuses[:-1]) == {401}


@pytest.mark.parametrize("call", ["code_to_session", "get_phone_number"])
async def test_the_real_client_never_sends_demo_codes(call: str) -> None:
    def unreachable(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"a demo code reached WeChat: {request.url}")

    async with httpx.AsyncClient(transport=httpx.MockTransport(unreachable)) as http:
        client = WeChatClient(
            "wx0123456789abcdef",
            "0123456789abcdef0123456789abcdef",
            api_base="https://api.weixin.qq.com",
            http=http,
            token_cache=AccessTokenCache(MemoryTokenStore()),
        )
        with pytest.raises(WeChatCodeInvalid):
            await getattr(client, call)("demo:13800000001")
