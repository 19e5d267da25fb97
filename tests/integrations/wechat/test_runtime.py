"""Demo mode: with no AppID the app talks to an in-process fake; other code can log in through it."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import Settings
from app.integrations.wechat.client import WeChatClient
from app.integrations.wechat.errors import WeChatCodeInvalid
from app.integrations.wechat.fake import DEMO_APPID, FakeWeChatState
from app.integrations.wechat.runtime import start_wechat, upstream_http_client
from app.integrations.wechat.token import MemoryTokenStore


async def test_the_app_holds_the_client_and_the_fake(app: FastAPI) -> None:
    wechat, fake = app.state.wechat, app.state.fake_wechat

    assert isinstance(wechat, WeChatClient) and isinstance(fake, FakeWeChatState)
    assert wechat.appid == fake.appid == DEMO_APPID
    session = await wechat.code_to_session(fake.mint_jscode("o_demo", unionid="u_demo"))
    assert (session.openid, session.unionid) == ("o_demo", "u_demo")
    phone = await wechat.get_phone_number(fake.mint_phonecode("13300000000"))
    assert phone.phone_number == "13300000000"


async def test_demo_runtime_accepts_demo_codes_outside_production(
    settings: Settings, engine: AsyncEngine
) -> None:
    production_settings = settings.model_copy(update={"environment": "production"})
    async with httpx.AsyncClient() as http:
        runtime = start_wechat(settings, engine=engine, http=http)
        production = start_wechat(production_settings, engine=engine, http=http)
        try:
            assert isinstance(runtime.client.token_cache.store, MemoryTokenStore)
            assert runtime.push is not None and runtime.push.secure
            assert (await runtime.client.code_to_session("demo:newcomer")).openid == "newcomer"
            with pytest.raises(WeChatCodeInvalid):
                await production.client.code_to_session("demo:newcomer")
        finally:
            await runtime.aclose()
            await production.aclose()


async def test_the_upstream_client_keeps_no_cookie(settings: Settings) -> None:
    """WeChat's API is stateless: a Set-Cookie in an answer is never sent back."""
    sent: list[str | None] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers.get("cookie"))
        return httpx.Response(200, json={"errcode": 0}, headers={"Set-Cookie": "sid=abc; Path=/"})

    http = upstream_http_client(settings)
    http._transport = httpx.MockTransport(answer)
    async with http:
        await http.get("https://api.weixin.qq.com/sns/jscode2session?js_code=a")
        await http.get("https://api.weixin.qq.com/sns/jscode2session?js_code=b")
    assert sent == [None, None]
    assert len(http.cookies) == 0
