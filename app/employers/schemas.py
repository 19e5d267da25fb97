"""Employer request and response bodies."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StrictFloat, computed_field

from app.core.file_links import file_url
from app.core.schemas import Integer, ReadSchema, Schema
from app.taxonomy.display import AreaLabel, IndustryLabel

EmployerKind = Literal[
    "enterprise", "hr_agency", "individual_business", "public_institution", "state_owned"
]
SizeClass = Literal["micro", "small", "medium", "large"]
EmployerStatus = Literal["pending", "verified", "rejected"]
MemberRole = Literal["owner", "recruiter"]

Latitude = Annotated[StrictFloat, Field(ge=3.0, le=54.0, description="纬度（WGS-84/GCJ-02 均可）")]
Longitude = Annotated[StrictFloat, Field(ge=73.0, le=136.0, description="经度")]
Phone = Annotated[
    str,
    Field(
        pattern=r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$",
        description="手机号或座机（如 0477-8581234）",
        examples=["13800000000"],
    ),
]


class EmployerCreate(Schema):
    name: str = Field(min_length=2, max_length=100, examples=["鄂尔多斯市示例物流有限公司"])
    credit_code: str = Field(
        min_length=1,
        max_length=30,
        description="统一社会信用代码（GB 32100，18 位，末位为校验码）",
        examples=["91150602MA0N000008"],
        # Documented shape; the server normalises first, then checks it with precise messages.
        json_schema_extra={"pattern": r"^[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{10}$"},
    )
    kind: EmployerKind = Field(
        description="enterprise 企业 · hr_agency 人力资源服务机构 · individual_business 个体工商户"
        " · public_institution 事业单位 · state_owned 国有企业"
    )
    size_class: SizeClass = Field(description="micro 微型 · small 小型 · medium 中型 · large 大型")
    industry_code: str = Field(min_length=1, max_length=20, description="行业目录代码")
    area_code: str = Field(min_length=1, max_length=12, description="所在镇街区划代码")
    address: str = Field(min_length=2, max_length=200)
    latitude: Latitude
    longitude: Longitude
    contact_name: str = Field(min_length=1, max_length=40)
    contact_phone: Phone
    description: str | None = Field(default=None, max_length=2000)
    licence_file_id: uuid.UUID | None = Field(
        default=None, description="营业执照文件 id（POST /api/v1/files 上传后返回）"
    )
    logo_file_id: uuid.UUID | None = Field(
        default=None, description="单位标志：以 purpose=employer_logo 上传的本人图片 id"
    )


class LogoUpdate(Schema):
    logo_file_id: uuid.UUID | None = Field(
        description="以 purpose=employer_logo 上传的本人图片 id；null 清除标志"
    )


class EmployerSummary(ReadSchema, IndustryLabel, AreaLabel):
    """What anyone may see of a verified employer (also embedded in job details)."""

    id: uuid.UUID
    name: str
    kind: EmployerKind
    size_class: SizeClass
    is_sme: bool = Field(description="中小微企业（micro/small/medium）")
    industry_code: str
    area_code: str
    address: str
    latitude: float
    longitude: float
    description: str | None
    is_verified: bool = Field(description="已通过人社部门认证（认证徽章）")
    logo_file_id: uuid.UUID | None = Field(default=None, description="单位标志文件 id")

    @computed_field(  # type: ignore[prop-decorator]
        description="单位标志签名链接（约 1 小时有效，可直接用作 `<image src>`）；无标志为 null"
    )
    @property
    def logo_url(self) -> str | None:
        return file_url(self.logo_file_id)

    @computed_field(  # type: ignore[prop-decorator]
        description="单位标志缩略图签名链接（长边不超过 256 像素）"
    )
    @property
    def logo_thumbnail_url(self) -> str | None:
        return file_url(self.logo_file_id, "thumb")


class EmployerPrivate(ReadSchema):
    """Shown to the employer's own members only."""

    credit_code: str
    status: EmployerStatus
    review_reason: str | None = Field(description="驳回原因（如有）")
    reviewed_at: datetime | None
    contact_name: str
    contact_phone: str
    licence_file_id: uuid.UUID | None
    created_at: datetime

    @computed_field(  # type: ignore[prop-decorator]
        description="营业执照签名链接（约 1 小时有效）；未上传为 null"
    )
    @property
    def licence_url(self) -> str | None:
        return file_url(self.licence_file_id)


class EmployerRead(EmployerSummary):
    my_role: MemberRole | None = Field(description="当前用户在该单位的角色；非成员为 null")
    private: EmployerPrivate | None = Field(description="仅单位成员可见；非成员为 null")


class MyEmployer(ReadSchema):
    employer: EmployerSummary
    status: EmployerStatus
    role: MemberRole
    joined_at: datetime


class InvitationCreate(Schema):
    expires_in_hours: Integer = Field(default=72, ge=1, le=24 * 30, description="有效期（小时）")


InvitationStatus = Literal["active", "accepted", "expired", "revoked"]


class InvitationRead(ReadSchema):
    id: uuid.UUID
    employer_id: uuid.UUID
    code: str = Field(description="一次性邀请码；被邀请人调用 accept 接口或扫码进入")
    status: InvitationStatus = Field(
        description="active 可用 · accepted 已被使用 · expired 已过期 · revoked 已作废"
    )
    created_at: datetime
    expires_at: datetime
    accepted_by: uuid.UUID | None = Field(description="使用该邀请码加入的用户 id")
    accepted_by_nickname: str | None = Field(description="使用者的微信昵称")
    accepted_at: datetime | None


class MemberRead(ReadSchema):
    employer_id: uuid.UUID
    user_id: uuid.UUID
    nickname: str | None
    role: MemberRole
    joined_at: datetime


class EmployerAdminRead(EmployerSummary):
    """The staff view: everything, for checking against the licence."""

    credit_code: str
    status: EmployerStatus
    contact_name: str
    contact_phone: str
    licence_file_id: uuid.UUID | None
    created_by: uuid.UUID

    @computed_field(  # type: ignore[prop-decorator]
        description="营业执照签名链接（约 1 小时有效）；未上传为 null"
    )
    @property
    def licence_url(self) -> str | None:
        return file_url(self.licence_file_id)

    created_at: datetime
    reviewed_by: uuid.UUID | None
    reviewed_at: datetime | None
    review_reason: str | None


class VerificationDecision(Schema):
    decision: Literal["approve", "reject"]
    reason: str | None = Field(
        default=None, max_length=500, description="驳回时必填，会展示给用人单位"
    )
