"""Request and response bodies of service items and stations."""

from __future__ import annotations

import itertools
import uuid
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictFloat, field_validator, model_validator

from app.core.schemas import Body, Integer, ReadSchema
from app.service_desk.hours import Interval

StationKind = Literal["street_station", "market_station", "gig_station"]
ServiceCategory = Literal[
    "registration", "certification", "guidance", "policy", "training", "rights"
]
HHMM = Annotated[
    str,
    Field(
        pattern=r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$",
        description="北京时间的墙上时刻 HH:MM（无时区）；closes 可为 24:00，"
        "早于 opens 表示次日结束（跨夜）",
        examples=["08:30"],
    ),
]
Phone = Annotated[str, Field(pattern=r"^[0-9+\-() ]{5,30}$", examples=["0477-8521234"])]


class DayInterval(Body):
    opens: HHMM
    closes: HHMM

    @model_validator(mode="after")
    def _valid(self) -> DayInterval:
        Interval.parse(self.opens, self.closes)
        return self


class WeeklyInterval(DayInterval):
    weekday: Integer = Field(ge=1, le=7, description="1 = 周一 … 7 = 周日")


def _no_overlap(intervals: list[Interval]) -> None:
    ordered = sorted(intervals, key=lambda i: i.start)
    for a, b in itertools.pairwise(ordered):
        if b.start < a.end:
            raise ValueError("同一天的开放时段不能重叠")


def check_weekly(hours: list[WeeklyInterval]) -> list[WeeklyInterval]:
    for weekday in range(1, 8):
        _no_overlap([Interval.parse(h.opens, h.closes) for h in hours if h.weekday == weekday])
    return hours


class ServiceRef(ReadSchema):
    code: str
    name: str


class StationRef(ReadSchema):
    id: uuid.UUID
    name: str
    kind: StationKind
    area_code: str
    address: str
    phone: str | None


class ServiceItemListItem(ReadSchema):
    code: str = Field(examples=["unemployment-registration"])
    name: str = Field(examples=["失业登记"])
    category: ServiceCategory
    summary: str
    time_limit: str = Field(description="办理时限", examples=["即时办结"])
    time_limit_days: int = Field(description="办结工作日数，0 为即时办结")
    online: bool = Field(description="是否可在小程序内在线办理")
    station_kinds: list[StationKind] = Field(description="可线下办理的服务站类型")
    policy_code: str | None = Field(description="关联政策编码（GET /policies/{code}）")


class ServiceItemRead(ServiceItemListItem):
    conditions: list[str] = Field(description="办理条件")
    materials: list[str] = Field(description="所需材料")
    stations: list[StationRef] = Field(description="提供该服务的服务站")


class StationExceptionRead(ReadSchema):
    day: date
    closed: bool
    hours: list[DayInterval]
    reason: str


class StationListItem(ReadSchema):
    id: uuid.UUID
    name: str
    kind: StationKind
    area_code: str
    area_name: str | None = Field(description="镇/街道名称")
    address: str
    latitude: float
    longitude: float
    phone: str | None
    open_now: bool = Field(description="按北京时间此刻是否开放（已计入节假日调整）")
    today_hours: list[str] = Field(description="今日开放时段", examples=[["08:30-12:00"]])
    distance_km: float | None = Field(description="与传入位置的直线距离（公里）")
    walking_minutes: int | None = Field(description="估计步行分钟数")


class StationRead(StationListItem):
    description: str | None
    weekly_hours: list[WeeklyInterval]
    exceptions: list[StationExceptionRead] = Field(description="今日起 60 天内的日期调整")
    services: list[ServiceRef]


class StationCreate(Body):
    name: str = Field(min_length=2, max_length=60)
    kind: StationKind
    area_code: str = Field(
        min_length=2,
        max_length=20,
        description="镇/街道编码，如 jiaotong（交通街道）",
        examples=["jiaotong"],
    )
    address: str = Field(min_length=2, max_length=200)
    latitude: StrictFloat = Field(ge=-90, le=90)
    longitude: StrictFloat = Field(ge=-180, le=180)
    phone: Phone | None = None
    description: str | None = Field(default=None, max_length=2000)
    weekly_hours: list[WeeklyInterval] = Field(default_factory=list, max_length=28)
    service_codes: list[str] | None = Field(
        default=None,
        max_length=50,
        description="提供的服务事项编码；不传则按服务站类型默认",
    )

    @field_validator("weekly_hours")
    @classmethod
    def _weekly(cls, value: list[WeeklyInterval]) -> list[WeeklyInterval]:
        return check_weekly(value)


class StationUpdate(StationCreate):
    """The whole station (PUT replaces it): the fields of `StationCreate` plus `is_active`.

    Optional fields left out take their defaults (`phone` null, `weekly_hours` empty,
    `service_codes` the defaults of the station's kind).
    """

    is_active: StrictBool = True


class StationExceptionPut(Body):
    closed: StrictBool = Field(description="true 为全天闭站（如法定节假日）")
    hours: list[DayInterval] = Field(default_factory=list, max_length=4)
    reason: str = Field(min_length=1, max_length=60, examples=["国庆节闭站"])

    @model_validator(mode="after")
    def _hours_match_closed(self) -> StationExceptionPut:
        if self.closed and self.hours:
            raise ValueError("闭站日不能同时设置开放时段")
        if not self.closed and not self.hours:
            raise ValueError("特殊开放日须设置开放时段")
        _no_overlap([Interval.parse(h.opens, h.closes) for h in self.hours])
        return self


class AdminStationRead(StationRead):
    is_active: bool
