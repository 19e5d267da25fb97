"""Request and response bodies of applications, invitations, bookings and ratings."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, StrictFloat, computed_field, model_validator

from app.core.schemas import Integer, ReadSchema, Schema
from app.gigs.schemas import GigListItem
from app.taxonomy.display import amount_text

Side = Literal["worker", "poster"]
ApplicationStatus = Literal["pending", "accepted", "declined", "withdrawn", "closed"]
BookingStatus = Literal["booked", "checked_in", "completed", "cancelled"]
PaymentStatus = Literal["unpaid", "reported", "confirmed", "disputed"]
RatingTag = Literal[
    "准时到岗",
    "技术好",
    "吃苦耐劳",
    "态度好",
    "迟到早退",
    "结算及时",
    "描述属实",
    "工作环境好",
    "沟通顺畅",
    "拖欠工钱",
    "描述不符",
    "不守约",
]


class ApplicationCreate(Schema):
    message: str = Field(default="", max_length=200, description="给发布者的话（可选）")


class GigInvitationCreate(Schema):
    worker_id: uuid.UUID = Field(description="匹配结果中的 worker_id")
    message: str = Field(default="", max_length=200)


class PersonContact(BaseModel):
    user_id: uuid.UUID
    name: str
    phone: str | None
    revealed: bool = Field(description="false 时姓名和电话为掩码")


class ApplicationRead(ReadSchema):
    id: uuid.UUID
    gig_id: uuid.UUID
    worker_id: uuid.UUID
    origin: Side = Field(description="worker：零工报名；poster：发布者邀请")
    status: ApplicationStatus = Field(
        description="pending 待处理 / accepted 已成单 / declined 已谢绝 / withdrawn 已撤回 / "
        "closed 已关闭"
    )
    message: str
    created_at: datetime
    decided_at: datetime | None
    booking_id: uuid.UUID | None
    worker: PersonContact | None = Field(description="发布者查看时：零工联系方式")
    gig: GigListItem | None = Field(description="零工查看时：零工信息")


class RatingRead(ReadSchema):
    id: uuid.UUID
    booking_id: uuid.UUID
    rater_side: Side
    score: int
    tags: list[str]
    comment: str
    created_at: datetime


class BookingRead(ReadSchema):
    id: uuid.UUID
    gig_id: uuid.UUID
    worker_id: uuid.UUID
    my_side: Side
    status: BookingStatus = Field(
        description="booked 已预约 / checked_in 已签到 / completed 已完工 / cancelled 已取消"
    )
    checked_in_at: datetime | None
    check_in_distance_km: float | None = Field(description="签到位置与工作地点的距离")
    completed_at: datetime | None
    cancelled_at: datetime | None
    cancelled_by: Side | None
    cancel_reason: str | None
    late_cancellation: bool = Field(description="开工前 12 小时内取消，计入信用")
    payment_status: PaymentStatus = Field(
        description="unpaid 未结算 / reported 发布者已确认付款 / confirmed 零工已确认收款 / "
        "disputed 有异议"
    )
    paid_amount_fen: int | None

    @computed_field(description="实付金额展示文本，如 210元；未付为 null")  # type: ignore[prop-decorator]
    @property
    def paid_amount_text(self) -> str | None:
        return amount_text(self.paid_amount_fen)

    paid_reported_at: datetime | None
    payment_note: str | None
    receipt_confirmed_at: datetime | None
    disputed_at: datetime | None
    dispute_reason: str | None
    complaint_id: uuid.UUID | None = Field(description="工钱异议自动生成的欠薪投诉")
    created_at: datetime
    gig: GigListItem
    worker: PersonContact = Field(description="零工（对发布者完整可见）")
    gig_contact_name: str
    gig_contact_phone: str
    my_rating: RatingRead | None
    their_rating: RatingRead | None


class BookingCancel(Schema):
    reason: str = Field(min_length=2, max_length=200)


class CheckInRequest(Schema):
    latitude: StrictFloat | None = Field(default=None, ge=-90, le=90)
    longitude: StrictFloat | None = Field(default=None, ge=-180, le=180)

    @model_validator(mode="after")
    def _both(self) -> CheckInRequest:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("latitude and longitude go together")
        return self


class PaymentReport(Schema):
    amount_fen: Integer = Field(ge=0, le=100_000_000, description="实际支付金额（分）")
    note: str | None = Field(default=None, max_length=200, description="如：微信转账")


class PaymentDispute(Schema):
    reason: str = Field(min_length=5, max_length=500, description="异议说明，将作为欠薪投诉内容")
    owed_amount_fen: Integer | None = Field(default=None, ge=0, le=100_000_000)


class RatingCreate(Schema):
    score: Integer = Field(ge=1, le=5)
    tags: list[RatingTag] = Field(default_factory=list, max_length=6)
    comment: str = Field(default="", max_length=300)

    @model_validator(mode="after")
    def _unique_tags(self) -> RatingCreate:
        if len(set(self.tags)) != len(self.tags):
            raise ValueError("duplicate tag")
        return self


class GigReview(Schema):
    decision: Literal["approve", "reject"]
    reason: str | None = Field(default=None, min_length=2, max_length=500)
