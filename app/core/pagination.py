"""Cursor pagination: ``?cursor=&limit=`` → ``{"items": [...], "next_cursor": ...}``.

A cursor is the sort key of the last item seen, base64url-encoded JSON; it is opaque to clients.
Keyset pagination keeps the order stable while new rows arrive (no duplicates, no gaps).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field

from app.core.errors import ValidationFailed
from app.core.text import text_errors

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(default=None, description="pass as `cursor` for the next page")


class InvalidCursor(ValidationFailed):
    code = "pagination.cursor_invalid"
    message = "分页游标无效，请从第一页重新加载"


def encode_cursor(values: list[Any] | dict[str, Any]) -> str:
    raw = json.dumps(values, separators=(",", ":"), ensure_ascii=False, default=str)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> Any:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise InvalidCursor() from None
    if text_errors(value, ()):  # a forged cursor must not smuggle a NUL into a query
        raise InvalidCursor()
    return value


CURSOR_PATTERN = r"^[A-Za-z0-9_-]+={0,2}$"  # base64url, what encode_cursor produces
CursorParam = Annotated[
    str | None,
    Query(max_length=512, pattern=CURSOR_PATTERN, description="上一页返回的 next_cursor"),
]
LimitParam = Annotated[int, Query(ge=1, le=100, description="每页条数")]
