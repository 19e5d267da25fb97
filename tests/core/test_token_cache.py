"""Verified access tokens are kept by their text; the time rules still apply on every use."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from app.core.security import InvalidToken, TokenService

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_a_kept_token_expires_on_time() -> None:
    tokens = TokenService(secret="s" * 32, ttl=timedelta(minutes=30))
    subject = uuid.uuid4()
    token = tokens.issue(subject, "user", ("job_seeker",), NOW)
    first = tokens.decode(token, NOW)
    assert tokens.decode(token, NOW + timedelta(minutes=29)) is first  # from the kept ones
    with pytest.raises(InvalidToken):
        tokens.decode(token, NOW + timedelta(minutes=30))
    with pytest.raises(InvalidToken):
        tokens.decode(token, NOW - timedelta(minutes=1))  # issued after that moment


def test_only_genuine_tokens_are_kept() -> None:
    tokens = TokenService(secret="s" * 32, ttl=timedelta(minutes=30))
    other = TokenService(secret="t" * 32, ttl=timedelta(minutes=30))
    forged = other.issue(uuid.uuid4(), "staff", ("admin",), NOW)
    for _ in range(2):
        with pytest.raises(InvalidToken):
            tokens.decode(forged, NOW)
    genuine = tokens.issue(uuid.uuid4(), "user", (), NOW)
    tampered = genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB")
    tokens.decode(genuine, NOW)
    with pytest.raises(InvalidToken):
        tokens.decode(tampered, NOW)
