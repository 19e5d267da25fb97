"""Request and response bodies of gig profiles, gig postings and matches."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import (
    BaseModel,
    Field,
    StrictBool,
    StrictFloat,
    field_validator,
    model_validator,
)

from app.core.schemas import Integer, IsoDate, ReadSchema, Schema
from app.gigs.schedule import HHMM_PATTERN, parse_hhmm
from app.taxonomy.display import AreaLabel, GigPayText

SkillLevelCode = Literal["junior", "intermediate", "senior"]
PayUnitCode = Literal["hour", "day", "piece"]
Settlement = Literal["same_day", "on_completion"]
GigStatus = Literal[
    "pending_review", "rejected", "open", "full", "in_progress", "completed", "cancelled"
]
CODE_PATTERN = r"^[a-z][a-z0-9_]*$"
PHONE_PATTERN = r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$"


def _unique(values: list[str], what: str) -> list[str]:
    if len(set(values)) != len(values):
        raise ValueError(f"duplicate {what}")
    return values


class WorkerSkillIn(Schema):
    code: str = Field(max_length=32, pattern=CODE_PATTERN, examples=["welding"])
    level: SkillLevelCode = Field(default="junior", description="初级 junior / 中级 / 高级 senior")
    certificates: list[str] = Field(
        default_factory=list,
        max_length=5,
        description="持有的证书代码（须是该技能在技能目录中列出的证书），如 `welding` 焊工证",
    )


class AvailabilityWindow(Schema):
    weekday: Integer = Field(ge=1, le=7, description="1 = 周一 … 7 = 周日")
    start: str = Field(pattern=HHMM_PATTERN, examples=["08:00"])
    end: str = Field(pattern=HHMM_PATTERN, examples=["18:00"], description="可为 24:00")

    @model_validator(mode="after")
    def _ordered(self) -> AvailabilityWindow:
        if parse_hhmm(self.end) <= parse_hhmm(self.start):
            raise ValueError("end must be after start")
        return self


class GigProfileUpdate(Schema):
    """The whole profile, replaced on every PUT."""

    skills: list[WorkerSkillIn] = Field(min_length=1, max_length=20)
    availability: list[AvailabilityWindow] = Field(min_length=1, max_length=50)
    dates_off: list[IsoDate] = Field(default_factory=list, max_length=100, description="请假日期")
    home_lat: StrictFloat = Field(ge=-90, le=90)
    home_lng: StrictFloat = Field(ge=-180, le=180)
    area_code: str | None = Field(default=None, max_length=12, pattern=CODE_PATTERN)
    travel_radius_km: StrictFloat = Field(gt=0, le=50, description="愿意去多远干活（公里）")
    expected_pay_fen: Integer | None = Field(default=None, ge=1, le=10_000_000)
    expected_pay_unit: PayUnitCode | None = None
    accepts_same_day: StrictBool = Field(default=True, description="是否接受当天的零工")

    @model_validator(mode="after")
    def _checks(self) -> GigProfileUpdate:
        _unique([s.code for s in self.skills], "skill")
        if (self.expected_pay_fen is None) != (self.expected_pay_unit is None):
            raise ValueError("expected_pay_fen and expected_pay_unit go together")
        return self


class SkillCertificateRead(BaseModel):
    code: str
    name: str


class WorkerSkillRead(BaseModel):
    code: str
    name: str
    level: SkillLevelCode
    level_name: str
    certificates: list[SkillCertificateRead]


class TrackRead(BaseModel):
    """A party's record: completion rate and the ratings received."""

    completed_count: int
    cancelled_count: int
    late_cancelled_count: int
    completion_rate: float | None = Field(description="完成率 0–1；无记录为 null")
    rating_count: int
    rating_average: float | None = Field(description="平均评分（1–5）；无评分为 null")


class GigProfileRead(ReadSchema):
    id: uuid.UUID
    skills: list[WorkerSkillRead]
    availability: list[AvailabilityWindow]
    dates_off: list[date]
    home_lat: float
    home_lng: float
    area_code: str | None
    travel_radius_km: float
    expected_pay_fen: int | None
    expected_pay_unit: PayUnitCode | None
    accepts_same_day: bool
    stats: TrackRead
    updated_at: datetime


class SkillRequirementIn(Schema):
    skill: str = Field(max_length=32, pattern=CODE_PATTERN, examples=["welding"])
    min_level: SkillLevelCode | None = Field(default=None, description="最低等级，不填为不限")
    certificate_required: StrictBool = Field(
        default=False, description="须持证；法定持证的技能（如电工、电焊）总是须持证"
    )


