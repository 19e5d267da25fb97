"""Request and response bodies of the policy catalogue and the calculator."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from app.core.schemas import IsoDate, ReadSchema, Schema
from app.policies.catalogue import AUDIENCE_LABELS, Audience, Policy
from app.policies.engine import (
    FACTS_EXAMPLES,
    ExclusionResolution,
    Facts,
    OrganisationFacts,
    Outcome,
    PersonFacts,
)

KnownFactSource = Literal[
    "real_name", "employment_event", "resume", "employer", "internship_enrolment"
]
SOURCE_LABELS: dict[str, str] = {
    "real_name": "实名认证信息（身份证）",
    "employment_event": "平台记录的录用信息",
    "resume": "本人简历",
    "employer": "单位登记信息",
    "internship_enrolment": "平台记录的见习人员",
}


class PolicySource(BaseModel):
    document: str
    clause: int = Field(description="方案条款号（1–23）")
    excerpt: str = Field(description="条款原文")


class PolicyListItem(BaseModel):
    code: str = Field(description="政策代码（稳定标识）", examples=["internship"])
    title: str
    clause: int
    audiences: list[Audience] = Field(description="适用对象；空表示面向所有人")
    audience_labels: list[str] = Field(description="适用对象的中文名称")
    applicant: Literal["person", "organisation"] = Field(description="个人申请 / 单位申请")
    summary: str
    amount_text: str
    computable: bool = Field(description="是否可用计算器测算并在线申请")
    valid_to: date


class PolicyRead(PolicyListItem):
    conditions: list[str]
    materials: list[str] = Field(description="申请材料（草案，以人社局公布为准）")
    how_to_apply: str
    valid_from: date | None
    source: PolicySource
    exclusion_group: str | None = Field(description="就高不重复分组代码")
    exclusion_group_title: str | None
    exclusion_group_policies: list[str] = Field(description="同组政策代码（就高不重复）")
    once_per_beneficiary: bool = Field(description="每人（每单位）仅享受一次")


def policy_list_item(policy: Policy) -> PolicyListItem:
    return PolicyListItem(
        code=policy.code,
        title=policy.title,
        clause=policy.clause,
        audiences=list(policy.audiences),
        audience_labels=[AUDIENCE_LABELS[a] for a in policy.audiences],
        applicant=policy.applicant,
        summary=policy.summary,
        amount_text=policy.amount_text,
        computable=policy.computable,
        valid_to=policy.valid_to,
    )


class EvaluateRequest(Schema):
    """Facts about a person and/or an organisation, with optional date and policy codes."""

    person: PersonFacts | None = Field(default=None, description="个人情况（测算个人政策）")
    organisation: OrganisationFacts | None = Field(
        default=None, description="单位情况（测算单位政策）"
    )
    employer_id: uuid.UUID | None = Field(
        default=None,
        description="登录用户测算本人所在单位时填写：单位类型、中小企业、见习人员等由平台补全",
    )
    on: IsoDate | None = Field(
        default=None, description="评估日期（默认今天，北京时间）", examples=["2025-09-01"]
    )
    policy_codes: list[str] | None = Field(
        default=None, max_length=50, description="只测算这些政策（默认全部可测算政策）"
    )


EVALUATE_EXAMPLES: dict[str, dict[str, Any]] = {
    name: {
        "summary": example["summary"],
        "value": {**example["value"], "on": "2025-09-01"},
    }
    for name, example in FACTS_EXAMPLES.items()
}


class KnownFact(ReadSchema):
    """A fact the service filled in from its own records (not typed in by the user)."""

    field: str = Field(
        description="填入的字段，如 person.birth_date", examples=["person.birth_date"]
    )
    label: str = Field(description="字段中文名", examples=["出生日期"])
    value: Any = Field(description="填入的值")
    source: KnownFactSource = Field(description="来源")
    source_label: str = Field(description="来源的中文说明")
    replaced: bool = Field(
        default=False, description="true：与提交的值不同，已按平台记录更正（如单位类型）"
    )


class StatusCounts(BaseModel):
    eligible: int
    needs_review: int
    ineligible: int


class EvaluationRead(ReadSchema):
    """Every policy with its outcome and decision record (`detail=full`)."""

    detail: Literal["full"] = Field(default="full", description="回答的详略")
    evaluated_on: date
    ruleset_version: str = Field(description="规则版本")
    parameter_set: str = Field(description="所用参数集的指纹")
    total_eligible_fen: int = Field(description="可享受金额合计（分）")
    counts: StatusCounts
    outcomes: list[Outcome]
    exclusions: list[ExclusionResolution] = Field(description="就高不重复的裁决")
    known_facts: list[KnownFact] = Field(description="平台已掌握并自动补全的信息")
    facts: Facts = Field(description="实际用于测算的信息（含补全）")
    history_considered: int = Field(
        description="参与比对的历史发放记录条数（仅登录用户本人或本单位）"
    )
