"""Request-body base of the services and events domains.

PostgreSQL text cannot hold NUL characters; a body carrying one is refused here with a 422
instead of failing in the database with a 500. PATCH bodies also refuse an explicit ``null`` for
fields whose column cannot be empty (leaving a field out is how a client keeps it).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, AwareDatetime, field_validator, model_validator

from app.core.schemas import Schema


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class Body(Schema):
    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if _has_nul(value):
            raise ValueError("文本中不能包含空字符")
        return value


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


# Business dates and times within a sane range (a year-9999 date would overflow on the way to
# Asia/Shanghai and answer 500 instead of 422).
BusinessDate = Annotated[date, AfterValidator(_sane_date)]
BusinessDateTime = Annotated[AwareDatetime, AfterValidator(_sane_datetime)]
