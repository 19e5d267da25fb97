"""Message push (消息推送): verify, open and keep the events WeChat pushes to the service.

Kept: subscribe-message events (the user accepted, rejected or was sent a subscribe message) and
media-check results. Anything else is acknowledged and logged, so WeChat does not retry it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

import xmltodict  # type: ignore[import-untyped]
from sqlalchemy.ext.asyncio import AsyncSession

from app.integrations.wechat import repository
from app.integrations.wechat.crypto import PushCrypto
from app.integrations.wechat.errors import PushMalformed, PushSignatureInvalid

log = logging.getLogger(__name__)

ACCEPTED_EVENTS = frozenset(
    {
        "subscribe_msg_popup_event",
        "subscribe_msg_change_event",
        "subscribe_msg_sent_event",
        "wxa_media_check",
    }
)
_MAX_OPENID = 128


@dataclass(frozen=True, slots=True)
class PushQuery:
    """The query string WeChat appends to every push."""

    signature: str
    timestamp: str
    nonce: str
    encrypt_type: str | None = None
    msg_signature: str | None = None


@dataclass(frozen=True, slots=True)
class PushEvent:
    event_type: str
    openid: str | None
    payload: dict[str, Any]
    dedup_key: str


def parse_message(raw: bytes) -> dict[str, Any]:
    """A push body, JSON or XML (``<xml>...</xml>``), as a dict; anything else is malformed."""
    try:
        text = raw.decode("utf-8").strip()
        if text.startswith("{"):
            message = json.loads(text)
        elif text.startswith("<"):
            message = xmltodict.parse(text).get("xml")
        else:
            raise PushMalformed(details={"reason": "neither json nor xml"})
        # JSONB refuses NUL characters and lone surrogates: find out now, not at commit.
        json.dumps(message, ensure_ascii=False).encode("utf-8")
    except PushMalformed:
        raise
    except Exception:  # expat, JSON, entity and encoding errors alike
        raise PushMalformed(details={"reason": "unparseable"}) from None
    if not isinstance(message, dict):
        raise PushMalformed(details={"reason": "not an object"})
    if _has_nul(message):
        raise PushMalformed(details={"reason": "NUL character"})
    return message


def _has_nul(value: Any) -> bool:
    """JSONB cannot hold U+0000; a push carrying one is refused instead of failing at insert."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def open_push(crypto: PushCrypto, query: PushQuery, body: bytes) -> dict[str, Any]:
    """Check the signatures and return the (decrypted) message."""
    crypto.check_signature(query.signature, query.timestamp, query.nonce)
    envelope = parse_message(body)
    encrypt = envelope.get("Encrypt")
    if query.encrypt_type == "aes" or encrypt is not None:
        if not isinstance(encrypt, str) or not encrypt:
            raise PushMalformed(details={"reason": "missing Encrypt"})
        if not query.msg_signature:
            raise PushSignatureInvalid()
        plaintext = crypto.decrypt(encrypt, query.msg_signature, query.timestamp, query.nonce)
        return parse_message(plaintext.encode("utf-8"))
    if crypto.secure:
        raise PushMalformed(details={"reason": "plaintext push refused in secure mode"})
    return envelope


def classify(message: dict[str, Any]) -> PushEvent | None:
    """The event to keep, or None for events this service does not handle."""
    event_type = message.get("Event")
    if message.get("MsgType") != "event" or event_type not in ACCEPTED_EVENTS:
        return None
    openid = message.get("FromUserName")
    if not isinstance(openid, str) or not openid or len(openid) > _MAX_OPENID:
        openid = None
    canonical = json.dumps(message, ensure_ascii=False, sort_keys=True)
    return PushEvent(
        event_type=str(event_type),
        openid=openid,
        payload=message,
        dedup_key=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
    )


async def receive_push(
    session: AsyncSession, crypto: PushCrypto, query: PushQuery, body: bytes
) -> PushEvent | None:
    """Verify and store one push; returns the stored event (None when ignored)."""
    message = open_push(crypto, query, body)
    event = classify(message)
    if event is None:
        log.info(
            "wechat push ignored",
            extra={"msg_type": str(message.get("MsgType")), "event": str(message.get("Event"))},
        )
        return None
    stored = await repository.insert_push_event(session, event)
    if not stored:
        log.info("wechat push re-delivered", extra={"event": event.event_type})
    return event
