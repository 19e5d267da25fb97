"""What a rule works with: the facts, the date, parameters, and the drafts it fills in.

A rule appends policy-level checks to ``ctx.checks`` and one ``LineDraft`` per thing it would pay
(the subject itself, or each referred worker, intern, trainee, prize, ...). The engine then adds
ledger checks, settles each line, applies caps and 就高不重复, and writes the decision record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from app.policies.catalogue import Policy
from app.policies.engine.checks import CheckResult, CheckStatus, combine, missing_of
from app.policies.engine.errors import InvalidParameter
from app.policies.engine.facts import Facts, OrganisationFacts, PersonFacts
from app.policies.engine.ledger import Ledger
from app.policies.engine.money import fen_text, num_text, to_fen
from app.policies.engine.params import ParameterSet, ParameterUse
from app.policies.engine.record import CapApplication, ExclusionResolution

SELF = "subject"
"""Beneficiary of a line that pays the subject itself (not a person the subject claims for)."""

HIGHER_LEVEL_AMOUNT = "金额以上级政策为准，由工作人员核定"
"""What a person is told when the plan grants a subsidy but leaves its amount to higher policy."""

LineStatus = Literal["ok", "unknown", "excluded", "pending", "superseded", "capped"]


@dataclass
class LineDraft:
    """One thing a policy would pay, before and after caps and exclusions."""

    label: str
    beneficiary: str = SELF
    person_key: str | None = None
    item_key: str | None = None
    checks: list[CheckResult] = field(default_factory=list)
    gross_fen: int | None = None
    quantity: int = 1
    steps: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    status: LineStatus = "unknown"
    ranked_fen: int = 0
    amount_fen: int = 0
    superseded_by: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def check_status(self) -> CheckStatus:
        return combine(c.status for c in self.checks)

    def settle(self) -> None:
        """Status from the checks and the amount: excluded, unknown or ok."""
        status = self.check_status
        if status == "fail":
            self.status = "excluded"
        elif status == "unknown" or self.gross_fen is None:
            self.status = "unknown"
        else:
            self.status = "ok"
            self.amount_fen = self.ranked_fen = self.gross_fen

    @property
    def missing(self) -> list[str]:
        return [*missing_of(self.checks), *self.gaps]

    def fail_reasons(self) -> list[str]:
        return [c.reason for c in self.checks if c.status == "fail"]


@dataclass
class RuleContext:
    """The inputs of one policy's evaluation and the drafts the rule writes."""

    policy: Policy
    facts: Facts
    on: date
    params: ParameterSet
    ledger: Ledger
    checks: list[CheckResult] = field(default_factory=list)
    lines: list[LineDraft] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    uses: list[ParameterUse] = field(default_factory=list)

    @property
    def person(self) -> PersonFacts:
        assert self.facts.person is not None, "person rule run without person facts"
        return self.facts.person

    @property
    def org(self) -> OrganisationFacts:
        assert self.facts.organisation is not None, "organisation rule run without organisation"
        return self.facts.organisation

    @property
    def subject_key(self) -> str | None:
        if self.policy.applicant == "person":
            return self.facts.person.key if self.facts.person else None
        return self.facts.organisation.key if self.facts.organisation else None

    def lookup(self, key: str, at: date | None = None) -> ParameterUse:
        """The parameter in force on `at` (default: the evaluation date), recorded as used."""
        use = self.params.lookup(key, at or self.on)
        _remember(self.uses, use)
        return use

    def number(self, key: str, at: date | None = None) -> Decimal | None:
        """A usable numeric value, or None (unverified / missing)."""
        use = self.lookup(key, at)
        if not use.usable or isinstance(use.value, bool):
            return None
        return use.value

    def count(self, key: str) -> int:
        """A whole-number parameter fixed by the plan (a threshold, a number of months)."""
        value = self.number(key)
        if value is None or value != value.to_integral_value():
            raise InvalidParameter(f"参数「{key}」必须是已核实的整数")
        return int(value)

    def flag(self, key: str) -> bool:
        """A reading switch (bool parameter); must be set and verified."""
        use = self.lookup(key)
        if not use.usable or not isinstance(use.value, bool):
            raise InvalidParameter(f"参数「{key}」必须是已核实的是/否取值")
        return use.value

    def pay_fixed(self, line: LineDraft, key: str, label: str) -> None:
        """Set a fixed yuan amount from parameter `key` as the line's gross, or a gap."""
        use = self.lookup(key)
        value = self.number(key)
        if value is None:
            line.gaps.append(use.gap())
            return
        line.gross_fen = to_fen(value)
        line.steps.append(f"{label} {num_text(value)} 元 = {fen_text(line.gross_fen)}")

    def pay_higher_level(self, line: LineDraft, key: str, label: str) -> None:
        """An amount the plan leaves to higher-level policy (``key`` is unverified until staff
        enter it): without a verified value the line waits for the reviewer to set the amount."""
        self.pay_fixed(line, key, label)
        if line.gross_fen is None:
            line.gaps[-1] = HIGHER_LEVEL_AMOUNT


@dataclass
class PolicyDraft:
    """One policy's evaluation in progress: the rule's context plus what the engine adds."""

    ctx: RuleContext
    order: int
    caps: list[CapApplication] = field(default_factory=list)
    exclusions: list[ExclusionResolution] = field(default_factory=list)

    @property
    def policy(self) -> Policy:
        return self.ctx.policy

    @property
    def code(self) -> str:
        return self.ctx.policy.code

    @property
    def lines(self) -> list[LineDraft]:
        return self.ctx.lines

    @property
    def check_status(self) -> CheckStatus:
        return combine(c.status for c in self.ctx.checks)

    def payable_lines(self) -> list[LineDraft]:
        """Lines that would be paid now (only when every policy-level check passes)."""
        if self.check_status != "pass":
            return []
        return [line for line in self.lines if line.status == "ok"]

    def use(self, use: ParameterUse) -> None:
        """Record a parameter the engine (not the rule) used, e.g. a cap."""
        _remember(self.ctx.uses, use)


def _remember(uses: list[ParameterUse], use: ParameterUse) -> None:
    """Keep one record per parameter value (the first date it was looked up for)."""
    same = (use.key, use.effective_from, use.value, use.verified)
    if not any((u.key, u.effective_from, u.value, u.verified) == same for u in uses):
        uses.append(use)
