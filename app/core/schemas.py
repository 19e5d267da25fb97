"""Schemas shared by every domain: the base models, request-body bases and the error envelope.

Text in requests is checked once, for every operation, by the route class (see
:mod:`app.core.text`). No operation uses PATCH (``wx.request`` cannot send it): an edit is a PUT
of the whole resource, a state change a POST action.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Annotated, Any, ClassVar, Self, get_args

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


BEIJING = timezone(timedelta(hours=8))
"""The one offset of every datetime the API answers with (Beijing time, no daylight saving)."""


class ReadSchema(BaseModel):
    """Base of response schemas (read from ORM objects); every field is always in the answer.

    Every datetime of a response is an instant with an explicit offset, always ``+08:00``
    (``2026-12-03T20:00:00+08:00``), whatever zone it was computed in; request bodies accept
    any offset. Every response model derives from this class (a test checks it).
    """

    model_config = ConfigDict(
        from_attributes=True, json_schema_serialization_defaults_required=True
    )

    # The fields that may hold a datetime, found once per class: one check per instance instead
    # of a validator call per field (a search page validates hundreds of fields).
    _datetime_fields: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls._datetime_fields = tuple(
            name for name, field in cls.model_fields.items() if _may_hold_datetime(field.annotation)
        )

    @model_validator(mode="after")
    def _in_beijing_time(self) -> Self:
        values = self.__dict__
        for name in self._datetime_fields:
            value = values[name]
            if isinstance(value, datetime) and value.tzinfo is not None:
                values[name] = value.astimezone(BEIJING)
        return self


def _may_hold_datetime(annotation: Any) -> bool:
    if annotation is datetime or annotation is Any:
        return True
    return any(_may_hold_datetime(argument) for argument in get_args(annotation))


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
