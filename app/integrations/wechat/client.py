"""The async WeChat client: one shared ``httpx.AsyncClient``, bounded retries, typed results.

wechatpy's own HTTP client is synchronous and would block the event loop, so every call to
WeChat goes through here; wechatpy only serves the offline crypto (see ``crypto.py``).

Retries (exponential backoff with jitter) cover network errors, timeouts, HTTP 5xx and errcode
-1 (system busy). A call that consumes something on WeChat's side (a login code, a phone code, a
sent message) is retried only when the request surely never arrived (connection refused, pool
timeout) or WeChat said -1, so a lost answer never turns into a used code or a double message.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from app.core.config import Settings
from app.integrations.wechat import crypto
from app.integrations.wechat.errors import (
    ERRCODE_SYSTEM_BUSY,
    TOKEN_REJECTED_ERRCODES,
    WeChatCodeInvalid,
    WeChatSceneInvalid,
    bad_reply,
    error_for_errcode,
    unavailable,
)
from app.integrations.wechat.token import AccessTokenCache
from app.integrations.wechat.types import (
    Code2Session,
    EnvVersion,
    MiniProgramState,
    PhoneInfo,
    SecCheckResult,
    SecCheckScene,
    TokenGrant,
)

log = logging.getLogger(__name__)

JSCODE2SESSION = "sns/jscode2session"
STABLE_TOKEN = "cgi-bin/stable_token"
GET_PHONE_NUMBER = "wxa/business/getuserphonenumber"
MSG_SEC_CHECK = "wxa/msg_sec_check"
SUBSCRIBE_SEND = "cgi-bin/message/subscribe/send"
WXACODE_UNLIMITED = "wxa/getwxacodeunlimit"
DEMO_CODE_PREFIX = "demo:"

SCENE_PATTERN = re.compile(r"^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$")
_SEC_SUGGESTIONS = ("pass", "review", "risky")
# Errors after which the request surely never reached WeChat: safe to repeat any call.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class _Reply:
    payload: dict[str, Any] | None  # None when the body is an image
    content: bytes
    content_type: str

    @property
    def errcode(self) -> int:
        if self.payload is None:
            return 0
        value = self.payload.get("errcode", 0)
        return value if isinstance(value, int) else 0


class WeChatClient:
    """Calls to the mini-program server API; failures raise ``app.integrations.wechat.errors``."""

    def __init__(
        self,
        appid: str,
        secret: str,
        *,
        api_base: str,
        http: httpx.AsyncClient,
        token_cache: AccessTokenCache,
        retries: int = 2,
        timeout_seconds: float = 5.0,
        backoff_seconds: float = 0.2,
        env_version: EnvVersion = "release",
        sleep: Sleep = asyncio.sleep,
        demo_codes: bool = False,
    ) -> None:
        self.appid = appid
        # Only the demo runtime's fake understands "demo:<openid>"; elsewhere it never leaves.
        self._demo_codes = demo_codes
        self._secret = secret
        self.api_base = api_base.rstrip("/")
        self._http = http
        self.token_cache = token_cache
        self._retries = retries
        self._timeout = timeout_seconds
        self._backoff = backoff_seconds
        self._env_version = env_version
        self._sleep = sleep

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        http: httpx.AsyncClient,
        *,
        token_cache: AccessTokenCache,
        **overrides: Any,
    ) -> WeChatClient:
        """A client configured by ``WECHAT_*`` settings (keyword overrides win)."""
        options: dict[str, Any] = {
            "api_base": settings.wechat.api_base,
            "retries": settings.wechat.retries,
            "timeout_seconds": settings.wechat.timeout_seconds,
            "env_version": settings.wechat.env_version,
        }
        options.update(overrides)
        appid = options.pop("appid", settings.wechat.appid)
        secret = options.pop("secret", settings.wechat.secret.get_secret_value())
        return cls(appid, secret, http=http, token_cache=token_cache, **options)

    # --- the API ------------------------------------------------------------------------------

    def _refuse_demo_code(self, code: str) -> None:
        """A ``demo:<openid>`` code outside demo mode is somebody impersonating a user."""
        if not self._demo_codes and code.startswith(DEMO_CODE_PREFIX):
            log.warning("demo login code refused outside demo mode")
            raise WeChatCodeInvalid()

    async def code_to_session(self, code: str) -> Code2Session:
        """Exchange a ``wx.login`` code for openid, unionid and session_key (no access token)."""
        self._refuse_demo_code(code)
        params = {
            "appid": self.appid,
            "secret": self._secret,
            "js_code": code,
            "grant_type": "authorization_code",
        }
        payload = await self._json("GET", JSCODE2SESSION, params=params, idempotent=False)
        openid, session_key = payload.get("openid"), payload.get("session_key")
        if not isinstance(openid, str) or not openid or not isinstance(session_key, str):
            raise bad_reply(JSCODE2SESSION, "missing openid or session_key")
        unionid = payload.get("unionid")
        return Code2Session(
            openid=openid,
            unionid=unionid if isinstance(unionid, str) and unionid else None,
            session_key=session_key,
        )

    async def get_phone_number(self, code: str) -> PhoneInfo:
        """The phone number behind a ``getPhoneNumber`` button code."""
        self._refuse_demo_code(code)
        payload = await self._json_with_token(
            "POST", GET_PHONE_NUMBER, body={"code": code}, idempotent=False
        )
        info = payload.get("phone_info")
        if not isinstance(info, dict):
            raise bad_reply(GET_PHONE_NUMBER, "missing phone_info")
        watermark = info.get("watermark")
        if isinstance(watermark, dict) and watermark.get("appid") not in (None, self.appid):
            raise bad_reply(GET_PHONE_NUMBER, "watermark appid mismatch")
        phone = crypto.phone_info_from(info)
        if phone is None:
            raise bad_reply(GET_PHONE_NUMBER, "incomplete phone_info")
        return phone

    def decrypt_phone_number(self, session_key: str, encrypted_data: str, iv: str) -> PhoneInfo:
        """The legacy ``encryptedData``/``iv`` form of ``getPhoneNumber`` (offline)."""
        return crypto.decrypt_phone_number(session_key, encrypted_data, iv, appid=self.appid)

    async def msg_sec_check(
        self,
        content: str,
        *,
        openid: str,
        scene: SecCheckScene = SecCheckScene.FORUM,
        title: str | None = None,
    ) -> SecCheckResult:
        """Text safety check (version 2); ``errcode`` 0 only means the check ran: read ``suggest``.

        ``openid`` must belong to a user who opened the mini-program within the last two hours.
        """
        if not content.strip() and not (title and title.strip()):
            return SecCheckResult(suggest="pass", label=100, trace_id=None)
        body: dict[str, Any] = {
            "content": content,
            "version": 2,
            "scene": int(scene),
            "openid": openid,
        }
        if title:
            body["title"] = title
        payload = await self._json_with_token("POST", MSG_SEC_CHECK, body=body, idempotent=True)
        result = payload.get("result")
        suggest = result.get("suggest") if isinstance(result, dict) else None
        if not isinstance(result, dict) or suggest not in _SEC_SUGGESTIONS:
            raise bad_reply(MSG_SEC_CHECK, "missing result.suggest")
        label = result.get("label")
        trace_id = payload.get("trace_id")
        return SecCheckResult(
            suggest=suggest,
            label=label if isinstance(label, int) else 0,
            trace_id=trace_id if isinstance(trace_id, str) else None,
        )

    async def send_subscribe_message(
        self,
        openid: str,
        template_id: str,
        data: Mapping[str, str],
        page: str | None = None,
        state: MiniProgramState = "formal",
    ) -> None:
        """Send one subscribe message; ``data`` maps template keys (``thing1``) to values.

        A refused or used-up subscription answers 502 with WeChat's errcode (43101) in
        ``details`` and on the exception's ``errcode``.
        """
        body: dict[str, Any] = {
            "touser": openid,
            "template_id": template_id,
            "data": {key: {"value": value} for key, value in data.items()},
            "miniprogram_state": state,
            "lang": "zh_CN",
        }
        if page:
            body["page"] = page
        await self._json_with_token("POST", SUBSCRIBE_SEND, body=body, idempotent=False)

    async def get_wxacode_unlimited(
        self,
        scene: str,
        page: str | None = None,
        width: int = 430,
        env_version: EnvVersion | None = None,
        check_path: bool = True,
    ) -> bytes:
        """A mini-program code image (PNG/JPEG bytes) that opens ``page`` with ``scene``."""
        if not SCENE_PATTERN.match(scene):
            raise WeChatSceneInvalid(details={"scene": scene})
        body: dict[str, Any] = {
            "scene": scene,
            "width": max(280, min(1280, width)),
            "env_version": env_version or self._env_version,
            "check_path": check_path,
        }
        if page:
            body["page"] = page.lstrip("/")
        reply = await self._call_with_token("POST", WXACODE_UNLIMITED, body, idempotent=True)
        if reply.payload is None:
            return reply.content
        raise self._error(WXACODE_UNLIMITED, reply.payload, image_expected=True)

    # --- access token -------------------------------------------------------------------------

    async def fetch_stable_token(self, force_refresh: bool = False) -> TokenGrant:
        """Call ``stable_token`` directly (the token cache calls this; others use the cache)."""
        body = {
            "grant_type": "client_credential",
            "appid": self.appid,
            "secret": self._secret,
            "force_refresh": force_refresh,
        }
        payload = await self._json("POST", STABLE_TOKEN, json_body=body, idempotent=True)
        token, expires_in = payload.get("access_token"), payload.get("expires_in")
        if not isinstance(token, str) or not token or not isinstance(expires_in, int):
            raise bad_reply(STABLE_TOKEN, "missing access_token")
        return TokenGrant(access_token=token, expires_in=expires_in)

    async def access_token(self) -> str:
        """The shared access token (for calls this client does not wrap yet)."""
        return await self.token_cache.get(self.appid, self.fetch_stable_token)

    # --- plumbing -----------------------------------------------------------------------------

    async def _json_with_token(
        self, method: str, endpoint: str, *, body: dict[str, Any], idempotent: bool
    ) -> dict[str, Any]:
        reply = await self._call_with_token(method, endpoint, body, idempotent=idempotent)
        if reply.payload is None:
            raise bad_reply(endpoint, "unexpected binary answer")
        if reply.errcode != 0:
            raise self._error(endpoint, reply.payload)
        return reply.payload

    async def _call_with_token(
        self, method: str, endpoint: str, body: dict[str, Any], *, idempotent: bool
    ) -> _Reply:
        """Call with the cached token; on 40001/42001 force one refresh and call once more."""
        token = await self.access_token()
        reply = await self._send(method, endpoint, {"access_token": token}, body, idempotent)
        if reply.errcode in TOKEN_REJECTED_ERRCODES:
            log.warning("wechat rejected the access token", extra={"errcode": reply.errcode})
            token = await self.token_cache.get(self.appid, self.fetch_stable_token, rejected=token)
            reply = await self._send(method, endpoint, {"access_token": token}, body, idempotent)
        return reply

    async def _json(
        self,
        method: str,
        endpoint: str,
        *,
        params: dict[str, str] | None = None,
        json_body: dict[str, Any] | None = None,
        idempotent: bool,
    ) -> dict[str, Any]:
        reply = await self._send(method, endpoint, params, json_body, idempotent)
        if reply.payload is None:
            raise bad_reply(endpoint, "unexpected binary answer")
        if reply.errcode != 0:
            raise self._error(endpoint, reply.payload)
        return reply.payload

    async def _send(
        self,
        method: str,
        endpoint: str,
        params: dict[str, str] | None,
        body: dict[str, Any] | None,
        idempotent: bool,
    ) -> _Reply:
        """One logical call: up to ``retries`` repeats on transient failures."""
        url = f"{self.api_base}/{endpoint}"
        if params:
            # One URL string instead of httpx merging ``params`` into a parsed URL (two parses).
            url = f"{url}?{urlencode(params, quote_via=quote)}"
        content = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if content is not None else None
        for attempt in range(self._retries + 1):
            last = attempt == self._retries
            try:
                # The overall deadline also bounds transports without their own timeouts.
                async with asyncio.timeout(self._timeout):
                    response = await self._http.request(
                        method, url, content=content, headers=headers
                    )
            except (httpx.TransportError, TimeoutError) as exc:
                reason = type(exc).__name__
                if last or not (idempotent or isinstance(exc, _NOT_SENT)):
                    raise unavailable(endpoint, reason) from exc
                await self._pause(endpoint, attempt, reason)
                continue
            if response.status_code >= 500:
                if last:
                    raise unavailable(endpoint, f"http_{response.status_code}")
                await self._pause(endpoint, attempt, f"http_{response.status_code}")
                continue
            reply = _parse(endpoint, response)
            if reply.errcode == ERRCODE_SYSTEM_BUSY and not last:
                await self._pause(endpoint, attempt, "errcode_-1")
                continue
            return reply
        raise AssertionError("unreachable")  # pragma: no cover

    async def _pause(self, endpoint: str, attempt: int, reason: str) -> None:
        delay = self._backoff * (2**attempt) * random.uniform(0.5, 1.0)
        log.warning(
            "wechat call failed, retrying",
            extra={"endpoint": endpoint, "attempt": attempt + 1, "reason": reason},
        )
        await self._sleep(delay)

    @staticmethod
    def _error(
        endpoint: str, payload: dict[str, Any], *, image_expected: bool = False
    ) -> Exception:
        errcode = payload.get("errcode")
        if not isinstance(errcode, int) or errcode == 0:
            reason = "json instead of image" if image_expected else "malformed error"
            return bad_reply(endpoint, reason)
        errmsg = payload.get("errmsg")
        return error_for_errcode(errcode, str(errmsg or ""), endpoint=endpoint)


def _parse(endpoint: str, response: httpx.Response) -> _Reply:
    """JSON (whatever the content type says: jscode2session answers text/plain) or an image."""
    content_type = response.headers.get("content-type", "").lower()
    if content_type.startswith("image/"):
        return _Reply(payload=None, content=response.content, content_type=content_type)
    try:
        payload = json.loads(response.content)
    except (ValueError, RecursionError):
        raise bad_reply(endpoint, f"not json (http {response.status_code})") from None
    if not isinstance(payload, dict):
        raise bad_reply(endpoint, "json is not an object")
    return _Reply(payload=payload, content=response.content, content_type=content_type)
