"""Schemas shared by every domain: the base models, request-body bases and the error envelope.

Text in requests is checked once, for every operation, by the route class (see
:mod:`app.core.text`). PATCH bodies refuse an explicit ``null`` for fields whose column cannot be
empty (leaving a field out is how a client keeps it).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    model_validator,
)


class Schema(BaseModel):
    """Base of request/response schemas: unknown fields are refused, so nothing is mass-assigned."""

    model_config = ConfigDict(
        extra="forbid",
        from_attributes=True,
        populate_by_name=True,
        json_schema_serialization_defaults_required=True,
    )


class Body(Schema):
    """Base of request bodies."""


class PatchBody(Body):
    """A partial update: fields in ``required_when_sent`` may be left out but not set to null."""

    required_when_sent: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="after")
    def _no_null_for_required(self) -> PatchBody:
        nulls = [
            name
            for name in self.required_when_sent
            if name in self.model_fields_set and getattr(self, name) is None
        ]
        if nulls:
            raise ValueError(f"以下字段不能为空：{', '.join(nulls)}")
        return self


_FIRST_DAY, _LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def _sane_date(value: date) -> date:
    if not _FIRST_DAY <= value <= _LAST_DAY:
        raise ValueError("日期须在 2000-01-01 至 2099-12-31 之间")
    return value


def _sane_datetime(value: datetime) -> datetime:
    _sane_date(value.date())
    return value


def not_a_number(value: Any) -> Any:
    """JSON has no date type: a date arrives as ISO text, never as a number (0 is not 1970)."""
    if isinstance(value, int | float):  # bool included
        raise ValueError("应为日期文本，如 2026-01-05 或 2026-01-05T09:00:00+08:00")
    return value


def _integral_float(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


# An integer of a request body: JSON's 434.0 is one (as JSON Schema says), `true` and "434" are not.
Integer = Annotated[int, BeforeValidator(_integral_float), Strict()]

# Dates and times of request bodies: ISO text only (pydantic's python mode would read a number
# as a Unix timestamp).
IsoDate = Annotated[date, BeforeValidator(not_a_number)]
# Business dates and times within a sane range (a year-9999 date would overflow on the way to
# Asia/Shanghai and answer 500 instead of 422).
BusinessDate = Annotated[date, BeforeValidator(not_a_number), AfterValidator(_sane_date)]
BusinessDateTime = Annotated[
    AwareDatetime, BeforeValidator(not_a_number), AfterValidator(_sane_datetime)
]


class ReadSchema(BaseModel):
    """Base of response schemas (read from ORM objects); every field is always in the answer."""

    model_config = ConfigDict(
        from_attributes=True, json_schema_serialization_defaults_required=True
    )


class ErrorEnvelope(BaseModel):
    """Every error answer of the API has this shape."""

    code: str = Field(description="stable machine code, e.g. `job.closed`", examples=["not_found"])
    message: str = Field(description="Chinese message the mini-program can show as is")
    details: Any = Field(default=None, description="structured details (field errors, limits…)")
    request_id: str | None = Field(default=None, description="echo of the X-Request-ID header")


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": ErrorEnvelope, "description": "请求错误（统一错误格式）"},
    "5XX": {"model": ErrorEnvelope, "description": "服务端错误（统一错误格式）"},
}
