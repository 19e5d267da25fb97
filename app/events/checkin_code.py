"""Check-in codes: a signed token the mini-program renders as a QR code, scanned at the door.

``E1.<payload>.<signature>`` where payload = base64url(registration id ‖ event id ‖ expiry as
8-byte big-endian Unix seconds) and signature = base64url(HMAC-SHA256(key, "E1." + payload)),
truncated to 16 bytes. About 80 characters: a small, quickly scanned QR code. The key is derived
from ``SECURITY_HASH_KEY`` with a purpose label, so rotating that key voids outstanding codes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

VERSION = "E1"
_SIGNATURE_BYTES = 16
_PAYLOAD = struct.Struct(">16s16sQ")


class MalformedCode(Exception):
    """Not a code this service signed (forged, altered, truncated or another key)."""


@dataclass(frozen=True)
class CheckInClaims:
    registration_id: uuid.UUID
    event_id: uuid.UUID
    expires_at: datetime


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise MalformedCode() from None


@dataclass(frozen=True)
class CheckInCodec:
    key: bytes

    @classmethod
    def from_secret(cls, secret: str) -> CheckInCodec:
        derived = hmac.new(secret.encode(), b"event-check-in-code/v1", hashlib.sha256).digest()
        return cls(derived)

    def _sign(self, signed_part: str) -> bytes:
        mac = hmac.new(self.key, signed_part.encode(), hashlib.sha256).digest()
        return mac[:_SIGNATURE_BYTES]

    def issue(self, registration_id: uuid.UUID, event_id: uuid.UUID, expires_at: datetime) -> str:
        payload = _PAYLOAD.pack(registration_id.bytes, event_id.bytes, int(expires_at.timestamp()))
        signed_part = f"{VERSION}.{_b64(payload)}"
        return f"{signed_part}.{_b64(self._sign(signed_part))}"

    def verify(self, token: str) -> CheckInClaims:
        """The claims of a genuine code; MalformedCode otherwise (expiry is the caller's rule)."""
        parts = token.strip().split(".")
        if len(parts) != 3 or parts[0] != VERSION:
            raise MalformedCode()
        signed_part = f"{parts[0]}.{parts[1]}"
        if not hmac.compare_digest(self._sign(signed_part), _unb64(parts[2])):
            raise MalformedCode()
        payload = _unb64(parts[1])
        if len(payload) != _PAYLOAD.size:
            raise MalformedCode()
        registration, event, expires = _PAYLOAD.unpack(payload)
        return CheckInClaims(
            registration_id=uuid.UUID(bytes=registration),
            event_id=uuid.UUID(bytes=event),
            expires_at=datetime.fromtimestamp(expires, UTC),
        )
