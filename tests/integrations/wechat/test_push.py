"""The message-push endpoint: URL verification, secure-mode JSON and XML, refusals, never a 500."""

from __future__ import annotations

import base64
import json
import logging
import os
import socket
import struct
from typing import Any
from xml.sax.saxutils import escape

import httpx
import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.core.config import Settings
from app.integrations.wechat.crypto import sign
from app.integrations.wechat.fake import DEMO_APPID, DEMO_ENCODING_AES_KEY, DEMO_PUSH_TOKEN
from app.integrations.wechat.models import WeChatPushEvent
from app.main import create_app, start_resources, stop_resources

PUSH = "/api/v1/wechat/push"
TS, NONCE = "1750000000", "n0nce"


def _wechat_encrypt(plaintext: str, appid: str = DEMO_APPID) -> str:
    """WeChat's secure-mode encryption, written out independently of wechatpy."""
    key = base64.b64decode(DEMO_ENCODING_AES_KEY + "=")
    body = plaintext.encode()
    raw = os.urandom(16) + struct.pack("I", socket.htonl(len(body))) + body + appid.encode()
    pad = 32 - len(raw) % 32
    raw += bytes([pad]) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(raw) + encryptor.finalize()).decode()


def _secure_query(encrypt: str, **overrides: str) -> dict[str, str]:
    query = {
        "signature": sign(DEMO_PUSH_TOKEN, TS, NONCE),
        "timestamp": TS,
        "nonce": NONCE,
        "openid": "o_push",
        "encrypt_type": "aes",
        "msg_signature": sign(DEMO_PUSH_TOKEN, TS, NONCE, encrypt),
    }
    query.update(overrides)
    return query


def _popup_event_json() -> dict[str, Any]:
    return {
        "ToUserName": "gh_123456789abc",
        "FromUserName": "o_push",
        "CreateTime": 1750000000,
        "MsgType": "event",
        "Event": "subscribe_msg_popup_event",
        "List": [{"TemplateId": "tpl_apply", "SubscribeStatusString": "accept", "PopupScene": "0"}],
    }


SENT_EVENT_XML = """<xml>
<ToUserName><![CDATA[gh_123456789abc]]></ToUserName>
<FromUserName><![CDATA[o_xml_user]]></FromUserName>
<CreateTime>1750000001</CreateTime>
<MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[subscribe_msg_sent_event]]></Event>
<SubscribeMsgSentEvent>
  <List>
    <TemplateId><![CDATA[tpl_apply]]></TemplateId>
    <MsgID>1700827132819554304</MsgID>
    <ErrorCode>0</ErrorCode>
    <ErrorStatus><![CDATA[success]]></ErrorStatus>
  </List>
</SubscribeMsgSentEvent>
</xml>"""


async def _stored(session: AsyncSession, openid: str) -> list[WeChatPushEvent]:
    rows = await session.scalars(select(WeChatPushEvent).where(WeChatPushEvent.openid == openid))
    return list(rows)


# --- GET: URL verification -----------------------------------------------------------------------


async def test_url_verification_echoes_echostr(client: httpx.AsyncClient) -> None:
    query = {"signature": sign(DEMO_PUSH_TOKEN, TS, NONCE), "timestamp": TS, "nonce": NONCE}

    response = await client.get(PUSH, params={**query, "echostr": "4242abc"})

    assert response.status_code == 200
    assert response.text == "4242abc"
    assert response.headers["content-type"].startswith("text/plain")


async def test_url_verification_with_a_bad_signature_is_401(client: httpx.AsyncClient) -> None:
    query = {"signature": sign("wrong-token", TS, NONCE), "timestamp": TS, "nonce": NONCE}

    response = await client.get(PUSH, params={**query, "echostr": "4242abc"})

    assert response.status_code == 401
    assert response.json()["code"] == "wechat.push_signature_invalid"
    assert "4242abc" not in response.text


# --- POST: secure mode ---------------------------------------------------------------------------


