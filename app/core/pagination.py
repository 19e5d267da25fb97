"""Cursor pagination on the wire: ``?cursor=&limit=`` → ``{"items": [...], "next_cursor": ...}``.

The cursor itself (what it holds, how it is checked) is ``app.core.keyset``.
"""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field

from app.core.errors import ValidationFailed

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """A page of a list; always carries `next_cursor` (null on the last page)."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="下一页的游标（作为 `cursor` 传入）；最后一页为 null"
    )


class InvalidCursor(ValidationFailed):
    code = "pagination.cursor_invalid"
    message = "分页游标无效，请从第一页重新加载"


CURSOR_PATTERN = r"^[A-Za-z0-9_-]+={0,2}$"  # base64url, what app.core.keyset produces
CursorParam = Annotated[
    str | None,
    Query(max_length=512, pattern=CURSOR_PATTERN, description="上一页返回的 next_cursor"),
]
LimitParam = Annotated[int, Query(ge=1, le=100, description="每页条数")]
