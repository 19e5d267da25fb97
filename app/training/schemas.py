"""Request and response bodies of training courses and enrolments."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import Field, StrictBool, model_validator

from app.core.schemas import Body, BusinessDate, Integer, ReadSchema
from app.events.schemas import TargetGroup

CourseStatus = Literal["open", "cancelled"]
EnrolmentStatus = Literal["enrolled", "cancelled", "completed", "failed"]


class CourseCreate(Body):
    title: str = Field(min_length=2, max_length=100, examples=["电工（初级）就业技能培训班"])
    provider: str = Field(min_length=2, max_length=100, examples=["东胜区某职业培训学校"])
    occupation_code: str = Field(min_length=1, max_length=20, description="职业编码（字典）")
    hours: Integer = Field(ge=1, le=2000, description="课时")
    seats: Integer = Field(ge=1, le=10_000, description="名额")
    starts_on: BusinessDate
    ends_on: BusinessDate
    online: StrictBool = False
    address: str | None = Field(default=None, max_length=200)
    area_code: str | None = Field(default=None, max_length=20)
    subsidised: StrictBool = Field(default=False, description="是否为政府补贴性培训")
    policy_code: str | None = Field(
        default=None,
        max_length=60,
        description="补贴依据的政策编码",
        examples=["training-employment-bonus"],
    )
    target_groups: list[TargetGroup] = Field(default_factory=list, max_length=9)
    description: str | None = Field(default=None, max_length=5000)

    @model_validator(mode="after")
    def _consistent(self) -> CourseCreate:
        if self.ends_on < self.starts_on:
            raise ValueError("结束日期不能早于开始日期")
        if not self.online and not self.address:
            raise ValueError("线下课程须填写地址")
        if self.subsidised and not self.policy_code:
            raise ValueError("补贴性培训须填写政策编码")
        return self


class CourseUpdate(Body):
    """The editable part of a course (PUT replaces it): optional fields left out become null;
    `status=cancelled` cancels the course."""

    status: CourseStatus
    title: str = Field(min_length=2, max_length=100)
    seats: Integer = Field(ge=1, le=10_000)
    starts_on: BusinessDate
    ends_on: BusinessDate
    address: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=5000)


class CourseListItem(ReadSchema):
    id: uuid.UUID
    title: str
    provider: str
    occupation_code: str
    occupation_name: str | None
    hours: int
    seats: int
    enrolled_count: int
    starts_on: date
    ends_on: date
    online: bool
    address: str | None
    area_code: str | None
    subsidised: bool
    policy_code: str | None
    target_groups: list[TargetGroup]
    status: CourseStatus


class CourseRead(CourseListItem):
    description: str | None


class EnrolmentRead(ReadSchema):
    id: uuid.UUID
    course_id: uuid.UUID
    course_title: str
    course_hours: int
    starts_on: date
    ends_on: date
    status: EnrolmentStatus
    attended_hours: int
    completed_on: date | None
    certificate_no: str | None
    created_at: datetime
    cancelled_at: datetime | None


class StaffEnrolmentRead(EnrolmentRead):
    user_id: uuid.UUID
    user_nickname: str | None


class AttendancePut(Body):
    hours: Integer = Field(ge=1, le=12, description="当天出勤课时")


class CompletionCreate(Body):
    passed: StrictBool = Field(description="是否结业合格")
    completed_on: BusinessDate | None = Field(
        default=None, description="结业日期，默认课程结束日期"
    )
    certificate_no: str | None = Field(default=None, max_length=60, description="结业证书编号")


class TraineeFacts(ReadSchema):
    """One trainee of a finished course, for the clause 17 training bonus."""

    person_key: str = Field(description="人员标识（身份证号的密钥哈希；未实名时为 user:<id>）")
    contract_signed_on: date | None = Field(description="结业后首次登记的入职日期")
    contract_months: int | None
    insured: bool | None = Field(description="是否参保（本系统未记录，为 null）")


class CourseFacts(ReadSchema):
    course_key: str
    hours: int
    ended_on: date
    trainees: list[TraineeFacts] = Field(description="结业合格的学员")
