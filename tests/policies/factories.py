"""Builders for the policy engine's golden tests (pure data, no database)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from app.policies.engine import (
    EMPTY_LEDGER,
    Evaluation,
    Facts,
    Intern,
    Ledger,
    LedgerEntry,
    OrganisationFacts,
    Outcome,
    ParameterSet,
    PersonFacts,
    Referral,
    default_parameters,
    evaluate,
)

ON = date(2025, 9, 1)


def person(**fields: Any) -> Facts:
    return Facts(person=PersonFacts(**fields))


def org(kind: str = "enterprise", **fields: Any) -> Facts:
    return Facts(organisation=OrganisationFacts(kind=kind, **fields))


def outcome(
    facts: Facts,
    code: str,
    *,
    on: date = ON,
    ledger: Ledger = EMPTY_LEDGER,
    params: ParameterSet | None = None,
) -> Outcome:
    """The outcome of one policy (evaluated alone)."""
    return evaluate(facts, on=on, ledger=ledger, params=params, policy_codes={code}).outcome(code)


def run(
    facts: Facts,
    codes: Iterable[str] | None = None,
    *,
    on: date = ON,
    ledger: Ledger = EMPTY_LEDGER,
    params: ParameterSet | None = None,
) -> Evaluation:
    return evaluate(
        facts, on=on, ledger=ledger, params=params, policy_codes=set(codes) if codes else None
    )


def ledger(*entries: dict[str, Any]) -> Ledger:
    return Ledger(entries=tuple(LedgerEntry(**e) for e in entries))


def with_param(key: str, value: Decimal | bool | None, since: date, **kw: Any) -> ParameterSet:
    return default_parameters().with_value(
        key, value, effective_from=since, source="测试：工作人员录入", **kw
    )


def referral(key: str, **overrides: Any) -> Referral:
    """A referral meeting every condition of the 500-yuan row in 2025."""
    fields: dict[str, Any] = {
        "person_key": key,
        "employer_in_district": True,
        "industrial_worker": True,
        "first_labour_contract": True,
        "contract_signed_on": date(2025, 3, 1),
        "contract_months": 12,
        "insured_months": 4,
        "insured_months_continuous": 4,
    }
    fields.update(overrides)
    return Referral(**fields)


def key_graduate(key: str, **overrides: Any) -> Referral:
    """A graduate <= 2 years after leaving school, unemployed until referred."""
    fields: dict[str, Any] = {
        "key_group": "graduate",
        "left_school_on": date(2024, 7, 1),
        "unemployed_before_referral": True,
    }
    fields.update(overrides)
    return referral(key, **fields)


def agency(referrals: list[Referral], **fields: Any) -> Facts:
    return org("hr_agency", key="agency-1", referral_year=2025, referrals=referrals, **fields)


def intern(key: str, start: date, months: int, **fields: Any) -> Intern:
    return Intern(person_key=key, start_date=start, agreed_months=months, **fields)


def amounts(evaluation: Evaluation) -> dict[str, int | None]:
    return {o.policy_code: o.amount_fen for o in evaluation.outcomes}
