"""One module per policy family; each declares ``RULES`` (and ``CAPS`` where the plan sets one)."""

from __future__ import annotations

from app.policies.engine.rule import CapRule, PolicyRule
from app.policies.engine.rules import (
    assistance,
    awards,
    graduates,
    internship,
    referral,
    startup,
    training,
)

ALL_RULES: tuple[PolicyRule, ...] = (
    *referral.RULES,
    *graduates.RULES,
    *internship.RULES,
    *awards.RULES,
    *training.RULES,
    *startup.RULES,
    *assistance.RULES,
)
ALL_CAPS: tuple[CapRule, ...] = (*referral.CAPS, *awards.CAPS)
RULES_BY_CODE: dict[str, PolicyRule] = {rule.code: rule for rule in ALL_RULES}
