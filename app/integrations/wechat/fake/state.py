"""The fake WeChat server's memory: codes, tokens, injected failures, call counts, sent messages.

One ``FakeWeChatState`` backs one fake server; tests reach it directly (``mint_jscode``) or over
HTTP (``POST /_fake/jscode``). Time comes from an injectable clock so expiry can be tested.
"""

from __future__ import annotations

import base64
import re
import secrets
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.core.config import (  # re-exported: the fake's fixed credentials
    DEMO_APPID as DEMO_APPID,
)
from app.core.config import (
    DEMO_ENCODING_AES_KEY as DEMO_ENCODING_AES_KEY,
)
from app.core.config import (
    DEMO_PUSH_TOKEN as DEMO_PUSH_TOKEN,
)
from app.core.config import (
    DEMO_SECRET as DEMO_SECRET,
)
from app.integrations.wechat.crypto import encrypt_wxa_payload

# Fixed credentials of demo mode and of the standalone fake (not secrets: nothing real uses them).

CODE_TTL_SECONDS = 300
TOKEN_TTL_SECONDS = 7200
# stable_token (normal mode) hands out a new token in the last 5 minutes of the old one's life.
TOKEN_RENEW_WINDOW_SECONDS = 300

DEFAULT_RISKY_WORDS = {"赌博": 20006, "诈骗": 20008, "刷单": 20008}
DEFAULT_REVIEW_WORDS = {"加微信": 10001}

# In demo mode a newcomer can log in from /docs with the code "demo:<openid>" (reusable).
_DEMO_CODE = re.compile(r"^demo:([A-Za-z0-9_-]{1,64})$")

Clock = Callable[[], float]


@dataclass
class Injection:
    """A failure or delay for the next ``times`` calls of one endpoint (-1: until reset)."""

    errcode: int | None = None
    times: int = 1
    latency_ms: int = 0
    http_status: int | None = None


@dataclass
class _Code:
    kind: str  # "jscode" | "phonecode"
    data: dict[str, str]
    issued_at: float
    used: bool = False


@dataclass
class _Token:
    value: str
    expires_at: float
    revoked: bool = False


