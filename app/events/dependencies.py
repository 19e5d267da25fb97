"""Dependencies of the events domain: the check-in code signer."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.core.config import Settings
from app.events.checkin_code import CheckInCodec


def get_checkin_codec(request: Request) -> CheckInCodec:
    """Signs and verifies check-in codes with a key derived from ``SECURITY_HASH_KEY``."""
    settings: Settings = request.app.state.settings
    return CheckInCodec.from_secret(settings.security.hash_key.get_secret_value())


CodecDep = Annotated[CheckInCodec, Depends(get_checkin_codec)]
