"""Request and response bodies of internship posts, interns and the clause 11 facts."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import Field, StrictBool, computed_field

from app.core.schemas import Body, BusinessDate, ReadSchema
from app.taxonomy.display import amount_text

InternshipStage = Literal["upcoming", "active", "signed_early", "left_early", "finished"]


class InternshipPost(ReadSchema):
    """A published internship job (就业见习岗位) of a verified host unit."""

    job_id: uuid.UUID
    title: str
    employer_id: uuid.UUID
    employer_name: str
    internship_months: int | None = Field(description="见习期（月）")
    monthly_allowance_fen: int | None = Field(description="每月见习补助（分）")
    headcount: int
    area_code: str
    valid_until: date
    published_at: datetime


class InternshipCreate(Body):
    application_id: uuid.UUID = Field(description="该人员投递本单位见习岗位的投递记录")
    start_date: BusinessDate = Field(description="见习开始日期")


class InternshipUpdate(Body):
    """The whole outcome of an internship (PUT replaces it): a field left out is null.

    `retained` becomes true by itself when `contract_signed_on` is set and `retained` is null.
    """

    contract_signed_on: BusinessDate | None = Field(
        default=None, description="见习期未满即签订劳动合同的日期"
    )
    left_on: BusinessDate | None = Field(default=None, description="未签合同提前离开的最后一天")
    retained: StrictBool | None = Field(default=None, description="见习期满是否留用")


class InternshipRead(ReadSchema):
    id: uuid.UUID
    job_id: uuid.UUID
    job_title: str
    employer_id: uuid.UUID
    employer_name: str
    user_id: uuid.UUID
    intern_nickname: str | None
    start_date: date
    agreed_months: int
    end_date: date = Field(description="约定的见习最后一天")
    monthly_allowance_fen: int

    @computed_field(description="每月见习补助展示文本，如 2,270元")  # type: ignore[prop-decorator]
    @property
    def monthly_allowance_text(self) -> str | None:
        return amount_text(self.monthly_allowance_fen)

    contract_signed_on: date | None
    left_on: date | None
    retained: bool | None
    stage: InternshipStage
    created_at: datetime


class InternFacts(ReadSchema):
    """Exactly the fields of the policy engine's ``Intern`` (clause 11)."""

    person_key: str = Field(description="身份证号的密钥哈希")
    start_date: date
    agreed_months: int
    contract_signed_on: date | None
    left_on: date | None
    retained: bool | None


class InternshipFacts(ReadSchema):
    employer_id: uuid.UUID
    organisation_key: str = Field(description="统一社会信用代码")
    organisation_name: str
    is_sme: bool
    interns: list[InternFacts]
    finished: int = Field(description="见习已结束（期满、提前签约或提前离开）的人数")
    retained: int = Field(description="其中留用（含提前签约）的人数")
    retention_rate: float | None = Field(description="留用率（仅供参考，以计算器为准）")
