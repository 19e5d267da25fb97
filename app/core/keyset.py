"""Keyset pagination: one cursor rule for every list, and pages cut from ``limit + 1`` rows.

A list ordered by a sort key (``(created_at, id)`` for most; ``(distance, id)``,
``(score, id)``, ``(starts_on, id)`` …) continues after the key of the last item shown, so the
order stays stable while rows arrive (no duplicates, no gaps). The cursor is that key as a JSON
list, one entry per part in order, base64url-encoded without padding; clients treat it as opaque.

The one rule for reading a cursor back — anything else is ``InvalidCursor`` (422
``pagination.cursor_invalid``: "reload from the first page"):

* the list has exactly the parts of the list's key, each of its kind;
* a timestamp is ISO 8601 **with a UTC offset**. A naive timestamp is refused, never guessed
  to be UTC or Beijing time: every cursor we write carries the offset, so a naive one was
  made by hand;
* a date is ``YYYY-MM-DD``; an id is a UUID; a number is a finite JSON number (not a
  boolean); text holds no NUL character; a tag (the sort a cursor belongs to) is that string;
* no cursor, or an empty one, is the first page.

Writing a cursor follows the same rule: a naive timestamp there is a bug (``ValueError``).

A list fetches ``limit + 1`` rows; ``Keyset.cut`` and ``Keyset.page`` keep ``limit`` of them
and, when the extra row exists, write the cursor of the last row kept.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar, cast, overload

from app.core.pagination import InvalidCursor, Page
from app.core.text import forbidden_character

V = TypeVar("V")
K = TypeVar("K", bound=tuple[Any, ...])
R = TypeVar("R")
T = TypeVar("T")
A = TypeVar("A")
B = TypeVar("B")
C = TypeVar("C")
D = TypeVar("D")


@dataclass(frozen=True, slots=True)
class Part(Generic[V]):
    """One part of a sort key: how it is written into a cursor and read back.

    ``load`` raises ``ValueError`` or ``TypeError`` for a value that breaks the rule.
    """

    name: str
    dump: Callable[[V], Any]
    load: Callable[[object], V]


def _text(raw: object) -> str:
    if not isinstance(raw, str):
        raise TypeError("not a string")
    if forbidden_character(raw) is not None:  # a forged cursor must not smuggle a NUL into SQL
        raise ValueError("a forbidden character in cursor text")
    return raw


def _dump_timestamp(value: datetime) -> str:
    if value.utcoffset() is None:
        raise ValueError("a cursor timestamp must carry its UTC offset")
    return value.isoformat()


def _load_timestamp(raw: object) -> datetime:
    value = datetime.fromisoformat(_text(raw))
    if value.utcoffset() is None:
        raise ValueError("naive timestamp")
    return value


def _load_number(raw: object) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise TypeError("not a number")
    value = float(raw)
    if not math.isfinite(value):
        raise ValueError("not a finite number")
    return value


def _load_integer(raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise TypeError("not an integer")
    return raw


TIMESTAMP: Part[datetime] = Part("timestamp", _dump_timestamp, _load_timestamp)
DATE: Part[date] = Part("date", date.isoformat, lambda raw: date.fromisoformat(_text(raw)))
ID: Part[uuid.UUID] = Part("id", str, lambda raw: uuid.UUID(_text(raw)))
NUMBER: Part[float] = Part("number", float, _load_number)
INTEGER: Part[int] = Part("integer", int, _load_integer)
TEXT: Part[str] = Part("text", str, _text)


def tag(name: str) -> Part[str]:
    """A constant part naming what the cursor belongs to (a search's sort, say)."""

    def load(raw: object) -> str:
        if raw != name:
            raise ValueError("a cursor of another list")
        return name

    return Part(f"tag:{name}", str, load)


def _to_text(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _from_text(cursor: str) -> Any:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        raise InvalidCursor() from None


class Keyset(Generic[K]):
    """The cursor of a list sorted by a key of these parts (build one with ``keyset``)."""

    def __init__(self, parts: tuple[Part[Any], ...]) -> None:
        self.parts = parts

    def encode(self, key: K) -> str:
        if len(key) != len(self.parts):
            raise ValueError(f"a key of {len(self.parts)} parts expected, got {len(key)}")
        return _to_text([part.dump(value) for part, value in zip(self.parts, key, strict=True)])

    def decode(self, cursor: str | None) -> K | None:
        """The key a cursor continues after; ``None`` for the first page."""
        if not cursor:
            return None
        raw = _from_text(cursor)
        if not isinstance(raw, list) or len(raw) != len(self.parts):
            raise InvalidCursor()
        try:
            return cast(K, tuple(part.load(v) for part, v in zip(self.parts, raw, strict=True)))
        except (TypeError, ValueError, OverflowError):
            raise InvalidCursor() from None

    def cut(
        self, rows: Sequence[R], limit: int, key: Callable[[R], K]
    ) -> tuple[list[R], str | None]:
        """The first ``limit`` of ``limit + 1`` fetched rows, and the next page's cursor (if the
        extra row says there is a next page)."""
        shown = list(rows[:limit])
        if len(rows) <= limit or not shown:
            return shown, None
        return shown, self.encode(key(shown[-1]))

    def page(
        self, rows: Sequence[R], limit: int, key: Callable[[R], K], item: Callable[[R], T]
    ) -> Page[T]:
        """A page of ``item(row)`` from ``limit + 1`` fetched rows."""
        shown, next_cursor = self.cut(rows, limit, key)
        return Page[T](items=[item(row) for row in shown], next_cursor=next_cursor)


@overload
def keyset(a: Part[A], b: Part[B], /) -> Keyset[tuple[A, B]]: ...
@overload
def keyset(a: Part[A], b: Part[B], c: Part[C], /) -> Keyset[tuple[A, B, C]]: ...
@overload
def keyset(a: Part[A], b: Part[B], c: Part[C], d: Part[D], /) -> Keyset[tuple[A, B, C, D]]: ...
def keyset(*parts: Part[Any]) -> Keyset[Any]:
    """The cursor of a key of these parts, e.g. ``keyset(TIMESTAMP, ID)``."""
    return Keyset(parts)


TIME_ID = keyset(TIMESTAMP, ID)
"""``(timestamp, id)``: the key of most lists (newest or oldest first)."""

DATE_ID = keyset(DATE, ID)
"""``(date, id)``: lists ordered by a business date (a course's first day, an internship's)."""


def created_key(row: Any) -> tuple[datetime, uuid.UUID]:
    """``(row.created_at, row.id)``: the key of lists in creation order."""
    return row.created_at, row.id
