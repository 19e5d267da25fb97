"""Request and response bodies of subsidy applications."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal, Self

from pydantic import BaseModel, Field, computed_field, model_validator

from app.core.file_links import file_url
from app.core.schemas import Integer, IsoDate, ReadSchema, Schema
from app.policies.engine import Evaluation, Facts
from app.policies.schemas import KnownFact
from app.taxonomy.display import amount_text

ApplicationStatus = Literal["submitted", "under_review", "returned", "approved", "rejected", "paid"]
ReviewAction = Literal["start_review", "return", "approve", "reject", "mark_paid"]
STATUS_HELP = (
    "submitted 已提交 / under_review 审核中 / returned 退回补充材料 / approved 已核准 / "
    "rejected 未通过 / paid 已发放"
)
PERIOD_PATTERN = r"^20\d{2}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$"
MAX_FEN = 100_000_000_00  # 1 亿元: far above any cap, below anything absurd
FileIds = list[uuid.UUID]


class ApplicantRef(Schema):
    kind: Literal["person", "organisation"] = Field(
        description="person 本人申请 / organisation 以单位（企业、人力资源服务机构）名义申请"
    )
    employer_id: uuid.UUID | None = Field(
        default=None, description="以单位名义申请时填写：您是其成员的单位 id"
    )

    @model_validator(mode="after")
    def _employer_for_organisation(self) -> Self:
        if (self.kind == "organisation") != (self.employer_id is not None):
            raise ValueError("以单位名义申请须填写 employer_id，本人申请不填")
        return self


class SubsidyApplicationCreate(Schema):
    policy_code: str = Field(
        max_length=60, pattern=r"^[a-z0-9-]+$", examples=["hr-agency-referral"]
    )
    applicant: ApplicantRef
    period: str = Field(
        pattern=PERIOD_PATTERN,
        description="申报期间：年度 2025，或 2025-07（月）、2025-Q3（季度）、2025-H2（半年）",
        examples=["2025"],
    )
    facts: Facts = Field(
        description="与计算器相同的申请信息。名单中的 person_key 请填写该人员的 18 位身份证号码"
        "（平台只保存其密钥哈希和脱敏号码）"
    )
    material_file_ids: FileIds = Field(
        default_factory=list, max_length=30, description="POST /api/v1/files 返回的文件 id"
    )
    note: str | None = Field(default=None, max_length=500, description="申请说明")


class SubsidyResubmit(Schema):
    facts: Facts | None = Field(default=None, description="更正后的申请信息（不改则不填）")
    material_file_ids: FileIds = Field(
        default_factory=list, max_length=30, description="补充的材料文件 id"
    )
    note: str | None = Field(default=None, max_length=500, description="补充说明")


class SubsidyReview(Schema):
    action: ReviewAction = Field(
        description="start_review 开始审核 / return 退回补充材料 / approve 核准 / "
        "reject 不予通过 / mark_paid 登记已发放"
    )
    note: str | None = Field(
        default=None, max_length=500, description="退回时须说明补充什么；不予通过时须说明理由"
    )
    amount_fen: Integer | None = Field(
        default=None, gt=0, le=MAX_FEN, description="核准金额（分）；不填则按系统测算金额核准"
    )
    override_reason: str | None = Field(
        default=None, max_length=500, description="核准金额与测算金额不一致时的理由（必填）"
    )
    paid_on: IsoDate | None = Field(default=None, description="发放日期（mark_paid 必填）")
    payment_reference: str | None = Field(
        default=None, min_length=1, max_length=60, description="发放凭证号（mark_paid 必填）"
    )

    @model_validator(mode="after")
    def _fields_of_action(self) -> Self:
        if self.action in ("return", "reject") and not (self.note and self.note.strip()):
            raise ValueError("退回或不予通过时请填写说明")
        if self.action == "mark_paid" and (self.paid_on is None or not self.payment_reference):
            raise ValueError("登记发放时请填写发放日期和凭证号")
        if self.action != "approve" and (self.amount_fen or self.override_reason):
            raise ValueError("只有核准时可以填写金额和调整理由")
        return self


class ApplicantRead(BaseModel):
    kind: Literal["person", "organisation"]
    user_id: uuid.UUID = Field(description="提交申请的用户")
    employer_id: uuid.UUID | None
    employer_name: str | None


class MaterialRead(ReadSchema):
    file_id: uuid.UUID
    content_type: str
    size_bytes: int
    original_name: str | None
    round: int = Field(description="1：首次提交；2 起：退回后补充")
    added_at: datetime
    has_thumbnail: bool = Field(default=False, exclude=True)

    @computed_field(  # type: ignore[prop-decorator]
        description="签名链接（约 1 小时有效，无需 Authorization）"
    )
    @property
    def url(self) -> str:
        return str(file_url(self.file_id))

    @computed_field(  # type: ignore[prop-decorator]
        description="缩略图签名链接（长边不超过 256 像素）；PDF 等为 null"
    )
    @property
    def thumbnail_url(self) -> str | None:
        return file_url(self.file_id, "thumb") if self.has_thumbnail else None


class SubsidyStatusChangeRead(ReadSchema):
    from_status: ApplicationStatus | None
    to_status: ApplicationStatus
    actor_kind: Literal["user", "staff"]
    note: str | None
    created_at: datetime


class SubsidyApplicationListItem(ReadSchema):
    id: uuid.UUID
    policy_code: str
    policy_title: str
    applicant: ApplicantRead
    period: str
    status: ApplicationStatus = Field(description=STATUS_HELP)
    engine_status: Literal["eligible", "needs_review"] = Field(
        description="提交时的测算结果：eligible 符合 / needs_review 需人工审核"
    )
    expected_amount_fen: int = Field(description="提交时测算的可发放金额（分）")
    approved_amount_fen: int | None = Field(description="核准金额（分）")

    @computed_field(description="测算金额展示文本，如 3,000元")  # type: ignore[prop-decorator]
    @property
    def expected_amount_text(self) -> str | None:
        return amount_text(self.expected_amount_fen)

    @computed_field(description="核准金额展示文本；未核准为 null")  # type: ignore[prop-decorator]
    @property
    def approved_amount_text(self) -> str | None:
        return amount_text(self.approved_amount_fen)

    status_changed_at: datetime
    created_at: datetime


class SubsidyApplicationRead(SubsidyApplicationListItem):
    claim_code: str = Field(description="一并测算的就高不重复分组（无分组时为政策代码）")
    facts: Facts
    known_facts: list[KnownFact] = Field(description="平台据记录补全或更正的信息")
    person_refs: dict[str, str] = Field(description="名单人员标识 → 脱敏身份证号")
    note: str | None
    evaluated_on: date = Field(description="测算日期（提交或补充材料之日）")
    ruleset_version: str
    decision: Evaluation = Field(description="提交时规则引擎的完整测算记录")
    approval_decision: Evaluation | None = Field(description="核准时按最新发放记录重新测算的记录")
    engine_amount_at_approval_fen: int | None
    override_reason: str | None
    return_note: str | None = Field(description="退回补充材料的说明")
    rejection_reason: str | None
    decided_at: datetime | None
    paid_on: date | None
    payment_reference: str | None
    materials: list[MaterialRead]
    history: list[SubsidyStatusChangeRead]
    updated_at: datetime
