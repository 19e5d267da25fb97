"""Job request and response bodies (the lean list item lives in search_schemas)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StrictBool, computed_field

from app.core.file_links import file_url
from app.core.schemas import Integer, IsoDate, ReadSchema, Schema
from app.employers.schemas import EmployerSummary, Latitude, Longitude
from app.jobs.models import MAX_JOB_PHOTOS
from app.taxonomy.display import AreaLabel, IndustryLabel, JobLabels, SalaryText

JobType = Literal["full_time", "part_time", "internship"]
SalaryUnit = Literal["month", "day", "hour"]
JobStatus = Literal["pending_review", "published", "rejected", "closed"]
Education = Literal[
    "none", "junior_middle", "senior_high", "associate", "bachelor", "master", "doctorate"
]
Fen = Annotated[Integer, Field(ge=0, le=100_000_000, description="金额（分）")]
PhotoFileIds = Annotated[
    list[uuid.UUID],
    Field(
        max_length=MAX_JOB_PHOTOS,
        description="岗位照片（最多 6 张，按顺序展示）：以 purpose=job_photo 上传的本人图片 id",
    ),
]
BenefitCodes = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=40)]],
    Field(max_length=20, description="福利标签代码（福利目录），如 social_insurance_fund=五险一金"),
]


class _JobFields(Schema):
    title: str = Field(min_length=2, max_length=60, examples=["快递员"])
    description: str = Field(min_length=10, max_length=5000)
    occupation_code: str = Field(min_length=1, max_length=40, description="职业目录代码")
    industry_code: str | None = Field(
        default=None, max_length=40, description="行业目录代码；不填则用单位的行业"
    )
    job_type: JobType = Field(description="full_time 全职 · part_time 兼职 · internship 实习")
    internship_months: Integer | None = Field(default=None, ge=1, le=24, description="实习期（月）")
    internship_allowance_fen: Fen | None = Field(default=None, description="每月实习补贴（分）")
    salary_min_fen: Fen
    salary_max_fen: Fen
    salary_unit: SalaryUnit = Field(description="month 月薪 · day 日薪 · hour 时薪")
    headcount: Integer = Field(ge=1, le=10_000, description="招聘人数")
    education: Education = Field(description="最低学历（none = 不限）")
    experience_years: Integer = Field(
        default=0, ge=0, le=50, description="工作经验（年），0 = 不限"
    )
    area_code: str = Field(min_length=1, max_length=20, description="工作地点所在镇街代码")
    address: str = Field(min_length=2, max_length=200)
    latitude: Latitude
    longitude: Longitude
    benefits: BenefitCodes = Field(default_factory=list)
    open_to_graduates: StrictBool = Field(default=False, description="接受应届毕业生")
    valid_until: IsoDate = Field(description="有效期至（北京时间，含当天）；过期后自动下架")


class JobCreate(_JobFields):
    employer_id: uuid.UUID = Field(description="发布单位（须为已认证单位，且本人为成员）")
    photo_file_ids: PhotoFileIds = Field(default_factory=list)


class JobUpdate(_JobFields):
    """The whole posting (PUT replaces it): send every field, as `GET /jobs/{id}` shows them.

    A field with a default that is left out takes its default. A changed title or description
    is moderated again.
    """

    photo_file_ids: PhotoFileIds = Field(
        default_factory=list,
        description="岗位照片的完整列表（最多 6 张）；已在本岗位上的照片可以保留，"
        "新增的须为本人以 purpose=job_photo 上传的图片；[] 或不填删除全部",
    )


class ModerationFinding(ReadSchema):
    rule: str = Field(description="规则代码，如 discrimination.sex")
    severity: Literal["refuse", "review"]
    message: str = Field(description="给发布者看的中文说明")
    excerpt: str | None = Field(default=None, description="命中的原文片段")
    field: str | None = Field(default=None, description="title / description / pay")


class ModerationRead(ReadSchema):
    """Why the posting is (not) public; shown to the employer's members and staff only."""

    outcome: Literal["published", "pending_review", "rejected"]
    findings: list[ModerationFinding] = Field(default_factory=list)
    wechat_suggest: Literal["pass", "review", "risky"] | None = None
    staff_reason: str | None = Field(default=None, description="审核员驳回或通过时填写的原因")
    checked_at: datetime | None = None


