"""Request and response bodies of recruitment events, booths, registrations and live streams."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictFloat, model_validator

from app.core.schemas import Body, BusinessDateTime, Integer, ReadSchema
from app.taxonomy.display import AreaLabel, SalaryText

EventKind = Literal["fair", "special_fair", "campus_trip", "livestream"]
EventStatus = Literal["published", "cancelled"]
# The one list of target groups (面向人群) of events and training courses; the columns store
# these codes and only requests are checked against it.
TargetGroup = Literal[
    "general",
    "graduate",
    "youth",
    "long_term_unemployed",
    "hard_to_employ",
    "veteran",
    "disabled",
    "woman",
    "migrant_worker",
]
Platform = Literal["wechat_channels", "douyin", "kuaishou", "other"]
BoothStatus = Literal["pending", "confirmed", "rejected"]
RegistrationStatus = Literal["registered", "cancelled", "checked_in"]
HttpsUrl = Annotated[str, Field(max_length=500, pattern=r"^https://\S+$")]


def _general() -> list[TargetGroup]:
    return ["general"]


class _EventFields(Body):
    title: str = Field(min_length=2, max_length=100, examples=["2026 年冬季民营企业招聘月专场"])
    brand: str | None = Field(default=None, max_length=40, examples=["暖城·暖岗"])
    description: str | None = Field(default=None, max_length=5000)
    online: StrictBool = False
    venue: str | None = Field(default=None, max_length=100, examples=["东胜区人力资源市场"])
    address: str | None = Field(default=None, max_length=200)
    area_code: str | None = Field(default=None, max_length=20, examples=["jiaotong"])
    latitude: StrictFloat | None = Field(default=None, ge=-90, le=90)
    longitude: StrictFloat | None = Field(default=None, ge=-180, le=180)
    organiser: str = Field(min_length=2, max_length=100, examples=["东胜区人力资源和社会保障局"])
    target_groups: list[TargetGroup] = Field(default_factory=_general, max_length=9)
    host: str | None = Field(default=None, max_length=60, description="直播主持人")
    platform: Platform | None = Field(default=None, description="直播平台")
    channel_name: str | None = Field(default=None, max_length=60, description="直播间/视频号名称")
    channel_id: str | None = Field(
        default=None,
        max_length=100,
        description="视频号 ID（wx.openChannelsLive 的 finderUserName）",
    )
    live_url: HttpsUrl | None = None


class EventCreate(_EventFields):
    kind: EventKind = Field(
        description="fair 综合招聘会 / special_fair 小精专招聘会 / campus_trip 校园行 / "
        "livestream 直播带岗"
    )
    starts_at: BusinessDateTime
    ends_at: BusinessDateTime
    booth_limit: Integer = Field(default=0, ge=0, le=2000, description="展位上限（0 为不设展位）")
    registration_limit: Integer = Field(
        default=0, ge=0, le=100_000, description="求职者报名上限（0 为无需报名）"
    )

    @model_validator(mode="after")
    def _consistent(self) -> EventCreate:
        if self.ends_at <= self.starts_at:
            raise ValueError("结束时间须晚于开始时间")
        if not self.online and not self.address:
            raise ValueError("线下活动须填写地址")
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("经纬度须同时填写")
        if self.kind == "livestream" and (self.platform is None or not self.host):
            raise ValueError("直播带岗须填写直播平台和主持人")
        if self.kind == "livestream" and self.booth_limit:
            raise ValueError("直播带岗不设展位")
        return self


class EventUpdate(Body):
    """The editable part of an event (PUT replaces it): optional fields left out become null
    (limits 0); ``status=cancelled`` cancels the event."""

    status: EventStatus
    title: str = Field(min_length=2, max_length=100)
    description: str | None = Field(default=None, max_length=5000)
    starts_at: BusinessDateTime
    ends_at: BusinessDateTime
    venue: str | None = Field(default=None, max_length=100)
    address: str | None = Field(default=None, max_length=200)
    booth_limit: Integer = Field(default=0, ge=0, le=2000)
    registration_limit: Integer = Field(default=0, ge=0, le=100_000)
    host: str | None = Field(default=None, max_length=60)
    channel_name: str | None = Field(default=None, max_length=60)
    channel_id: str | None = Field(default=None, max_length=100)
    live_url: HttpsUrl | None = None


class EventListItem(ReadSchema, AreaLabel):
    id: uuid.UUID
    kind: EventKind
    status: EventStatus
    title: str
    brand: str | None
    starts_at: datetime
    ends_at: datetime
    online: bool
    venue: str | None
    address: str | None
    area_code: str | None
    organiser: str
    target_groups: list[TargetGroup]
    booth_limit: int
    booth_count: int = Field(description="已申请（待确认 + 已确认）的展位数")
    registration_limit: int
    registered_count: int
    host: str | None
    platform: Platform | None
    application_count: int = Field(description="直播带岗：通过本场直播投递的简历数")


class JobRef(ReadSchema):
    id: uuid.UUID
    title: str


class FeaturedJob(ReadSchema, AreaLabel, SalaryText):
    id: uuid.UUID
    title: str
    employer_id: uuid.UUID
    employer_name: str
    job_type: str
    salary_min_fen: int
    salary_max_fen: int
    salary_unit: str
    area_code: str


class PublicBooth(ReadSchema):
    employer_id: uuid.UUID
    employer_name: str
    booth_no: str | None
    jobs: list[JobRef]


class EventRead(EventListItem):
    description: str | None
    latitude: float | None
    longitude: float | None
    channel_name: str | None
    channel_id: str | None
    live_url: str | None
    featured_jobs: list[FeaturedJob] = Field(description="直播带岗的推介岗位")
    booths: list[PublicBooth] = Field(description="已确认的参会单位")


class BoothCreate(Body):
    employer_id: uuid.UUID = Field(description="以哪个单位的名义申请（须为该单位成员）")
    job_ids: list[uuid.UUID] = Field(min_length=1, max_length=20, description="携带的在招岗位")
    contact_name: str = Field(min_length=1, max_length=40)
    note: str | None = Field(default=None, max_length=200)


class BoothRead(ReadSchema):
    id: uuid.UUID
    event_id: uuid.UUID
    event_title: str
    employer_id: uuid.UUID
    employer_name: str
    status: BoothStatus
    booth_no: str | None
    contact_name: str
    note: str | None
    jobs: list[JobRef]
    decision_reason: str | None
    created_at: datetime
    decided_at: datetime | None


class BoothList(ReadSchema):
    items: list[BoothRead]


class BoothDecision(Body):
    decision: Literal["confirm", "reject"]
    booth_no: str | None = Field(default=None, max_length=20, examples=["A-12"])
    reason: str | None = Field(default=None, max_length=200)


class RegistrationRead(ReadSchema):
    id: uuid.UUID
    event_id: uuid.UUID
    event_title: str
    event_starts_at: datetime
    event_ends_at: datetime
    status: RegistrationStatus
    check_in_code: str | None = Field(
        description="入场签到码（生成二维码给工作人员扫描）；已签到或已取消时为 null"
    )
    check_in_expires_at: datetime
    created_at: datetime
    checked_in_at: datetime | None


class StaffRegistrationRead(ReadSchema):
    id: uuid.UUID
    user_id: uuid.UUID
    user_nickname: str | None
    status: RegistrationStatus
    created_at: datetime
    checked_in_at: datetime | None


class CheckInCreate(Body):
    token: str = Field(min_length=1, max_length=400, description="扫码得到的签到码原文")


class CheckInRead(ReadSchema):
    registration_id: uuid.UUID
    event_id: uuid.UUID
    user_id: uuid.UUID
    user_nickname: str | None
    checked_in_at: datetime


class FeaturedJobsPut(Body):
    job_ids: list[uuid.UUID] = Field(max_length=50, description="按展示顺序")


class LivestreamApplicationRead(ReadSchema):
    event_id: uuid.UUID
    job_id: uuid.UUID
    application_id: uuid.UUID
    application_status: str
    from_this_session: bool = Field(
        description="这份投递是否来自本场直播（此前已在别处投递过该岗位则为 false）"
    )
    applied_at: datetime
