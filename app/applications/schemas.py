"""Request and response bodies of job applications, their history and employment events."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Literal, Self

from pydantic import BaseModel, Field, StrictBool, model_validator

from app.applications.pipeline import Actor, ApplicationStatus
from app.applications.resume_schemas import ResumeSnapshot
from app.core.clock import today as business_today
from app.core.schemas import BusinessDateTime, Integer, IsoDate, ReadSchema, Schema
from app.taxonomy.display import AreaLabel, SalaryText

ContractType = Literal["fixed_term", "open_ended", "part_time", "internship"]
SalaryUnit = Literal["month", "day", "hour"]


class JobSummary(ReadSchema, AreaLabel, SalaryText):
    id: uuid.UUID
    title: str
    employer_id: uuid.UUID
    employer_name: str
    salary_min_fen: int
    salary_max_fen: int
    salary_unit: SalaryUnit
    area_code: str
    valid_until: date
    is_open: bool = Field(description="岗位当前是否仍在招聘（已发布且未过期）")


class ApplicationRead(ReadSchema):
    id: uuid.UUID
    job_id: uuid.UUID
    status: ApplicationStatus
    created_at: datetime = Field(description="投递时间")
    status_changed_at: datetime


class MyApplicationItem(ApplicationRead):
    job: JobSummary


class ApplicantContact(BaseModel):
    user_id: uuid.UUID
    name: str | None = Field(description="实名姓名（未实名时为昵称）；不可见时打码")
    phone: str | None = Field(description="手机号；仅在求职者投递且允许联系时完整显示，否则打码")
    contact_visible: bool = Field(
        description="true：求职者已向本单位投递（未撤回）且允许电话联系，姓名与手机号完整显示"
    )


class EmployerApplicationItem(ApplicationRead):
    applicant: ApplicantContact
    resume: ResumeSnapshot


class StatusChangeRead(ReadSchema):
    id: uuid.UUID
    actor_user_id: uuid.UUID | None
    actor_role: Actor = Field(description="applicant：求职者本人；employer：招聘方成员")
    from_status: ApplicationStatus | None = Field(description="投递时为空")
    to_status: ApplicationStatus
    note: str | None
    created_at: datetime


class EmploymentRead(ReadSchema):
    id: uuid.UUID
    start_date: date
    contract_type: ContractType
    contract_months: int | None
    is_first_contract: bool | None


class ApplicationDetail(ApplicationRead):
    """One application as its applicant or a member of its employer sees it."""

    viewer_role: Actor
    job: JobSummary
    resume: ResumeSnapshot = Field(description="投递时的简历快照")
    applicant: ApplicantContact | None = Field(description="仅招聘方可见")
    history: list[StatusChangeRead]
    employment: EmploymentRead | None = Field(description="录用后的入职信息")


class EmploymentDetails(Schema):
    """Required when the status becomes ``hired``: it is recorded as an employment event."""

    start_date: IsoDate = Field(description="入职日期", examples=["2026-12-01"])
    contract_type: ContractType = Field(
        description=(
            "fixed_term 固定期限 / open_ended 无固定期限 / part_time 非全日制 / internship 实习"
        )
    )
    contract_months: Integer | None = Field(
        default=None, ge=1, le=120, description="合同期限（月），固定期限合同必填"
    )
    is_first_contract: StrictBool | None = Field(
        default=None, description="是否首次签订劳动合同（不清楚可不填）"
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.contract_type == "fixed_term" and self.contract_months is None:
            raise ValueError("固定期限合同请填写合同期限（月）")
        if self.contract_type == "open_ended" and self.contract_months is not None:
            raise ValueError("无固定期限合同不填写合同期限")
        today = business_today()
        if not today - timedelta(days=366) <= self.start_date <= today + timedelta(days=366):
            raise ValueError("入职日期应在前后一年之内")
        return self


class StatusUpdate(Schema):
    status: ApplicationStatus = Field(
        description="viewed / interview / offered / hired / rejected（只能前进；撤回仅限本人）",
        examples=["interview"],
    )
    note: str | None = Field(default=None, max_length=500, description="备注，双方可见")
    employment: EmploymentDetails | None = Field(
        default=None, description="status 为 hired 时必填；其他状态不可填"
    )
    interview_at: BusinessDateTime | None = Field(
        default=None,
        description="面试时间（仅 status 为 interview 时可填），写入给求职者的通知",
        examples=["2026-12-05T09:30:00+08:00"],
    )
    interview_place: str | None = Field(
        default=None,
        max_length=100,
        description="面试地点（仅 status 为 interview 时可填），写入给求职者的通知",
        examples=["东胜区示例路 1 号 3 楼"],
    )

    @model_validator(mode="after")
    def _employment_with_hire(self) -> Self:
        if self.status == "hired" and self.employment is None:
            raise ValueError("录用时请填写入职信息（employment）")
        if self.status != "hired" and self.employment is not None:
            raise ValueError("只有录用（hired）时才填写入职信息")
        interview = self.interview_at is not None or self.interview_place is not None
        if interview and self.status != "interview":
            raise ValueError("只有进入面试（interview）时才填写面试时间和地点")
        return self


class WithdrawRequest(Schema):
    note: str | None = Field(default=None, max_length=500, description="撤回原因，可不填")


class EmploymentEventRead(ReadSchema):
    id: uuid.UUID
    employer_id: uuid.UUID
    employer_name: str
    job_id: uuid.UUID
    job_title: str
    application_id: uuid.UUID
    start_date: date
    contract_type: ContractType
    contract_months: int | None
    is_first_contract: bool | None
    created_at: datetime
