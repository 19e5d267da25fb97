"""What an evaluation returns: outcomes with decision records (JSON-serialisable).

``Evaluation.model_dump(mode="json")`` is plain JSON (dates as ISO strings, parameter values as
strings or booleans) and can be stored in a JSONB column; ``Evaluation.model_validate`` reads it
back.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.policies.engine.checks import CheckResult
from app.policies.engine.params import ParameterUse

OutcomeStatus = Literal["eligible", "needs_review", "ineligible"]
LineOutcome = Literal["granted", "pending", "excluded", "superseded", "capped", "unknown"]

_CONFIG = ConfigDict(frozen=True, extra="forbid")


class AwardLine(BaseModel):
    """One thing a policy pays (the subject, or one referred worker / intern / trainee / prize)."""

    model_config = _CONFIG

    beneficiary: str = Field(description="`subject`, or the key of the person paid for")
    label: str
    person_key: str | None
    item_key: str | None
    status: LineOutcome = Field(
        description="granted: paid; pending: waits for a 就高不重复 decision; excluded: a "
        "condition fails; superseded: a higher policy of its group is granted; capped: cap "
        "reached; unknown: a fact or parameter is missing"
    )
    gross_fen: int | None = Field(description="amount before caps and exclusions")
    amount_fen: int = Field(description="amount granted (0 unless granted)")
    quantity: int
    checks: tuple[CheckResult, ...]
    steps: tuple[str, ...]
    missing: tuple[str, ...]
    superseded_by: str | None
    notes: tuple[str, ...]


class CapApplication(BaseModel):
    """A cap checked against the ledger and this evaluation's lines."""

    model_config = _CONFIG

    cap_code: str
    title: str
    policy_codes: tuple[str, ...]
    year: int
    limit_fen: int
    already_paid_fen: int
    requested_fen: int
    granted_fen: int
    steps: tuple[str, ...]


class ExclusionResolution(BaseModel):
    """How one 就高不重复 group was decided for one beneficiary."""

    model_config = _CONFIG

    group: str
    group_title: str
    beneficiary: str
    granted_policy: str | None
    superseded: tuple[str, ...]
    pending: tuple[str, ...]
    reason: str


class DecisionRecord(BaseModel):
    """Everything needed to re-check a decision by hand."""

    model_config = _CONFIG

    ruleset_version: str
    parameter_set: str = Field(description="fingerprint of the parameter set used")
    evaluated_on: date
    policy_code: str
    parameters: tuple[ParameterUse, ...]
    checks: tuple[CheckResult, ...]
    lines: tuple[AwardLine, ...]
    steps: tuple[str, ...]
    caps: tuple[CapApplication, ...]
    exclusions: tuple[ExclusionResolution, ...]


class Outcome(BaseModel):
    """The answer for one policy."""

    model_config = _CONFIG

    policy_code: str
    title: str
    clause: int
    status: OutcomeStatus
    amount_fen: int | None = Field(description="set when eligible")
    amount_yuan: str | None = Field(description="the same amount as text, e.g. 4767.00")
    superseded_by: str | None = Field(description="the policy granted instead (就高不重复)")
    reasons: tuple[str, ...] = Field(description="why ineligible")
    missing: tuple[str, ...] = Field(description="what staff must decide or the person must add")
    notes: tuple[str, ...] = Field(
        description="eligible: lines not paid; needs_review: what staff decide and why"
    )
    record: DecisionRecord


class Evaluation(BaseModel):
    """Outcomes ordered eligible (highest first), needs review, ineligible."""

    model_config = _CONFIG

    ruleset_version: str
    parameter_set: str
    evaluated_on: date
    total_eligible_fen: int
    outcomes: tuple[Outcome, ...]
    exclusions: tuple[ExclusionResolution, ...]

    def outcome(self, code: str) -> Outcome:
        """The outcome of policy `code` (KeyError if it was not evaluated)."""
        for outcome in self.outcomes:
            if outcome.policy_code == code:
                return outcome
        raise KeyError(code)
