"""Clause 13's three subsidies for employment-assistance recipients: granted, amount left to staff.

The plan grants social-insurance, vocational-training and skills-evaluation subsidies to people
receiving employment assistance ("大龄、残疾、较长时间失业等困难群体"), and leaves the amounts to
higher-level policy: meeting the conditions is "needs review" with the amount for staff to set.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from app.policies.engine import AssistedHire
from app.policies.engine.context import HIGHER_LEVEL_AMOUNT
from tests.policies.factories import org, outcome, person, with_param

FLEXIBLE = "social-insurance-subsidy-flexible"
EMPLOYER = "social-insurance-subsidy-employer"
TRAINING = "vocational-training-subsidy"
EVALUATION = "skills-evaluation-subsidy"
OUTSIDE = {
    "employment_assistance": False,
    "hard_to_employ": False,
    "disabled": False,
    "long_term_unemployed": False,
}


def flexible_worker(**fields: Any) -> Any:
    values: dict[str, Any] = {
        "key": "p-1",
        "hard_to_employ": True,
        "flexible_employment": True,
        "flexible_insurance_paid": True,
    }
    values.update(fields)
    return person(**values)


@pytest.mark.parametrize(
    ("code", "facts"),
    [
        (FLEXIBLE, {"flexible_employment": True, "flexible_insurance_paid": True}),
        (TRAINING, {"vocational_training_certified": True}),
        (EVALUATION, {"skills_level_certified": True}),
    ],
)
@pytest.mark.parametrize("group", ["employment_assistance", "hard_to_employ", "disabled"])
def test_a_named_group_meeting_the_conditions_is_granted_with_the_amount_left_to_staff(
    code: str, facts: dict[str, Any], group: str
) -> None:
    result = outcome(person(key="p-1", **{group: True}, **facts), code)
    assert result.status == "needs_review"
    assert result.missing == (HIGHER_LEVEL_AMOUNT,)
    assert result.reasons == () and result.amount_fen is None
    assert all(check.status == "pass" for check in result.record.checks)


def test_the_amount_once_staff_enter_the_higher_level_figure() -> None:
    params = with_param("assistance.social_insurance_flexible", Decimal("1800"), date(2025, 1, 1))
    result = outcome(flexible_worker(), FLEXIBLE, params=params)
    assert (result.status, result.amount_fen) == ("eligible", 1800_00)


def test_a_person_outside_the_named_groups_is_left_to_staff_not_refused() -> None:
    """ "……等困难群体" is an open list: staff decide, e.g. for an older worker (大龄)."""
    result = outcome(flexible_worker(**OUTSIDE), FLEXIBLE)
    assert result.status == "needs_review"
    assert "是否属于其他就业援助对象（由工作人员认定）" in result.missing
    (note,) = result.notes
    assert note.startswith("不属于第13条列明的")
    assert "以“等”结尾" in note and "大龄困难人员" in note


def test_a_condition_that_fails_still_refuses() -> None:
    result = outcome(flexible_worker(flexible_insurance_paid=False), FLEXIBLE)
    assert result.status == "ineligible"
    assert result.reasons == ("未以灵活就业人员身份缴纳社会保险",)


def test_missing_facts_are_named() -> None:
    result = outcome(person(key="p-1", disabled=True), TRAINING)
    assert result.status == "needs_review"
    assert result.missing == ("是否参加补贴性职业培训并取得合格证明", HIGHER_LEVEL_AMOUNT)


def test_an_employer_claims_for_each_assisted_hire() -> None:
    hires = [
        AssistedHire(person_key="a-1", group="hard_to_employ", insured=True),
        AssistedHire(person_key="a-2", group="other", insured=True),
        AssistedHire(person_key="a-3", group="disabled", insured=False),
    ]
    result = outcome(org("enterprise", assisted_hires=hires), EMPLOYER)
    assert result.status == "needs_review"
    lines = {line.person_key: line for line in result.record.lines}
    assert lines["a-1"].missing == (HIGHER_LEVEL_AMOUNT,)
    assert lines["a-2"].status == "unknown" and any(
        "以“等”结尾" in check.reason for check in lines["a-2"].checks
    )
    assert lines["a-3"].status == "excluded"


def test_the_employer_subsidy_is_for_enterprises() -> None:
    hires = [AssistedHire(person_key="a-1", group="hard_to_employ", insured=True)]
    assert outcome(org("hr_agency", assisted_hires=hires), EMPLOYER).status == "ineligible"
