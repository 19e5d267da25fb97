"""The fake WeChat server as an ASGI app: the real API's paths and JSON, plus ``/_fake`` controls.

Runs in-process (``httpx.ASGITransport``, demo mode and tests) or as a real HTTP server
(``python -m app fake-wechat --port N``).
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import struct
import zlib
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.integrations.wechat.fake.state import FakeWeChatState, phone_info

JSON_TYPE = "application/json; encoding=utf-8"

ERRMSG = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40003: "invalid openid",
    40013: "invalid appid",
    40029: "invalid code",
    40037: "invalid template_id",
    40125: "invalid appsecret",
    40163: "code been used",
    40169: "invalid length for scene, or the data is not json string",
    40226: "high risk user, login intercepted",
    41001: "access_token missing",
    42001: "access_token expired",
    45011: "api minute-quota reach limit  mustslower  retry next minute",
    47001: "data format error",
}

Handler = Callable[[Request, FakeWeChatState], Awaitable[Response]]


def _json(payload: dict[str, Any], *, content_type: str = JSON_TYPE) -> Response:
    body = json.dumps(payload, ensure_ascii=False).encode()
    return Response(body, media_type=None, headers={"content-type": content_type})


def wechat_error(errcode: int, *, content_type: str = JSON_TYPE) -> Response:
    """An error exactly as WeChat shapes it: errcode, errmsg with a request id."""
    errmsg = f"{ERRMSG.get(errcode, 'error')} rid: {secrets.token_hex(6)}"
    return _json({"errcode": errcode, "errmsg": errmsg}, content_type=content_type)


async def _body(request: Request) -> dict[str, Any] | None:
    try:
        data = json.loads(await request.body())
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _endpoint(name: str, handler: Handler, *, content_type: str = JSON_TYPE) -> Callable[..., Any]:
    """Count the call, apply an injected delay or failure, then answer like WeChat."""

    async def endpoint(request: Request) -> Response:
        state: FakeWeChatState = request.app.state.fake
        injection = state.record_call(name)
        if state.latency_ms:
            await asyncio.sleep(state.latency_ms / 1000)
        if injection is not None:
            if injection.latency_ms:
                await asyncio.sleep(injection.latency_ms / 1000)
            if injection.http_status:
                return Response("upstream failure", status_code=injection.http_status)
            if injection.errcode is not None:
                return wechat_error(injection.errcode, content_type=content_type)
        return await handler(request, state)

    return endpoint


def _token_error(request: Request, state: FakeWeChatState) -> Response | None:
    errcode = state.check_token(request.query_params.get("access_token"))
    return wechat_error(errcode) if errcode else None


# --- the WeChat API -----------------------------------------------------------------------------


async def jscode2session(request: Request, state: FakeWeChatState) -> Response:
    query = request.query_params
    plain = "text/plain"  # the real endpoint labels its JSON as text/plain
    if query.get("appid") != state.appid:
        return wechat_error(40013, content_type=plain)
    if query.get("secret") != state.secret:
        return wechat_error(40125, content_type=plain)
    if query.get("grant_type") != "authorization_code":
        return wechat_error(47001, content_type=plain)
    errcode, data = state.redeem("jscode", query.get("js_code", ""))
    if errcode:
        return wechat_error(errcode, content_type=plain)
    answer = {"openid": data["openid"], "session_key": state.new_session_key(data["openid"])}
    if data.get("unionid"):
        answer["unionid"] = data["unionid"]
    return _json(answer, content_type=plain)


async def stable_token(request: Request, state: FakeWeChatState) -> Response:
    body = await _body(request)
    if body is None or body.get("grant_type") != "client_credential":
        return wechat_error(47001)
    if body.get("appid") != state.appid:
        return wechat_error(40013)
    if body.get("secret") != state.secret:
        return wechat_error(40125)
    token, expires_in = state.stable_token(bool(body.get("force_refresh")))
    return _json({"access_token": token, "expires_in": expires_in})


async def get_phone_number(request: Request, state: FakeWeChatState) -> Response:
    if (error := _token_error(request, state)) is not None:
        return error
    body = await _body(request)
    if body is None or not isinstance(body.get("code"), str):
        return wechat_error(47001)
    errcode, data = state.redeem("phonecode", body["code"])
    if errcode:
        return wechat_error(errcode)
    return _json({"errcode": 0, "errmsg": "ok", "phone_info": phone_info(state, data)})


async def msg_sec_check(request: Request, state: FakeWeChatState) -> Response:
    if (error := _token_error(request, state)) is not None:
        return error
    body = await _body(request)
    if body is None or body.get("version") != 2 or body.get("scene") not in (1, 2, 3, 4):
        return wechat_error(47001)
    if not isinstance(body.get("openid"), str) or not body["openid"]:
        return wechat_error(40003)
    text = f"{body.get('title') or ''}\n{body.get('content') or ''}"
    suggest, label = state.sec_verdict(text)
    detail = {"strategy": "content_model", "errcode": 0, "suggest": suggest, "label": label}
    return _json(
        {
            "errcode": 0,
            "errmsg": "ok",
            "result": {"suggest": suggest, "label": label},
            "detail": [detail],
            "trace_id": secrets.token_hex(12),
        }
    )


async def subscribe_send(request: Request, state: FakeWeChatState) -> Response:
    if (error := _token_error(request, state)) is not None:
        return error
    body = await _body(request)
    if body is None:
        return wechat_error(47001)
    if not isinstance(body.get("touser"), str) or not body["touser"]:
        return wechat_error(40003)
    if not isinstance(body.get("template_id"), str) or not body["template_id"]:
        return wechat_error(40037)
    data = body.get("data")
    if not isinstance(data, dict) or not all(
        isinstance(v, dict) and isinstance(v.get("value"), str) for v in data.values()
    ):
        return wechat_error(47001)
    state.sent_messages.append(body)
    return _json({"errcode": 0, "errmsg": "ok", "msgid": len(state.sent_messages)})


_SCENE = re.compile(r"^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$")


async def wxacode_unlimited(request: Request, state: FakeWeChatState) -> Response:
    if (error := _token_error(request, state)) is not None:
        return error
    body = await _body(request)
    if body is None or not isinstance(body.get("scene"), str):
        return wechat_error(47001)
    if not _SCENE.match(body["scene"]):
        return wechat_error(40169)
    return Response(DEMO_PNG, media_type="image/png")


# --- controls -----------------------------------------------------------------------------------

ENDPOINTS: dict[str, tuple[str, Handler, str]] = {
    "sns/jscode2session": ("GET", jscode2session, "text/plain"),
    "cgi-bin/stable_token": ("POST", stable_token, JSON_TYPE),
    "wxa/business/getuserphonenumber": ("POST", get_phone_number, JSON_TYPE),
    "wxa/msg_sec_check": ("POST", msg_sec_check, JSON_TYPE),
    "cgi-bin/message/subscribe/send": ("POST", subscribe_send, JSON_TYPE),
    "wxa/getwxacodeunlimit": ("POST", wxacode_unlimited, JSON_TYPE),
}


def _bad(message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=400)


async def mint_jscode(request: Request) -> Response:
    body = await _body(request) or {}
    openid, unionid = body.get("openid"), body.get("unionid")
    if not isinstance(openid, str) or not openid or not isinstance(unionid, str | None):
        return _bad("openid (string) is required; unionid is optional")
    return JSONResponse({"code": request.app.state.fake.mint_jscode(openid, unionid)})


async def mint_phonecode(request: Request) -> Response:
    body = await _body(request) or {}
    phone, country = body.get("phone_number"), body.get("country_code", "86")
    if not isinstance(phone, str) or not phone.isdigit() or not isinstance(country, str):
        return _bad("phone_number (digits) is required")
    return JSONResponse({"code": request.app.state.fake.mint_phonecode(phone, country)})


async def legacy_phone(request: Request) -> Response:
    body = await _body(request) or {}
    state: FakeWeChatState = request.app.state.fake
    openid, phone = body.get("openid"), body.get("phone_number")
    if (
        not isinstance(openid, str)
        or openid not in state.session_keys
        or not isinstance(phone, str)
    ):
        return _bad("openid (logged in) and phone_number are required")
    encrypted, iv = state.legacy_phone_payload(openid, phone)
    return JSONResponse({"encryptedData": encrypted, "iv": iv})


async def inject(request: Request) -> Response:
    body = await _body(request) or {}
    endpoint = body.get("endpoint")
    if endpoint not in ENDPOINTS:
        return _bad(f"endpoint must be one of {sorted(ENDPOINTS)}")
    errcode, times = body.get("errcode"), body.get("times", 1)
    latency, status = body.get("latency_ms", 0), body.get("http_status")
    if not (
        isinstance(errcode, int | None)
        and isinstance(times, int)
        and (times == -1 or times >= 1)
        and isinstance(latency, int)
        and latency >= 0
        and isinstance(status, int | None)
    ):
        return _bad("errcode: int, times: int >= 1 or -1, latency_ms: int >= 0, http_status: int")
    request.app.state.fake.inject(
        endpoint, errcode=errcode, times=times, latency_ms=latency, http_status=status
    )
    return JSONResponse({"ok": True})


async def reset(request: Request) -> Response:
    request.app.state.fake.reset()
    return JSONResponse({"ok": True})


async def revoke_tokens(request: Request) -> Response:
    request.app.state.fake.revoke_tokens()
    return JSONResponse({"ok": True})


async def stats(request: Request) -> Response:
    return JSONResponse({"calls": dict(request.app.state.fake.calls)})


async def messages(request: Request) -> Response:
    return JSONResponse({"messages": request.app.state.fake.sent_messages})


def create_fake_app(state: FakeWeChatState | None = None) -> Starlette:
    """The fake as an ASGI app; its state is ``app.state.fake``."""
    routes = [
        Route(f"/{name}", _endpoint(name, handler, content_type=ctype), methods=[method])
        for name, (method, handler, ctype) in ENDPOINTS.items()
    ]
    routes += [
        Route("/_fake/jscode", mint_jscode, methods=["POST"]),
        Route("/_fake/phonecode", mint_phonecode, methods=["POST"]),
        Route("/_fake/legacy_phone", legacy_phone, methods=["POST"]),
        Route("/_fake/inject", inject, methods=["POST"]),
        Route("/_fake/reset", reset, methods=["POST"]),
        Route("/_fake/revoke_tokens", revoke_tokens, methods=["POST"]),
        Route("/_fake/stats", stats, methods=["GET"]),
        Route("/_fake/messages", messages, methods=["GET"]),
    ]
    app = Starlette(routes=routes)
    app.state.fake = state or FakeWeChatState()
    return app


def _png(width: int, height: int) -> bytes:
    """A small valid greyscale PNG with a checkerboard (a stand-in for a mini-program code)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(
        b"\x00" + bytes(0 if (x // 4 + y // 4) % 2 else 255 for x in range(width))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


DEMO_PNG = _png(32, 32)