@dataclass
class FakeWeChatState:
    appid: str = DEMO_APPID
    secret: str = DEMO_SECRET
    clock: Clock = time.time
    code_ttl_seconds: int = CODE_TTL_SECONDS
    token_ttl_seconds: int = TOKEN_TTL_SECONDS
    risky_words: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_RISKY_WORDS))
    review_words: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_REVIEW_WORDS))
    demo_codes: bool = False
    # Added to every WeChat API call (not the /_fake controls), like a real network round trip.
    latency_ms: int = 0

    calls: Counter[str] = field(default_factory=Counter)
    forced_refreshes: int = 0
    sent_messages: list[dict[str, Any]] = field(default_factory=list)
    session_keys: dict[str, str] = field(default_factory=dict)  # openid -> latest session_key
    _codes: dict[str, _Code] = field(default_factory=dict)
    _tokens: dict[str, _Token] = field(default_factory=dict)
    _current_token: str | None = None
    _injections: dict[str, list[Injection]] = field(default_factory=dict)

    # --- helpers for tests and demo -------------------------------------------------------

    def mint_jscode(self, openid: str, unionid: str | None = None) -> str:
        """A ``wx.login`` code for ``openid``: single use, valid for 5 minutes."""
        data = {"openid": openid}
        if unionid:
            data["unionid"] = unionid
        return self._mint("jscode", data)

    def mint_phonecode(self, phone: str, country_code: str = "86") -> str:
        """A ``getPhoneNumber`` code for ``phone`` (digits without country code)."""
        return self._mint("phonecode", {"phone": phone, "country_code": country_code})

    def legacy_phone_payload(self, openid: str, phone: str) -> tuple[str, str]:
        """``(encryptedData, iv)`` as the legacy getPhoneNumber gives them, for ``openid``'s
        latest session_key (log in first)."""
        session_key = self.session_keys[openid]
        info = _phone_info(self.appid, phone, "86", int(self.clock()))
        return encrypt_wxa_payload(session_key, info)

    def inject(
        self,
        endpoint: str,
        *,
        errcode: int | None = None,
        times: int = 1,
        latency_ms: int = 0,
        http_status: int | None = None,
    ) -> None:
        self._injections.setdefault(endpoint, []).append(
            Injection(errcode=errcode, times=times, latency_ms=latency_ms, http_status=http_status)
        )

    def revoke_tokens(self) -> None:
        """Invalidate every access token handed out (WeChat answers 40001 from now on)."""
        for token in self._tokens.values():
            token.revoked = True
        self._current_token = None

    def reset(self) -> None:
        """Forget codes, tokens, injections, counters and sent messages."""
        self.calls.clear()
        self.forced_refreshes = 0
        self.sent_messages.clear()
        self.session_keys.clear()
        self._codes.clear()
        self._tokens.clear()
        self._current_token = None
        self._injections.clear()

    # --- used by the server -----------------------------------------------------------------

    def record_call(self, endpoint: str) -> Injection | None:
        """Count the call and take the injection that applies to it, if any."""
        self.calls[endpoint] += 1
        queue = self._injections.get(endpoint)
        if not queue:
            return None
        injection = queue[0]
        if injection.times > 0:
            injection.times -= 1
            if injection.times == 0:
                queue.pop(0)
        return injection

    def redeem(self, kind: str, code: str) -> tuple[int, dict[str, str]]:
        """``(errcode, data)``: 0 and the minted data, 40163 if used, 40029 if unknown/expired."""
        demo = _DEMO_CODE.match(code) if self.demo_codes else None
        if demo:
            key = "openid" if kind == "jscode" else "phone"
            return 0, {key: demo.group(1), "country_code": "86"}
        entry = self._codes.get(code)
        if entry is None or entry.kind != kind:
            return 40029, {}
        if entry.used:
            return 40163, {}
        if self.clock() - entry.issued_at > self.code_ttl_seconds:
            return 40029, {}
        entry.used = True
        return 0, entry.data

    def new_session_key(self, openid: str) -> str:
        key = base64.b64encode(secrets.token_bytes(16)).decode()
        self.session_keys[openid] = key
        return key

    def stable_token(self, force_refresh: bool) -> tuple[str, int]:
        now = self.clock()
        current = self._tokens.get(self._current_token or "")
        if force_refresh:
            self.forced_refreshes += 1
        if force_refresh and current is not None:
            current.revoked = True
        elif current is not None and current.expires_at - now > TOKEN_RENEW_WINDOW_SECONDS:
            return current.value, int(current.expires_at - now)
        value = "fake-at-" + secrets.token_urlsafe(24)
        self._tokens[value] = _Token(value=value, expires_at=now + self.token_ttl_seconds)
        self._current_token = value
        return value, self.token_ttl_seconds

    def check_token(self, value: str | None) -> int:
        """0 for a valid token; 41001 missing, 40001 unknown or revoked, 42001 expired."""
        if not value:
            return 41001
        token = self._tokens.get(value)
        if token is None or token.revoked:
            return 40001
        if self.clock() >= token.expires_at:
            return 42001
        return 0

    def sec_verdict(self, text: str) -> tuple[str, int]:
        for word, label in self.risky_words.items():
            if word in text:
                return "risky", label
        for word, label in self.review_words.items():
            if word in text:
                return "review", label
        return "pass", 100

    def _mint(self, kind: str, data: dict[str, str]) -> str:
        code = secrets.token_hex(16)
        self._codes[code] = _Code(kind=kind, data=data, issued_at=self.clock())
        return code


def _phone_info(appid: str, phone: str, country_code: str, timestamp: int) -> dict[str, Any]:
    full = phone if country_code == "86" else f"+{country_code}{phone}"
    return {
        "phoneNumber": full,
        "purePhoneNumber": phone,
        "countryCode": country_code,
        "watermark": {"timestamp": timestamp, "appid": appid},
    }


def phone_info(state: FakeWeChatState, data: dict[str, str]) -> dict[str, Any]:
    return _phone_info(state.appid, data["phone"], data["country_code"], int(state.clock()))