class JobRead(ReadSchema, JobLabels, IndustryLabel):
    id: uuid.UUID
    employer_id: uuid.UUID
    employer: EmployerSummary
    status: JobStatus
    is_expired: bool = Field(description="已过有效期（过期岗位不再出现在搜索中，也不能投递）")
    can_apply: bool = Field(description="已发布且未过期")
    title: str
    description: str
    occupation_code: str
    occupation_category: str
    industry_code: str
    job_type: JobType
    internship_months: int | None
    internship_allowance_fen: int | None
    salary_min_fen: int
    salary_max_fen: int
    salary_unit: SalaryUnit
    monthly_salary_min_fen: int = Field(description="折算月薪下限（日薪×21.75，时薪×174）")
    monthly_salary_max_fen: int
    headcount: int
    education: Education
    experience_years: int
    area_code: str
    address: str
    latitude: float
    longitude: float
    benefits: list[str]
    open_to_graduates: bool
    valid_until: date
    published_at: datetime | None
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    moderation: ModerationRead | None = Field(
        description="审核信息（仅本单位成员与工作人员可见，其他人为 null）"
    )
    photo_file_ids: list[uuid.UUID] = Field(description="岗位照片文件 id（按顺序）")

    @computed_field(  # type: ignore[prop-decorator]
        description="岗位照片签名链接（与 photo_file_ids 同序，约 1 小时有效）"
    )
    @property
    def photo_urls(self) -> list[str]:
        return [str(file_url(file_id)) for file_id in self.photo_file_ids]

    @computed_field(  # type: ignore[prop-decorator]
        description="岗位照片缩略图签名链接（同序，长边不超过 256 像素）"
    )
    @property
    def photo_thumbnail_urls(self) -> list[str]:
        return [str(file_url(file_id, "thumb")) for file_id in self.photo_file_ids]


class ModerationDecision(Schema):
    decision: Literal["approve", "reject"]
    reason: str | None = Field(default=None, max_length=500, description="驳回时必填，发布者可见")


class JobReviewItem(ReadSchema):
    """A posting waiting for staff, with the reasons it is held."""

    id: uuid.UUID
    employer_id: uuid.UUID
    employer_name: str
    title: str
    description: str
    occupation_code: str
    salary_min_fen: int
    salary_max_fen: int
    salary_unit: SalaryUnit
    created_at: datetime
    moderation: ModerationRead


def moderation_read(raw: dict[str, Any]) -> ModerationRead | None:
    return ModerationRead.model_validate(raw) if raw else None


class FavouriteRead(ReadSchema, AreaLabel, SalaryText):
    job_id: uuid.UUID
    title: str
    employer_name: str
    status: JobStatus
    available: bool = Field(description="仍在招（已发布且未过期）")
    valid_until: date
    salary_min_fen: int
    salary_max_fen: int
    salary_unit: SalaryUnit
    area_code: str
    favourited_at: datetime


ReportReason = Literal["fake_job", "discrimination", "wage_arrears", "other"]


class ReportCreate(Schema):
    reason: ReportReason = Field(
        description="fake_job 虚假招聘 · discrimination 就业歧视 · wage_arrears 拖欠工资"
        " · other 其他"
    )
    text: str = Field(default="", max_length=500, description="补充说明")


class ReportRead(ReadSchema):
    id: uuid.UUID
    job_id: uuid.UUID
    reason: ReportReason
    text: str
    status: Literal["open", "upheld", "dismissed"]
    created_at: datetime
    handled_at: datetime | None
    resolution: str | None


class ReportAdminRead(ReportRead):
    reporter_id: uuid.UUID
    job_title: str
    employer_id: uuid.UUID
    employer_name: str
    handled_by: uuid.UUID | None


class ReportDecision(Schema):
    decision: Literal["uphold", "dismiss"] = Field(
        description="uphold 属实（可同时下架岗位）· dismiss 不属实"
    )
    resolution: str = Field(min_length=1, max_length=500, description="处理说明")
    close_job: StrictBool = Field(default=False, description="属实时同时下架该岗位")
