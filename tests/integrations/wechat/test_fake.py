"""The fake WeChat server itself: single-use expiring codes, tokens, injection, controls."""

from __future__ import annotations

import httpx
import pytest

from app.integrations.wechat.client import WeChatClient
from app.integrations.wechat.errors import WeChatCodeInvalid, WeChatUnavailable
from app.integrations.wechat.fake import FakeWeChatState
from tests.integrations.wechat.conftest import FakeClock, MakeClient

# --- codes ---------------------------------------------------------------------------------------


async def test_a_code_works_once(wechat: WeChatClient, fake: FakeWeChatState) -> None:
    code = fake.mint_jscode("o_once")
    await wechat.code_to_session(code)

    with pytest.raises(WeChatCodeInvalid) as error:
        await wechat.code_to_session(code)

    assert error.value.errcode == 40163


async def test_an_unknown_code_is_40029(wechat: WeChatClient) -> None:
    with pytest.raises(WeChatCodeInvalid) as error:
        await wechat.code_to_session("0" * 32)
    assert error.value.errcode == 40029


async def test_a_code_expires_after_five_minutes(
    wechat: WeChatClient, fake: FakeWeChatState, clock: FakeClock
) -> None:
    fresh, stale = fake.mint_jscode("o_fresh"), fake.mint_jscode("o_stale")
    clock.advance(299)
    assert (await wechat.code_to_session(fresh)).openid == "o_fresh"

    clock.advance(2)
    with pytest.raises(WeChatCodeInvalid) as error:
        await wechat.code_to_session(stale)
    assert error.value.errcode == 40029


async def test_phone_codes_expire_too(
    wechat: WeChatClient, fake: FakeWeChatState, clock: FakeClock
) -> None:
    code = fake.mint_phonecode("13500000000")
    clock.advance(301)
    with pytest.raises(WeChatCodeInvalid):
        await wechat.get_phone_number(code)


async def test_an_injected_failure_does_not_use_up_the_code(
    wechat: WeChatClient, fake: FakeWeChatState
) -> None:
    code = fake.mint_jscode("o_retry_later")
    fake.inject("sns/jscode2session", errcode=45011)
    with pytest.raises(Exception):  # noqa: B017 - any mapped error
        await wechat.code_to_session(code)

    assert (await wechat.code_to_session(code)).openid == "o_retry_later"


async def test_demo_codes_only_when_enabled(fake: FakeWeChatState) -> None:
    assert fake.redeem("jscode", "demo:alice") == (40029, {})
    fake.demo_codes = True
    errcode, data = fake.redeem("jscode", "demo:alice")
    assert (errcode, data["openid"]) == (0, "alice")
    assert fake.redeem("jscode", "demo:alice")[0] == 0  # reusable, by design


# --- tokens --------------------------------------------------------------------------------------


async def test_tokens_are_checked(fake: FakeWeChatState, clock: FakeClock) -> None:
    token, expires_in = fake.stable_token(force_refresh=False)

    assert expires_in == 7200
    assert fake.check_token(token) == 0
    assert fake.check_token(None) == 41001
    assert fake.check_token("made-up") == 40001
    assert fake.stable_token(force_refresh=False)[0] == token  # normal mode: same token
    clock.advance(7200)
    assert fake.check_token(token) == 42001


async def test_force_refresh_revokes_the_previous_token(fake: FakeWeChatState) -> None:
    old, _ = fake.stable_token(force_refresh=False)
    new, _ = fake.stable_token(force_refresh=True)

    assert new != old
    assert (fake.check_token(old), fake.check_token(new)) == (40001, 0)


async def test_stable_token_checks_credentials(fake_http: httpx.AsyncClient) -> None:
    body = {"grant_type": "client_credential", "appid": "wxwrong", "secret": "x"}
    response = await fake_http.post("/cgi-bin/stable_token", json=body)
    assert response.json()["errcode"] == 40013


async def test_calls_without_a_token_are_refused(fake_http: httpx.AsyncClient) -> None:
    response = await fake_http.post("/wxa/msg_sec_check", json={"content": "x"})
    assert response.json()["errcode"] == 41001


# --- controls over HTTP --------------------------------------------------------------------------


async def test_http_controls(
    fake_http: httpx.AsyncClient, wechat: WeChatClient, fake: FakeWeChatState
) -> None:
    minted = await fake_http.post("/_fake/jscode", json={"openid": "o_http", "unionid": "u_http"})
    session = await wechat.code_to_session(minted.json()["code"])
    assert (session.openid, session.unionid) == ("o_http", "u_http")

    phone_code = await fake_http.post("/_fake/phonecode", json={"phone_number": "13800000001"})
    assert (await wechat.get_phone_number(phone_code.json()["code"])).phone_number == "13800000001"

    legacy = await fake_http.post(
        "/_fake/legacy_phone", json={"openid": "o_http", "phone_number": "13800000002"}
    )
    data, iv = legacy.json()["encryptedData"], legacy.json()["iv"]
    phone = wechat.decrypt_phone_number(session.session_key, data, iv)
    assert phone.pure_phone_number == "13800000002"

    stats = (await fake_http.get("/_fake/stats")).json()["calls"]
    assert stats["sns/jscode2session"] == 1
    assert stats["wxa/business/getuserphonenumber"] == 1

    injected = await fake_http.post(
        "/_fake/inject", json={"endpoint": "sns/jscode2session", "errcode": 45011, "times": 1}
    )
    assert injected.json() == {"ok": True}
    raw = await fake_http.get("/sns/jscode2session", params={"js_code": "x"})
    assert raw.json()["errcode"] == 45011
    assert raw.headers["content-type"].startswith("text/plain")  # like the real endpoint

    assert (await fake_http.post("/_fake/reset")).json() == {"ok": True}
    assert (await fake_http.get("/_fake/stats")).json() == {"calls": {}}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/_fake/jscode", {}),
        ("/_fake/jscode", {"openid": 42}),
        ("/_fake/phonecode", {"phone_number": "not digits"}),
        ("/_fake/inject", {"endpoint": "cgi-bin/nope"}),
        ("/_fake/inject", {"endpoint": "sns/jscode2session", "times": 0}),
        ("/_fake/legacy_phone", {"openid": "never-logged-in", "phone_number": "1"}),
    ],
)
async def test_http_controls_refuse_bad_input(
    fake_http: httpx.AsyncClient, path: str, body: dict[str, object]
) -> None:
    response = await fake_http.post(path, json=body)
    assert response.status_code == 400
    assert "error" in response.json()


async def test_injected_latency_applies_per_endpoint(
    make_client: MakeClient, fake: FakeWeChatState, wechat: WeChatClient
) -> None:
    fake.inject("wxa/msg_sec_check", latency_ms=400, times=-1)
    slow = make_client(timeout_seconds=0.1, retries=0)

    assert (await wechat.code_to_session(fake.mint_jscode("o_fast"))).openid == "o_fast"
    with pytest.raises(WeChatUnavailable):
        await slow.msg_sec_check("你好", openid="o_fast")
