"""Bodies of subsidy offers (免申即享)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import Field, computed_field

from app.core.schemas import ReadSchema, Schema
from app.subsidies.schemas import FileIds
from app.taxonomy.display import amount_text

OfferStatus = Literal["offered", "applied", "dismissed"]
STATUS_LABELS = {"offered": "待申请", "applied": "已申请", "dismissed": "已忽略"}


class SubsidyOfferRead(ReadSchema):
    id: uuid.UUID
    subject_kind: Literal["person", "organisation"] = Field(
        description="person 本人可申请 / organisation 单位可申请（employer_id 为该单位）"
    )
    employer_id: uuid.UUID | None
    policy_code: str
    policy_title: str
    period: str = Field(description="申报期间（年度）")
    amount_fen: int | None = Field(description="测算可领取金额（分）；以审核为准")
    engine_status: Literal["eligible", "needs_review"] = Field(
        description="eligible 按平台已知信息符合 / needs_review 可能符合，需补充 `missing` 所列情况"
    )
    missing: list[str] = Field(description="申请时还需补充或由工作人员认定的情况")
    status: OfferStatus = Field(description="offered 待申请 / applied 已申请 / dismissed 已忽略")
    facts: dict[str, Any] = Field(
        description="预先填好的申请信息：提交时作为 `facts` 使用（平台已知信息会再次核对）"
    )
    application_id: uuid.UUID | None = Field(description="已申请时为补贴申请 id")
    created_at: datetime

    @computed_field(description="金额展示文本，如 3,000元")  # type: ignore[prop-decorator]
    @property
    def amount_text(self) -> str | None:
        return amount_text(self.amount_fen)

    @computed_field(description="状态中文")  # type: ignore[prop-decorator]
    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


class SubsidyOfferApply(Schema):
    material_file_ids: FileIds = Field(
        default_factory=list, max_length=30, description="POST /api/v1/files 返回的文件 id"
    )
    note: str | None = Field(default=None, max_length=500, description="申请说明")


class OfferTakeUp(ReadSchema):
    policy_code: str
    policy_title: str
    offered: int = Field(description="发出的提醒数")
    applied: int = Field(description="已据此申请")
    dismissed: int = Field(description="已忽略")
    waiting: int = Field(description="尚未处理")
    take_up_rate: float | None = Field(description="申请率 = 已申请 / 发出（0–1）；无提醒为 null")


class OfferStats(ReadSchema):
    total: OfferTakeUp = Field(description="全部政策合计（policy_code 为 *）")
    by_policy: list[OfferTakeUp]
