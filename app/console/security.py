"""Console sessions and CSRF tokens: a signed cookie with an idle expiry, no server-side rows.

The session cookie holds ``staff_id.nonce.started.seen`` and an HMAC-SHA256 over it (under a key
derived from ``SECURITY_HASH_KEY``, never used raw). A request is admitted while ``seen`` is less
than ``IDLE`` old and ``started`` less than ``ABSOLUTE`` old; every admitted request older than
``REFRESH`` slides ``seen`` forward (a new cookie). The staff row is read on every request, so a
deactivated account or a removed role takes effect at once. Logging out clears the cookie; a copy
of it taken before would live until its idle expiry — the price of keeping no rows (documented
in docs/console.md).

CSRF: every form carries ``HMAC(key, "csrf:" + nonce)`` where ``nonce`` is the session's nonce
(or, before login, the nonce of a short pre-login cookie). The cookie is SameSite=Strict too; the
token is the second line of defence.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from app.core.config import Settings

SESSION_COOKIE = "ds_console"
PRE_LOGIN_COOKIE = "ds_console_pre"
IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=12)
REFRESH = timedelta(minutes=1)
_KEY_LABEL = b"dongsheng-jobs/console-session/v1"


@dataclass(frozen=True)
class ConsoleSession:
    staff_id: uuid.UUID
    nonce: str
    started: int  # Unix seconds
    seen: int


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass(frozen=True)
class SessionCodec:
    key: bytes
    secure: bool  # the Secure cookie flag (production)

    @classmethod
    def from_settings(cls, settings: Settings) -> SessionCodec:
        secret = settings.security.hash_key.get_secret_value().encode()
        return cls(
            key=hmac.new(secret, _KEY_LABEL, hashlib.sha256).digest(),
            secure=settings.environment == "production",
        )

    def _mac(self, message: str) -> str:
        return _b64(hmac.new(self.key, message.encode(), hashlib.sha256).digest()[:24])

    def start(self, staff_id: uuid.UUID, now: datetime) -> ConsoleSession:
        at = int(now.timestamp())
        return ConsoleSession(staff_id=staff_id, nonce=new_nonce(), started=at, seen=at)

    def encode(self, session: ConsoleSession) -> str:
        body = f"{session.staff_id}.{session.nonce}.{session.started}.{session.seen}"
        return f"{body}.{self._mac('session:' + body)}"

    def decode(self, token: str | None, now: datetime) -> ConsoleSession | None:
        """The session of a cookie that is genuine and neither idle nor too old, else None."""
        if not token or len(token) > 300:
            return None
        body, _, mac = token.rpartition(".")
        if not hmac.compare_digest(mac, self._mac("session:" + body)):
            return None
        try:
            staff, nonce, started, seen = body.split(".")
            session = ConsoleSession(uuid.UUID(staff), nonce, int(started), int(seen))
        except ValueError:
            return None
        at = now.timestamp()
        if (
            at - session.seen > IDLE.total_seconds()
            or at - session.started > ABSOLUTE.total_seconds()
        ):
            return None
        return session

    def touched(self, session: ConsoleSession, now: datetime) -> ConsoleSession | None:
        """A session with ``seen`` moved to now, or None when it is fresh enough already."""
        at = int(now.timestamp())
        if at - session.seen < REFRESH.total_seconds():
            return None
        return replace(session, seen=at)

    def csrf_token(self, nonce: str) -> str:
        return self._mac("csrf:" + nonce)

    def csrf_valid(self, nonce: str | None, presented: str | None) -> bool:
        if not nonce or not presented:
            return False
        return hmac.compare_digest(self.csrf_token(nonce), presented)
