"""Build the WeChat client the app uses: the real API, or the in-process fake in demo mode."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from http.cookiejar import CookieJar
from typing import Any

import httpx
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import Settings
from app.integrations.wechat.client import WeChatClient
from app.integrations.wechat.crypto import PushCrypto
from app.integrations.wechat.fake import (
    DEMO_APPID,
    DEMO_ENCODING_AES_KEY,
    DEMO_PUSH_TOKEN,
    DEMO_SECRET,
    FakeWeChatState,
    create_fake_app,
)
from app.integrations.wechat.token import (
    AccessTokenCache,
    MemoryTokenStore,
    PostgresTokenStore,
    RedisTokenStore,
    TokenStore,
)
from app.integrations.wechat.transport import ShardedTransport

FAKE_API_BASE = "http://fake-wechat.invalid"


@dataclass
class WeChatRuntime:
    """What the app holds for WeChat: the client, the push crypto and, in demo mode, the fake."""

    client: WeChatClient
    push: PushCrypto | None
    fake: FakeWeChatState | None
    owned_http: httpx.AsyncClient | None = None
    redis: Redis | None = None

    async def aclose(self) -> None:
        if self.owned_http is not None:
            await self.owned_http.aclose()
        if self.redis is not None:
            await self.redis.aclose()


def upstream_http_client(settings: Settings) -> httpx.AsyncClient:
    """The shared client for calls to WeChat (service and worker alike).

    Every connection is kept alive: a storm of logins (or a worker fanning out subscribe
    messages) has up to 100 calls in flight, and a connection closed after each answer would be
    reopened for the next one.
    """
    return httpx.AsyncClient(
        timeout=httpx.Timeout(settings.wechat.timeout_seconds),
        # 100 connections as ten pools of ten: one pool's CPU per call grows with the square of
        # its connections (app.integrations.wechat.transport).
        transport=ShardedTransport.of_pools(shards=10, connections=10),
        cookies=NoCookies(),
    )


class NoCookies(CookieJar):
    """A cookie jar that keeps nothing: WeChat's server API is stateless (the secret or the
    access token travels in every query), and parsing every answer's headers for ``Set-Cookie``
    through ``http.cookiejar`` was a tenth of an upstream call's CPU."""

    def extract_cookies(self, response: Any, request: Any) -> None:
        return None


def start_wechat(
    settings: Settings, *, engine: AsyncEngine, http: httpx.AsyncClient
) -> WeChatRuntime:
    """The WeChat runtime for ``settings``; ``http`` is the app's shared HTTP client."""
    # httpx logs every request URL at INFO, and WeChat URLs carry the secret or access token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if settings.wechat_demo_mode:
        return _demo_runtime(settings)
    redis = Redis.from_url(settings.redis.url) if settings.redis.url else None
    store: TokenStore = RedisTokenStore(redis) if redis is not None else PostgresTokenStore(engine)
    client = WeChatClient.from_settings(settings, http, token_cache=AccessTokenCache(store))
    token = settings.wechat.token.get_secret_value()
    aes_key = settings.wechat.encoding_aes_key.get_secret_value()
    push = PushCrypto(token, settings.wechat.appid, aes_key or None) if token else None
    return WeChatRuntime(client=client, push=push, fake=None, redis=redis)


def _demo_runtime(settings: Settings) -> WeChatRuntime:
    """No AppID: WeChat is the in-process fake with fixed demo credentials."""
    # "demo:<openid>" login codes are for a laptop, never for a production deployment.
    fake = FakeWeChatState(demo_codes=settings.environment != "production")
    transport = httpx.ASGITransport(app=create_fake_app(fake), raise_app_exceptions=False)
    fake_http = httpx.AsyncClient(transport=transport)
    client = WeChatClient.from_settings(
        settings,
        fake_http,
        token_cache=AccessTokenCache(MemoryTokenStore()),
        appid=DEMO_APPID,
        secret=DEMO_SECRET,
        api_base=FAKE_API_BASE,
        demo_codes=fake.demo_codes,
    )
    token = settings.wechat.token.get_secret_value() or DEMO_PUSH_TOKEN
    aes_key = settings.wechat.encoding_aes_key.get_secret_value() or DEMO_ENCODING_AES_KEY
    push = PushCrypto(token, DEMO_APPID, aes_key)
    return WeChatRuntime(client=client, push=push, fake=fake, owned_http=fake_http)
