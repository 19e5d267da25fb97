"""The shape of a rule and of a cap; each rules module declares its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from app.policies.engine.context import RuleContext
from app.policies.engine.facts import Facts
from app.policies.engine.params import ParameterSet

RuleBody = Callable[[RuleContext], None]


@dataclass(frozen=True)
class PolicyRule:
    """How one computable policy is decided.

    ``org_kinds`` limits organisation policies to some kinds of organisation (None: any kind).
    The applicant check (person / organisation) and the validity check are added by the engine.
    """

    code: str
    body: RuleBody
    org_kinds: frozenset[str] | None = None


def claim_year(facts: Facts, on: date) -> int:
    """The year an organisation's claim counts toward (the referral year, else the date's)."""
    org = facts.organisation
    if org is not None and org.referral_year is not None:
        return org.referral_year
    return on.year


@dataclass(frozen=True)
class CapRule:
    """A ceiling on the total paid to one recipient per year under some policies.

    ``optional_codes`` are (policy code, bool parameter) pairs: the policy is covered when the
    parameter is true (this is how a reading of the plan stays configurable).
    """

    code: str
    title: str
    limit_param: str
    policy_codes: tuple[str, ...]
    optional_codes: tuple[tuple[str, str], ...] = ()
    year_of: Callable[[Facts, date], int] = claim_year

    def covered(self, params: ParameterSet, on: date) -> tuple[str, ...]:
        """The policy codes this cap covers under `params`."""
        extra = tuple(
            code for code, switch in self.optional_codes if params.lookup(switch, on).value is True
        )
        return self.policy_codes + extra
