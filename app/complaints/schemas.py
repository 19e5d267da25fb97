"""Request and response bodies of complaints."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from app.core.schemas import Integer, ReadSchema, Schema

ComplaintKind = Literal["wage_arrears", "fake_recruitment", "discrimination", "unsafe_work"]
SubjectKind = Literal["gig_booking", "job", "employer"]
ComplaintStatus = Literal["received", "handling", "resolved", "transferred"]


class ComplaintCreate(Schema):
    kind: ComplaintKind = Field(
        description="wage_arrears 欠薪 / fake_recruitment 虚假招聘 / discrimination 就业歧视 / "
        "unsafe_work 不安全作业"
    )
    subject_kind: SubjectKind = Field(description="gig_booking 零工预约 / job 岗位 / employer 单位")
    subject_id: uuid.UUID
    description: str = Field(min_length=10, max_length=2000, description="事情经过")
    amount_fen: Integer | None = Field(
        default=None, ge=0, le=100_000_000, description="欠薪金额（分），仅欠薪投诉填写"
    )


class ComplaintRead(ReadSchema):
    id: uuid.UUID
    kind: ComplaintKind
    subject_kind: SubjectKind
    subject_id: uuid.UUID
    subject_title: str | None = Field(description="零工标题、岗位名称或单位名称")
    description: str
    amount_fen: int | None
    source: Literal["user", "gig_dispute"] = Field(
        description="gig_dispute：对工钱有异议时自动生成"
    )
    status: ComplaintStatus = Field(
        description="received 已受理 / handling 处理中 / resolved 已办结 / "
        "transferred 已移交劳动保障监察"
    )
    reply: str | None = Field(description="工作人员给投诉人的答复")
    replied_at: datetime | None
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ComplaintQueueItem(ComplaintRead):
    complainant_id: uuid.UUID
    handled_by: uuid.UUID | None


class ComplaintAdminRead(ComplaintQueueItem):
    complainant_name: str | None = Field(description="实名（未实名时为昵称）；每次查看留痕")
    complainant_phone: str | None = Field(description="完整号码；每次查看留痕")


class ComplaintTransition(Schema):
    status: Literal["handling", "resolved", "transferred"]
    reply: str | None = Field(
        default=None, min_length=2, max_length=1000, description="给投诉人的答复；办结和移交时必填"
    )
    note: str | None = Field(default=None, max_length=500, description="内部备注（记入审计）")
