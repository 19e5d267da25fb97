"""Keyset cursors of the gig lists (opaque to clients, validated here)."""

from __future__ import annotations

import uuid
from datetime import datetime

from app.core.pagination import InvalidCursor, decode_cursor


def after_time(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    """A (timestamp, id) cursor."""
    if cursor is None:
        return None
    try:
        stamp, ident = decode_cursor(cursor)
        moment = datetime.fromisoformat(str(stamp))
        if moment.tzinfo is None:
            raise ValueError("naive timestamp")
        return moment, uuid.UUID(str(ident))
    except (TypeError, ValueError):
        raise InvalidCursor() from None


def search_after(
    cursor: str | None, *, by_distance: bool
) -> tuple[float, uuid.UUID] | tuple[datetime, uuid.UUID] | None:
    """A (distance, id) cursor when searching near a place, else (starts_at, id)."""
    if cursor is None:
        return None
    if not by_distance:
        return after_time(cursor)
    try:
        distance, ident = decode_cursor(cursor)
        if isinstance(distance, bool) or not isinstance(distance, int | float):
            raise ValueError("distance must be a number")
        return float(distance), uuid.UUID(str(ident))
    except (TypeError, ValueError):
        raise InvalidCursor() from None
