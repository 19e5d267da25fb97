"""Check-in codes: genuine codes verify; altered, truncated or foreign-key codes do not."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime

import pytest

from app.events.checkin_code import CheckInCodec, MalformedCode

CODEC = CheckInCodec.from_secret("test-secret")
EXPIRES = datetime(2026, 12, 5, 4, 0, tzinfo=UTC)


def test_a_genuine_code_round_trips_and_stays_short() -> None:
    registration, event = uuid.uuid4(), uuid.uuid4()
    token = CODEC.issue(registration, event, EXPIRES)
    claims = CODEC.verify(token)
    assert (claims.registration_id, claims.event_id, claims.expires_at) == (
        registration,
        event,
        EXPIRES,
    )
    assert len(token) < 100


def _flip(text: str, index: int) -> str:
    swapped = "A" if text[index] != "A" else "B"
    return text[:index] + swapped + text[index + 1 :]


def test_altered_codes_are_refused() -> None:
    token = CODEC.issue(uuid.uuid4(), uuid.uuid4(), EXPIRES)
    version, payload, signature = token.split(".")
    # Another registration id under the original signature.
    raw = bytearray(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    raw[0] ^= 1
    swapped = base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")
    forgeries = [
        f"{version}.{swapped}.{signature}",
        f"{version}.{payload}.{_flip(signature, 3)}",
        f"E2.{payload}.{signature}",
        f"{version}.{payload}",
        "not-a-code",
        "",
        f"{version}.{payload}.!!!",
        CheckInCodec.from_secret("another-key").issue(uuid.uuid4(), uuid.uuid4(), EXPIRES),
    ]
    for forged in forgeries:
        with pytest.raises(MalformedCode):
            CODEC.verify(forged)
