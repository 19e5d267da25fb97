"""Every WeChat failure reaches the mini-program as its mapped envelope error, never a 500."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI, Request
from prometheus_client import REGISTRY

from app.core.error_handlers import install_error_handlers
from app.core.middleware import RequestContextMiddleware
from app.integrations.wechat.client import WeChatClient
from app.integrations.wechat.fake import FakeWeChatState
from app.integrations.wechat.token import AccessTokenCache, MemoryTokenStore
from tests.integrations.wechat.conftest import FAKE_BASE, MakeClient, free_port


def _probe_app(wechat: WeChatClient) -> FastAPI:
    """A minimal app with the service's error handling that calls WeChat on request."""
    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware, max_body_bytes=1024)
    app.state.wechat = wechat

    @app.get("/login/{code}")
    async def login(code: str, request: Request) -> dict[str, str]:
        session = await request.app.state.wechat.code_to_session(code)
        return {"openid": session.openid}

    @app.get("/check")
    async def check(request: Request) -> dict[str, str]:
        result = await request.app.state.wechat.msg_sec_check("你好", openid="o_probe")
        return {"suggest": result.suggest}

    return app


@pytest.fixture
async def call(wechat: WeChatClient) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=_probe_app(wechat), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
        yield client


@pytest.mark.parametrize(
    ("errcode", "status", "code"),
    [
        (40029, 401, "wechat.code_invalid"),
        (40163, 401, "wechat.code_invalid"),
        (45011, 429, "wechat.rate_limited"),
        (40226, 403, "wechat.user_high_risk"),
        (-1, 503, "wechat.unavailable"),
        (40013, 503, "wechat.unavailable"),
        (40125, 503, "wechat.unavailable"),
        (41002, 503, "wechat.unavailable"),
        (41004, 503, "wechat.unavailable"),
        (40164, 503, "wechat.unavailable"),
        (99999, 502, "wechat.error"),
    ],
)
async def test_errcode_maps_to_envelope(
    call: httpx.AsyncClient, fake: FakeWeChatState, errcode: int, status: int, code: str
) -> None:
    fake.inject("sns/jscode2session", errcode=errcode, times=-1)

    response = await call.get(f"/login/{fake.mint_jscode('o_err')}")

    assert response.status_code == status
    body = response.json()
    assert body["code"] == code
    assert body["message"] and not body["message"].isascii()  # a Chinese message to show
    # Our code, a Chinese message and WeChat's numeric errcode; errmsg (rid, help URL) stays home.
    assert body["details"] == {"errcode": errcode}
    assert "rid" not in response.text


async def test_rate_limited_and_unavailable_carry_retry_after(
    call: httpx.AsyncClient, fake: FakeWeChatState
) -> None:
    fake.inject("sns/jscode2session", errcode=45011)
    limited = await call.get(f"/login/{fake.mint_jscode('o_429')}")
    fake.inject("sns/jscode2session", errcode=-1, times=-1)
    busy = await call.get(f"/login/{fake.mint_jscode('o_503')}")

    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    assert busy.status_code == 503 and int(busy.headers["retry-after"]) >= 1


async def test_real_codes_from_the_fake_map_too(
    call: httpx.AsyncClient, fake: FakeWeChatState
) -> None:
    code = fake.mint_jscode("o_once")
    assert (await call.get(f"/login/{code}")).json() == {"openid": "o_once"}

    reused = await call.get(f"/login/{code}")
    unknown = await call.get("/login/not-a-code")

    assert (reused.status_code, reused.json()["details"]["errcode"]) == (401, 40163)
    assert (unknown.status_code, unknown.json()["details"]["errcode"]) == (401, 40029)


