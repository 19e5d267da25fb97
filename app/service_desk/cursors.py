"""Decoding cursors of this package's lists and checking their shape (tampering → 422)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from app.core.pagination import InvalidCursor, decode_cursor


def cursor_values(cursor: str, shape: tuple[type, ...]) -> list[Any]:
    """The decoded list, each part of the expected type (an int is accepted for a float)."""
    value = decode_cursor(cursor)
    if not isinstance(value, list) or len(value) != len(shape):
        raise InvalidCursor()
    for part, kind in zip(value, shape, strict=True):
        if isinstance(part, bool):
            raise InvalidCursor()
        if kind is float and isinstance(part, int):
            continue
        if not isinstance(part, kind) or (isinstance(part, str) and "\x00" in part):
            raise InvalidCursor()
    return value


def parse_dt(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidCursor() from None
    if parsed.tzinfo is None:
        raise InvalidCursor()
    return parsed


def parse_uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise InvalidCursor() from None


def time_id_cursor(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    """A cursor of [ISO timestamp, UUID], the usual keyset of time-ordered lists."""
    if not cursor:
        return None
    raw = cursor_values(cursor, (str, str))
    return parse_dt(raw[0]), parse_uuid(raw[1])