class GigCreate(Schema):
    title: str = Field(min_length=2, max_length=60, examples=["周六仓库装卸工 5 名"])
    description: str = Field(min_length=10, max_length=2000)
    employer_id: uuid.UUID | None = Field(
        default=None, description="以已认证单位的名义发布时填写；个人发布需实名认证"
    )
    required_skills: list[SkillRequirementIn] = Field(default_factory=list, max_length=5)
    dates: list[IsoDate] = Field(
        min_length=1, max_length=14, description="用工日期（东胜本地日期）"
    )
    start_time: str = Field(
        pattern=HHMM_PATTERN, examples=["08:00"], description="北京时间的墙上时刻 HH:MM（无时区）"
    )
    end_time: str = Field(
        pattern=HHMM_PATTERN,
        examples=["17:00"],
        description="北京时间的墙上时刻 HH:MM（无时区）；早于开始时间表示次日收工（夜班）",
    )
    latitude: StrictFloat = Field(ge=-90, le=90)
    longitude: StrictFloat = Field(ge=-180, le=180)
    area_code: str | None = Field(default=None, max_length=12, pattern=CODE_PATTERN)
    address: str = Field(min_length=2, max_length=200)
    headcount: Integer = Field(ge=1, le=500)
    pay_fen: Integer = Field(ge=1, le=10_000_000, description="报酬（分）")
    pay_unit: PayUnitCode
    settlement: Settlement = Field(description="same_day 日结 / on_completion 完工结")
    contact_name: str = Field(min_length=1, max_length=40)
    contact_phone: str = Field(pattern=PHONE_PATTERN, examples=["13800000000"])

    @field_validator("dates")
    @classmethod
    def _distinct_dates(cls, value: list[date]) -> list[date]:
        if len(set(value)) != len(value):
            raise ValueError("duplicate date")
        return sorted(value)

    @model_validator(mode="after")
    def _checks(self) -> GigCreate:
        _unique([s.skill for s in self.required_skills], "skill")
        if self.start_time == "24:00" or self.end_time == self.start_time:
            raise ValueError("start_time and end_time must differ; start before 24:00")
        return self


class GigCancel(Schema):
    reason: str = Field(min_length=2, max_length=200)


class SkillRequirementRead(BaseModel):
    skill: str
    name: str
    min_level: SkillLevelCode | None
    certificate_required: bool
    certificates: list[SkillCertificateRead] = Field(description="该技能认可的证书")


class OccurrenceRead(ReadSchema):
    local_date: date
    starts_at: datetime
    ends_at: datetime


class GigListItem(ReadSchema, AreaLabel, GigPayText):
    id: uuid.UUID
    status: GigStatus
    title: str
    required_skills: list[SkillRequirementRead]
    dates: list[date]
    start_time: str = Field(description="每个用工日的开工时刻，北京时间墙上时刻 HH:MM（无时区）")
    end_time: str = Field(description="收工时刻，北京时间墙上时刻 HH:MM；早于开工表示次日收工")
    starts_at: datetime
    ends_at: datetime
    area_code: str | None
    address: str
    latitude: float
    longitude: float
    headcount: int
    booked_count: int
    pay_fen: int
    pay_unit: PayUnitCode
    pay_text: str = Field(
        examples=["300元/天"], deprecated=True, description="同 salary_text（保留兼容）"
    )
    settlement: Settlement
    employer_id: uuid.UUID | None
    distance_km: float | None = Field(description="与传入位置的距离（公里）")
    created_at: datetime


class GigAdminItem(GigListItem):
    poster_id: uuid.UUID
    description: str
    moderation: dict[str, Any]


class GigRead(GigListItem):
    description: str
    occurrences: list[OccurrenceRead]
    contact_name: str
    contact_phone: str = Field(description="报名、受邀或预约后可见完整号码，之前为掩码")
    contact_revealed: bool
    poster: TrackRead
    is_mine: bool
    my_application_status: str | None
    moderation_notes: list[str] = Field(description="仅发布者可见：审核提示")
    cancel_reason: str | None


class WorkerApplicationBrief(BaseModel):
    id: uuid.UUID
    origin: Literal["worker", "poster"]
    status: str


class WorkerMatch(BaseModel):
    worker_id: uuid.UUID
    name: str = Field(description="报名或接受邀请前为掩码（如 张*）")
    phone: str | None = Field(description="报名或接受邀请前为掩码（如 138****5678）")
    contact_revealed: bool
    score: float = Field(description="0–100，见 docs/gig-matching.md")
    components: dict[str, float]
    reasons: list[str]
    reason_text: str = Field(examples=["持焊工证；距离 2.3 公里；周六全天有空；完成率 96%"])
    distance_km: float
    skills: list[WorkerSkillRead]
    application: WorkerApplicationBrief | None


class GigMatch(BaseModel):
    gig: GigListItem
    score: float
    components: dict[str, float]
    reasons: list[str]
    reason_text: str