async def test_timeout_is_503(make_client: MakeClient, fake: FakeWeChatState) -> None:
    wechat = make_client(timeout_seconds=0.05, retries=1)
    fake.inject("wxa/msg_sec_check", latency_ms=500, times=-1)
    transport = httpx.ASGITransport(app=_probe_app(wechat), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
        response = await client.get("/check")

    assert response.status_code == 503
    assert response.json()["code"] == "wechat.unavailable"
    assert response.json()["details"] is None
    assert "retry-after" in response.headers
    assert fake.calls["wxa/msg_sec_check"] == 2  # idempotent: retried once


async def test_connection_refused_is_503() -> None:
    port = free_port()  # bound and released: nothing listens there
    async with httpx.AsyncClient() as http:
        wechat = WeChatClient(
            "wxappid",
            "secret",
            api_base=f"http://127.0.0.1:{port}",
            http=http,
            token_cache=AccessTokenCache(MemoryTokenStore()),
            retries=1,
            backoff_seconds=0,
        )
        transport = httpx.ASGITransport(app=_probe_app(wechat), raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
            response = await client.get("/login/anything")

    assert response.status_code == 503
    assert response.json()["details"] is None


async def test_http_5xx_is_503_and_unreadable_answer_is_502(
    call: httpx.AsyncClient, fake: FakeWeChatState
) -> None:
    fake.inject("sns/jscode2session", http_status=500, times=3)
    server_error = await call.get(f"/login/{fake.mint_jscode('o_5xx')}")
    fake.inject("sns/jscode2session", http_status=404)
    not_json = await call.get(f"/login/{fake.mint_jscode('o_404')}")

    assert server_error.status_code == 503
    assert not_json.status_code == 502
    assert not_json.json()["code"] == "wechat.error"


def _configuration_errors(errcode: int) -> float:
    value = REGISTRY.get_sample_value(
        "wechat_configuration_errors_total", {"errcode": str(errcode)}
    )
    return value or 0.0


async def test_wrong_secret_is_an_operator_fault_503_logged_and_counted(
    fake: FakeWeChatState, fake_http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    wechat = WeChatClient(
        fake.appid,
        "not-the-secret",
        api_base=FAKE_BASE,
        http=fake_http,
        token_cache=AccessTokenCache(MemoryTokenStore()),
        backoff_seconds=0,
    )
    before = _configuration_errors(40125)
    transport = httpx.ASGITransport(app=_probe_app(wechat), raise_app_exceptions=False)
    with caplog.at_level(logging.INFO, logger="app.integrations.wechat"):
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
            response = await client.get(f"/login/{fake.mint_jscode('o_secret')}")

    assert response.status_code == 503
    assert response.json()["code"] == "wechat.unavailable"
    assert response.json()["details"] == {"errcode": 40125}
    assert int(response.headers["retry-after"]) >= 1
    assert _configuration_errors(40125) == before + 1
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "rid:" in errors[0].errmsg and "WECHAT_SECRET" in errors[0].getMessage()


async def test_token_still_rejected_after_refresh_is_an_operator_fault(
    call: httpx.AsyncClient, fake: FakeWeChatState, caplog: pytest.LogCaptureFixture
) -> None:
    fake.inject("wxa/msg_sec_check", errcode=40001, times=-1)
    before = _configuration_errors(40001)

    with caplog.at_level(logging.INFO, logger="app.integrations.wechat"):
        response = await call.get("/check")

    assert response.status_code == 503
    assert response.json()["details"] == {"errcode": 40001}
    assert fake.calls["wxa/msg_sec_check"] == 2  # refreshed once, then gave up
    assert _configuration_errors(40001) == before + 1
    assert [r.errcode for r in caplog.records if r.levelno == logging.ERROR] == [40001]


async def test_errmsg_goes_to_the_log_only(
    call: httpx.AsyncClient, fake: FakeWeChatState, caplog: pytest.LogCaptureFixture
) -> None:
    fake.inject("sns/jscode2session", errcode=99999)

    with caplog.at_level(logging.INFO, logger="app.integrations.wechat"):
        response = await call.get(f"/login/{fake.mint_jscode('o_errmsg')}")

    assert response.status_code == 502 and response.json()["details"] == {"errcode": 99999}
    logged = [r for r in caplog.records if getattr(r, "errcode", None) == 99999]
    assert len(logged) == 1 and "rid:" in logged[0].errmsg
    assert logged[0].endpoint == "sns/jscode2session"
