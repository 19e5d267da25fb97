"""The calculator's default answer: one line per policy, small enough for a phone.

The full answer (every check, parameter and arithmetic step) is ``EvaluationRead``; the
mini-program asks for it with ``?detail=full`` only when a user opens "how was this computed".
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.policies.catalogue import load_catalogue
from app.policies.engine import Outcome, OutcomeStatus
from app.policies.schemas import EvaluationRead, KnownFact, StatusCounts
from app.taxonomy.pay import format_amount

Detail = Literal["summary", "full"]


class OutcomeSummary(BaseModel):
    """One policy's outcome in one sentence."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    policy_code: str = Field(description="政策代码", examples=["graduate-sme-living"])
    title: str = Field(description="政策名称")
    status: OutcomeStatus = Field(
        description="eligible 可享受 / needs_review 待核定 / ineligible 不符合"
    )
    amount_fen: int | None = Field(description="可享受金额（分），仅 eligible")
    amount_text: str | None = Field(description="展示用金额，如 3,000元", examples=["3,000元"])
    explanation: str = Field(description="一句话说明，可直接展示")
    missing: list[str] = Field(description="待补充的信息或待工作人员核定的事项")
    notes: list[str] = Field(description="补充说明")


class EvaluationSummary(BaseModel):
    """The calculator's default answer (`detail=summary`)."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    detail: Literal["summary"] = Field(default="summary", description="回答的详略")
    evaluated_on: date
    ruleset_version: str = Field(description="规则版本")
    total_eligible_fen: int = Field(description="可享受金额合计（分）")
    total_eligible_text: str = Field(description="展示用合计金额", examples=["3,000元"])
    counts: StatusCounts = Field(description="outcomes 中各结论的条数")
    outcomes: list[OutcomeSummary]
    not_assessed: list[str] = Field(
        description="未测算的政策代码：单位政策而未提供单位情况，或个人政策而未提供个人情况"
    )
    known_facts: list[KnownFact] = Field(description="平台已掌握并自动补全的信息")
    history_considered: int = Field(description="参与比对的历史发放记录条数")


def _explanation(outcome: Outcome, titles: dict[str, str]) -> str:
    if outcome.superseded_by:
        granted = titles.get(outcome.superseded_by, outcome.superseded_by)
        return f"符合条件，但与「{granted}」就高不重复，按较高的一项享受。"
    if outcome.status == "eligible":
        return f"符合条件，可享受{format_amount(outcome.amount_fen or 0)}。"
    if outcome.status == "needs_review":
        if not outcome.missing:
            return "可能符合，需工作人员核定。"
        if len(outcome.missing) > 1:
            return f"可能符合，需补充或核定 {len(outcome.missing)} 项信息。"
        return f"可能符合，需补充或核定：{outcome.missing[0]}。"
    if not outcome.reasons:
        return "不符合条件。"
    more = f"（另有 {len(outcome.reasons) - 1} 项条件不符）" if len(outcome.reasons) > 1 else ""
    return f"不符合：{outcome.reasons[0].rstrip('。')}{more}。"


def _assessed(outcome: Outcome, full: EvaluationRead) -> bool:
    """False for a policy of the side (person / organisation) the request said nothing about."""
    applicant = load_catalogue().get(outcome.policy_code).applicant
    facts = full.facts.person if applicant == "person" else full.facts.organisation
    return facts is not None


def summarise(full: EvaluationRead) -> EvaluationSummary:
    """The summary view of a full evaluation (same order).

    Policies of a side the request did not describe (an organisation's policies for a person's
    check) are all "ineligible: no facts given": the summary names them in `not_assessed` only.
    """
    titles = {outcome.policy_code: outcome.title for outcome in full.outcomes}
    shown = [outcome for outcome in full.outcomes if _assessed(outcome, full)]
    statuses = [outcome.status for outcome in shown]
    return EvaluationSummary(
        evaluated_on=full.evaluated_on,
        ruleset_version=full.ruleset_version,
        total_eligible_fen=full.total_eligible_fen,
        total_eligible_text=format_amount(full.total_eligible_fen),
        counts=StatusCounts(
            eligible=statuses.count("eligible"),
            needs_review=statuses.count("needs_review"),
            ineligible=statuses.count("ineligible"),
        ),
        not_assessed=[o.policy_code for o in full.outcomes if not _assessed(o, full)],
        outcomes=[
            OutcomeSummary(
                policy_code=outcome.policy_code,
                title=outcome.title,
                status=outcome.status,
                amount_fen=outcome.amount_fen,
                amount_text=None
                if outcome.amount_fen is None
                else format_amount(outcome.amount_fen),
                explanation=_explanation(outcome, titles),
                missing=list(outcome.missing),
                notes=list(outcome.notes),
            )
            for outcome in shown
        ],
        known_facts=full.known_facts,
        history_considered=full.history_considered,
    )
