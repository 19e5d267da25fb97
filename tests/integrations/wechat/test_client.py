"""The client against the in-process fake: results, retries, image-or-JSON, validation."""

from __future__ import annotations

import struct
import zlib

import httpx
import pytest

from app.integrations.wechat.client import WeChatClient
from app.integrations.wechat.errors import (
    WeChatCodeInvalid,
    WeChatRateLimited,
    WeChatSceneInvalid,
    WeChatUnavailable,
    WeChatUpstreamError,
)
from app.integrations.wechat.fake import FakeWeChatState
from app.integrations.wechat.token import AccessTokenCache, MemoryTokenStore
from app.integrations.wechat.types import SecCheckScene
from tests.integrations.wechat.conftest import MakeClient

# --- login and phone -----------------------------------------------------------------------------


async def test_code_to_session(wechat: WeChatClient, fake: FakeWeChatState) -> None:
    session = await wechat.code_to_session(fake.mint_jscode("o_alice", unionid="u_alice"))

    assert (session.openid, session.unionid) == ("o_alice", "u_alice")
    assert session.session_key == fake.session_keys["o_alice"]
    assert "session_key" not in repr(session)
    assert fake.calls["cgi-bin/stable_token"] == 0  # jscode2session needs no access token


async def test_code_without_unionid(wechat: WeChatClient, fake: FakeWeChatState) -> None:
    session = await wechat.code_to_session(fake.mint_jscode("o_bob"))
    assert session.unionid is None


async def test_phone_number_via_code(wechat: WeChatClient, fake: FakeWeChatState) -> None:
    code = fake.mint_phonecode("13912345678")

    phone = await wechat.get_phone_number(code)

    assert (phone.phone_number, phone.pure_phone_number, phone.country_code) == (
        "13912345678",
        "13912345678",
        "86",
    )
    with pytest.raises(WeChatCodeInvalid) as used:
        await wechat.get_phone_number(code)
    assert used.value.errcode == 40163


async def test_a_login_code_is_not_a_phone_code(
    wechat: WeChatClient, fake: FakeWeChatState
) -> None:
    with pytest.raises(WeChatCodeInvalid) as error:
        await wechat.get_phone_number(fake.mint_jscode("o_mixup"))
    assert error.value.errcode == 40029


# --- retries -------------------------------------------------------------------------------------


async def test_system_busy_is_retried_until_success(
    wechat: WeChatClient, fake: FakeWeChatState
) -> None:
    fake.inject("wxa/msg_sec_check", errcode=-1, times=2)

    result = await wechat.msg_sec_check("招聘电焊工", openid="o_retry")

    assert result.suggest == "pass"
    assert fake.calls["wxa/msg_sec_check"] == 3


async def test_retries_are_bounded(wechat: WeChatClient, fake: FakeWeChatState) -> None:
    fake.inject("wxa/msg_sec_check", errcode=-1, times=-1)

    with pytest.raises(WeChatUnavailable):
        await wechat.msg_sec_check("招聘电焊工", openid="o_retry")

    assert fake.calls["wxa/msg_sec_check"] == 3  # 1 + retries=2


async def test_backoff_grows_exponentially(make_client: MakeClient, fake: FakeWeChatState) -> None:
    pauses: list[float] = []

    async def record(seconds: float) -> None:
        pauses.append(seconds)

    wechat = make_client(backoff_seconds=1.0, retries=3, sleep=record)
    fake.inject("wxa/msg_sec_check", errcode=-1, times=3)

    await wechat.msg_sec_check("你好", openid="o_backoff")

    assert len(pauses) == 3
    for attempt, pause in enumerate(pauses):
        assert 0.5 * 2**attempt <= pause <= 2**attempt


async def test_a_timeout_is_retried_for_idempotent_calls(
    make_client: MakeClient, fake: FakeWeChatState
) -> None:
    wechat = make_client(timeout_seconds=0.05)
    fake.inject("wxa/msg_sec_check", latency_ms=300, times=1)

    assert (await wechat.msg_sec_check("你好", openid="o_slow")).suggest == "pass"
    assert fake.calls["wxa/msg_sec_check"] == 2


async def test_a_timeout_is_not_retried_when_it_could_consume_the_code(
    make_client: MakeClient, fake: FakeWeChatState
) -> None:
    wechat = make_client(timeout_seconds=0.05)
    fake.inject("sns/jscode2session", latency_ms=300, times=1)

    with pytest.raises(WeChatUnavailable):
        await wechat.code_to_session(fake.mint_jscode("o_slow"))

    assert fake.calls["sns/jscode2session"] == 1


async def test_a_refused_connection_is_retried_even_for_a_login_code() -> None:
    attempts = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json={"openid": "o_x", "session_key": "c2s="})

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        wechat = WeChatClient(
            "wxappid",
            "secret",
            api_base="http://wechat.test",
            http=http,
            token_cache=AccessTokenCache(MemoryTokenStore()),
            backoff_seconds=0,
        )
        assert (await wechat.code_to_session("code")).openid == "o_x"
    assert attempts == 2