async def test_secure_json_subscribe_event_is_stored(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    encrypt = _wechat_encrypt(json.dumps(_popup_event_json()))
    body = {"ToUserName": "gh_123456789abc", "Encrypt": encrypt}

    response = await client.post(PUSH, params=_secure_query(encrypt), json=body)

    assert response.status_code == 200
    assert response.text == "success"
    [event] = await _stored(session, "o_push")
    assert event.event_type == "subscribe_msg_popup_event"
    assert event.payload["List"][0]["SubscribeStatusString"] == "accept"
    assert event.received_at is not None


async def test_secure_xml_sent_event_is_stored(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    encrypt = _wechat_encrypt(SENT_EVENT_XML)
    body = (
        f"<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt>{escape(encrypt)}</Encrypt></xml>"
    )

    response = await client.post(
        PUSH, params=_secure_query(encrypt), content=body, headers={"content-type": "text/xml"}
    )

    assert (response.status_code, response.text) == (200, "success")
    [event] = await _stored(session, "o_xml_user")
    assert event.event_type == "subscribe_msg_sent_event"
    sent = event.payload["SubscribeMsgSentEvent"]["List"]
    assert (sent["TemplateId"], sent["ErrorStatus"]) == ("tpl_apply", "success")


async def test_media_check_event_is_stored(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    message = {
        "ToUserName": "gh_123456789abc",
        "FromUserName": "o_media",
        "CreateTime": 1750000002,
        "MsgType": "event",
        "Event": "wxa_media_check",
        "appid": DEMO_APPID,
        "trace_id": "60ae6c7d-0b1f5a19-5c1e1d86",
        "version": 2,
        "result": {"suggest": "risky", "label": 20002},
    }
    encrypt = _wechat_encrypt(json.dumps(message))

    response = await client.post(PUSH, params=_secure_query(encrypt), json={"Encrypt": encrypt})

    assert response.status_code == 200
    [event] = await _stored(session, "o_media")
    assert (event.event_type, event.payload["result"]["suggest"]) == ("wxa_media_check", "risky")


async def test_a_redelivered_push_is_stored_once(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    plaintext = json.dumps({**_popup_event_json(), "FromUserName": "o_twice"})
    for _ in range(2):  # WeChat re-encrypts (new random prefix) when it retries
        encrypt = _wechat_encrypt(plaintext)
        response = await client.post(PUSH, params=_secure_query(encrypt), json={"Encrypt": encrypt})
        assert response.status_code == 200

    assert len(await _stored(session, "o_twice")) == 1


async def test_unknown_event_is_acknowledged_logged_and_not_stored(
    client: httpx.AsyncClient, session: AsyncSession, caplog: pytest.LogCaptureFixture
) -> None:
    message = {
        **_popup_event_json(),
        "FromUserName": "o_unknown",
        "Event": "user_enter_tempsession",
    }
    encrypt = _wechat_encrypt(json.dumps(message))

    with caplog.at_level(logging.INFO, logger="app.integrations.wechat.push"):
        response = await client.post(PUSH, params=_secure_query(encrypt), json={"Encrypt": encrypt})

    assert (response.status_code, response.text) == (200, "success")
    assert await _stored(session, "o_unknown") == []
    assert any(getattr(r, "event", None) == "user_enter_tempsession" for r in caplog.records)


# --- POST: refusals ------------------------------------------------------------------------------


async def test_bad_url_signature_is_401(client: httpx.AsyncClient) -> None:
    encrypt = _wechat_encrypt(json.dumps(_popup_event_json()))
    query = _secure_query(encrypt, signature="0" * 40)

    response = await client.post(PUSH, params=query, json={"Encrypt": encrypt})

    assert response.status_code == 401
    assert response.json()["code"] == "wechat.push_signature_invalid"


async def test_bad_msg_signature_is_401(client: httpx.AsyncClient) -> None:
    encrypt = _wechat_encrypt(json.dumps(_popup_event_json()))
    query = _secure_query(encrypt, msg_signature=sign(DEMO_PUSH_TOKEN, TS, NONCE, "other"))

    response = await client.post(PUSH, params=query, json={"Encrypt": encrypt})

    assert response.status_code == 401


async def test_message_for_another_appid_is_403(client: httpx.AsyncClient) -> None:
    encrypt = _wechat_encrypt(json.dumps(_popup_event_json()), appid="wxanother00000000")

    response = await client.post(PUSH, params=_secure_query(encrypt), json={"Encrypt": encrypt})

    assert response.status_code == 403
    assert response.json()["code"] == "wechat.push_appid_mismatch"


@pytest.mark.parametrize(
    "body",
    [
        b"hello",
        b"",
        b"{not json",
        b"[1, 2]",
        b"<xml><Encrypt>unterminated",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xml><b>&a;</b></xml>',
        b"\xff\xfe\x00garbage",
    ],
)
async def test_garbage_body_is_400(client: httpx.AsyncClient, body: bytes) -> None:
    query = {"signature": sign(DEMO_PUSH_TOKEN, TS, NONCE), "timestamp": TS, "nonce": NONCE}

    response = await client.post(PUSH, params=query, content=body)

    assert response.status_code == 400
    assert response.json()["code"] == "wechat.push_malformed"


@pytest.mark.parametrize(
    "plaintext",
    ["not json or xml", '{"Event": "x\\u0000"}', "<xml><a>1</a>", json.dumps(["list"])],
)
async def test_garbage_inside_a_valid_envelope_is_400(
    client: httpx.AsyncClient, plaintext: str
) -> None:
    encrypt = _wechat_encrypt(plaintext)

    response = await client.post(PUSH, params=_secure_query(encrypt), json={"Encrypt": encrypt})

    assert response.status_code == 400


async def test_undecryptable_encrypt_is_400(client: httpx.AsyncClient) -> None:
    encrypt = base64.b64encode(os.urandom(40)).decode()

    response = await client.post(PUSH, params=_secure_query(encrypt), json={"Encrypt": encrypt})

    assert response.status_code == 400


async def test_plaintext_push_is_refused_in_secure_mode(client: httpx.AsyncClient) -> None:
    query = {"signature": sign(DEMO_PUSH_TOKEN, TS, NONCE), "timestamp": TS, "nonce": NONCE}

    response = await client.post(PUSH, params=query, json=_popup_event_json())

    assert response.status_code == 400


async def test_push_without_configuration_is_404(settings: Settings, engine: AsyncEngine) -> None:
    configured = settings.model_copy(
        update={"wechat": settings.wechat.model_copy(update={"appid": "wxrealappid000000"})}
    )
    app = create_app(configured)
    await start_resources(app, engine)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            query = {"signature": "x", "timestamp": TS, "nonce": NONCE, "echostr": "e"}
            response = await c.get(PUSH, params=query)
    finally:
        await stop_resources(app)

    assert response.status_code == 404
    assert response.json()["code"] == "wechat.push_not_configured"
