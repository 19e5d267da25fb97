"""The fake as a real HTTP server (``python -m app fake-wechat``), and the service talking to it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import Settings
from app.integrations.wechat.client import WeChatClient
from app.integrations.wechat.errors import WeChatCodeInvalid, WeChatUnavailable
from app.integrations.wechat.fake import DEMO_APPID, DEMO_SECRET
from app.integrations.wechat.models import WeChatAccessToken
from app.integrations.wechat.runtime import start_wechat
from app.integrations.wechat.token import AccessTokenCache, MemoryTokenStore, PostgresTokenStore
from tests.integrations.wechat.conftest import free_port

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def fake_server() -> Iterator[str]:
    """``python -m app fake-wechat --port N`` in a subprocess; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "fake-wechat", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "LOG_LEVEL": "WARNING"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                stderr = proc.stderr.read().decode() if proc.stderr else ""
                raise RuntimeError(f"fake-wechat exited: {stderr}")
            try:
                httpx.get(f"{base}/_fake/stats", timeout=0.5).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
async def http(fake_server: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        await client.post(f"{fake_server}/_fake/reset")
        yield client


async def test_login_and_phone_over_real_http(fake_server: str, http: httpx.AsyncClient) -> None:
    wechat = WeChatClient(
        DEMO_APPID,
        DEMO_SECRET,
        api_base=fake_server,
        http=http,
        token_cache=AccessTokenCache(MemoryTokenStore()),
        backoff_seconds=0,
    )
    code = (await http.post(f"{fake_server}/_fake/jscode", json={"openid": "o_tcp"})).json()["code"]
    phone_code = (
        await http.post(f"{fake_server}/_fake/phonecode", json={"phone_number": "13812345678"})
    ).json()["code"]

    session = await wechat.code_to_session(code)
    phone = await wechat.get_phone_number(phone_code)

    assert session.openid == "o_tcp"
    assert phone.pure_phone_number == "13812345678"
    with pytest.raises(WeChatCodeInvalid):
        await wechat.code_to_session(code)
    calls = (await http.get(f"{fake_server}/_fake/stats")).json()["calls"]
    assert calls == {
        "sns/jscode2session": 2,
        "cgi-bin/stable_token": 1,
        "wxa/business/getuserphonenumber": 1,
    }


async def test_a_real_socket_timeout_is_503(fake_server: str, http: httpx.AsyncClient) -> None:
    wechat = WeChatClient(
        DEMO_APPID,
        DEMO_SECRET,
        api_base=fake_server,
        http=http,
        token_cache=AccessTokenCache(MemoryTokenStore()),
        timeout_seconds=0.2,
        retries=1,
        backoff_seconds=0,
    )
    injection = {"endpoint": "wxa/msg_sec_check", "latency_ms": 1500, "times": 2}
    await http.post(f"{fake_server}/_fake/inject", json=injection)

    with pytest.raises(WeChatUnavailable):
        await wechat.msg_sec_check("你好", openid="o_tcp")

    calls = (await http.get(f"{fake_server}/_fake/stats")).json()["calls"]
    assert calls["wxa/msg_sec_check"] == 2


async def test_the_service_with_an_appid_uses_the_configured_api_base(
    fake_server: str, http: httpx.AsyncClient, settings: Settings, engine: AsyncEngine
) -> None:
    wechat_settings = settings.wechat.model_copy(
        update={"appid": DEMO_APPID, "secret": SecretStr(DEMO_SECRET), "api_base": fake_server}
    )
    configured = settings.model_copy(update={"wechat": wechat_settings})
    runtime = start_wechat(configured, engine=engine, http=http)
    try:
        assert runtime.fake is None
        assert runtime.client.api_base == fake_server
        assert isinstance(runtime.client.token_cache.store, PostgresTokenStore)
        code = (await http.post(f"{fake_server}/_fake/jscode", json={"openid": "o_svc"})).json()
        assert (await runtime.client.code_to_session(code["code"])).openid == "o_svc"
        token = await runtime.client.access_token()
        async with engine.connect() as conn:
            stored = await conn.scalar(
                select(WeChatAccessToken.access_token).where(WeChatAccessToken.appid == DEMO_APPID)
            )
        assert stored == token
    finally:
        await runtime.aclose()
        async with engine.begin() as conn:
            await conn.execute(
                delete(WeChatAccessToken).where(WeChatAccessToken.appid == DEMO_APPID)
            )


async def test_login_endpoint_goes_through_the_standalone_fake(
    fake_server: str, http: httpx.AsyncClient, settings: Settings, engine: AsyncEngine
) -> None:
    """The whole service configured with an AppID and WECHAT_API_BASE pointing at the fake."""
    from sqlalchemy import text

    from app.main import create_app, start_resources, stop_resources

    wechat_settings = settings.wechat.model_copy(
        update={"appid": DEMO_APPID, "secret": SecretStr(DEMO_SECRET), "api_base": fake_server}
    )
    app = create_app(settings.model_copy(update={"wechat": wechat_settings}))
    await start_resources(app, engine)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        assert app.state.fake_wechat is None
        code = (await http.post(f"{fake_server}/_fake/jscode", json={"openid": "o_http"})).json()
        async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
            login = await client.post("/api/v1/auth/wechat/login", json={"code": code["code"]})
            assert login.status_code == 200, login.text
            token = login.json()["access_token"]
            me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
            assert me.status_code == 200
            again = await client.post("/api/v1/auth/wechat/login", json={"code": code["code"]})
            assert again.status_code == 401 and again.json()["code"] == "wechat.code_invalid"
        stats = (await http.get(f"{fake_server}/_fake/stats")).json()
        assert stats["calls"]["sns/jscode2session"] >= 2
    finally:
        await stop_resources(app)
        async with engine.begin() as conn:
            await conn.execute(text("DELETE FROM \"user\" WHERE openid = 'o_http'"))
            await conn.execute(
                delete(WeChatAccessToken).where(WeChatAccessToken.appid == DEMO_APPID)
            )


def test_the_standalone_fake_reads_the_services_credentials_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import argparse

    from app.integrations.wechat.fake.cli import register

    def parse(*argv: str) -> argparse.Namespace:
        parser = argparse.ArgumentParser()
        register(parser.add_subparsers())
        return parser.parse_args(["fake-wechat", *argv])

    monkeypatch.delenv("WECHAT_APPID", raising=False)
    monkeypatch.delenv("WECHAT_SECRET", raising=False)
    assert (parse().appid, parse().secret) == (DEMO_APPID, DEMO_SECRET)
    monkeypatch.setenv("WECHAT_APPID", "wx0123456789abcdef")
    monkeypatch.setenv("WECHAT_SECRET", "s" * 32)
    assert (parse().appid, parse().secret) == ("wx0123456789abcdef", "s" * 32)
    assert parse("--appid", "wxother").appid == "wxother"


def test_the_readme_names_the_credentials_the_fake_accepts() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"WECHAT_APPID={DEMO_APPID}" in readme
    assert f"WECHAT_SECRET={DEMO_SECRET}" in readme