async def test_quota_errors_are_not_retried(wechat: WeChatClient, fake: FakeWeChatState) -> None:
    fake.inject("wxa/msg_sec_check", errcode=45011, times=-1)

    with pytest.raises(WeChatRateLimited):
        await wechat.msg_sec_check("你好", openid="o_quota")

    assert fake.calls["wxa/msg_sec_check"] == 1


# --- content security ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "suggest"),
    [
        ("招聘餐厅服务员，包吃住", "pass"),
        ("高薪兼职，加微信详谈", "review"),
        ("在家刷单日赚三百", "risky"),
        ("网络赌博代理", "risky"),
    ],
)
async def test_msg_sec_check_reads_suggest(wechat: WeChatClient, text: str, suggest: str) -> None:
    result = await wechat.msg_sec_check(text, openid="o_sec", scene=SecCheckScene.PROFILE)

    assert result.suggest == suggest
    assert result.passed is (suggest == "pass")
    assert result.trace_id
    assert (result.label == 100) is (suggest == "pass")


async def test_msg_sec_check_looks_at_the_title(wechat: WeChatClient) -> None:
    result = await wechat.msg_sec_check("详情见内", openid="o_sec", title="诈骗团伙招人")
    assert result.suggest == "risky"


async def test_msg_sec_check_errcode_zero_without_result_is_not_a_pass() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if "stable_token" in request.url.path:
            return httpx.Response(200, json={"access_token": "t", "expires_in": 7200})
        return httpx.Response(200, json={"errcode": 0, "errmsg": "ok"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        wechat = WeChatClient(
            "wxappid",
            "secret",
            api_base="http://wechat.test",
            http=http,
            token_cache=AccessTokenCache(MemoryTokenStore()),
        )
        with pytest.raises(WeChatUpstreamError):
            await wechat.msg_sec_check("你好", openid="o_sec")


async def test_empty_text_needs_no_call(wechat: WeChatClient, fake: FakeWeChatState) -> None:
    assert (await wechat.msg_sec_check("  ", openid="o_sec")).suggest == "pass"
    assert fake.calls["wxa/msg_sec_check"] == 0


# --- subscribe messages --------------------------------------------------------------------------


async def test_send_subscribe_message(wechat: WeChatClient, fake: FakeWeChatState) -> None:
    await wechat.send_subscribe_message(
        "o_sub", "tpl_apply", {"thing1": "电焊工", "time2": "2025-06-01 09:00"}, page="pages/me"
    )

    [sent] = fake.sent_messages
    assert sent["touser"] == "o_sub"
    assert sent["data"] == {"thing1": {"value": "电焊工"}, "time2": {"value": "2025-06-01 09:00"}}
    assert (sent["page"], sent["miniprogram_state"]) == ("pages/me", "formal")


async def test_send_subscribe_message_error_keeps_errcode(
    wechat: WeChatClient, fake: FakeWeChatState
) -> None:
    fake.inject("cgi-bin/message/subscribe/send", errcode=43101)

    with pytest.raises(WeChatUpstreamError) as error:
        await wechat.send_subscribe_message("o_sub", "tpl", {"thing1": "x"})

    assert error.value.errcode == 43101
    assert error.value.status_code == 502


# --- mini-program codes --------------------------------------------------------------------------


def _png_chunks(data: bytes) -> list[bytes]:
    """Walk a PNG's chunks, checking each CRC; returns the chunk types."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    kinds, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert crc == zlib.crc32(kind + body)
        kinds.append(kind)
        offset += 12 + length
    return kinds


async def test_wxacode_success_is_image_bytes(wechat: WeChatClient) -> None:
    image = await wechat.get_wxacode_unlimited("job=42&s=fair", page="pages/job/detail")

    assert _png_chunks(image) == [b"IHDR", b"IDAT", b"IEND"]


async def test_wxacode_failure_is_json(wechat: WeChatClient, fake: FakeWeChatState) -> None:
    fake.inject("wxa/getwxacodeunlimit", errcode=41030)

    with pytest.raises(WeChatUpstreamError) as error:
        await wechat.get_wxacode_unlimited("job=42")

    assert error.value.errcode == 41030


async def test_wxacode_quota_is_429(wechat: WeChatClient, fake: FakeWeChatState) -> None:
    fake.inject("wxa/getwxacodeunlimit", errcode=45011)
    with pytest.raises(WeChatRateLimited):
        await wechat.get_wxacode_unlimited("job=42")


@pytest.mark.parametrize("scene", ["", "x" * 33, "职位=42", "a b"])
async def test_wxacode_scene_is_validated_before_calling(
    wechat: WeChatClient, fake: FakeWeChatState, scene: str
) -> None:
    with pytest.raises(WeChatSceneInvalid) as error:
        await wechat.get_wxacode_unlimited(scene)

    assert error.value.status_code == 422
    assert fake.calls["wxa/getwxacodeunlimit"] == 0


async def test_wxacode_accepts_32_characters(wechat: WeChatClient) -> None:
    assert await wechat.get_wxacode_unlimited("a" * 32)
