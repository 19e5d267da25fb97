"""Clause 10: 3,000-yuan living allowance (SME employment) and talent-reserve allowance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from app.policies.engine import EmploymentSpell, InvalidParameter, TalentReserve
from tests.policies.factories import ledger, outcome, person, with_param

SME = "graduate-sme-living"
RESERVE = "talent-reserve-living"
HIRED = date(2025, 1, 15)


def job(start: date = HIRED, **fields: Any) -> EmploymentSpell:
    values: dict[str, Any] = {
        "employer_in_district": True,
        "employer_is_sme": True,
        "start_date": start,
        "contract_months": 36,
        "insured_months": 7,
    }
    values.update(fields)
    return EmploymentSpell(**values)


def youth(birth_date: date | None = None, **fields: Any) -> Any:
    """A registered unemployed young person (not a graduate) hired on HIRED."""
    values: dict[str, Any] = {
        "birth_date": birth_date,
        "is_college_graduate": False,
        "registered_unemployed": True,
        "employments": [job()],
    }
    values.update(fields)
    return person(**values)


@pytest.mark.parametrize(
    ("birth", "age", "status"),
    [
        (date(2009, 1, 16), 15, "ineligible"),
        (date(2009, 1, 15), 16, "eligible"),
        (date(2000, 1, 16), 24, "eligible"),
        (date(2000, 1, 15), 25, "ineligible"),
    ],
)
def test_registered_youth_age_16_to_24_on_the_day_hired(birth: date, age: int, status: str) -> None:
    result = outcome(youth(birth), SME)
    assert result.status == status
    reasons = [c.reason for c in _leaves(result.record.checks) if c.code == "youth_age"]
    inside = "在" if status == "eligible" else "不在"
    assert reasons == [f"入职时年龄 {age} 岁，{inside} 16–24 岁之间"]
    assert result.amount_fen == (300_000 if status == "eligible" else None)


def test_age_given_without_birth_date_is_bounded() -> None:
    assert outcome(youth(age=23), SME).status == "eligible"
    undecided = outcome(youth(age=25), SME)
    assert undecided.status == "needs_review"
    assert "出生日期" in undecided.missing


def test_five_months_employed_is_not_enough() -> None:
    result = outcome(youth(date(2003, 1, 1)), SME, on=date(2025, 7, 14))
    assert result.status == "ineligible"
    assert any("已就业 5 个月，不足 6 个月" in r for r in result.reasons)


def test_six_months_employed_qualifies() -> None:
    result = outcome(youth(date(2003, 1, 1)), SME, on=date(2025, 7, 15))
    assert result.status == "eligible"
    assert result.amount_fen == 300_000
    assert result.record.lines[0].steps == ("一次性生活补贴标准 3000 元 = 3000.00",)


def test_a_finished_spell_counts_its_last_day() -> None:
    facts = youth(date(2003, 1, 1), employments=[job(end_date=date(2025, 7, 14))])
    assert outcome(facts, SME, on=date(2025, 12, 1)).status == "eligible"


def graduate(left: date, hired: date) -> Any:
    return person(
        birth_date=date(1999, 1, 1),
        registered_unemployed=False,
        is_college_graduate=True,
        left_school_on=left,
        unemployed_since_leaving_school=True,
        employments=[job(hired, insured_months=6)],
    )


def test_graduate_hired_2_years_after_leaving_school_qualifies() -> None:
    result = outcome(graduate(date(2023, 7, 1), date(2025, 7, 1)), SME, on=date(2026, 1, 2))
    assert result.status == "eligible"


@pytest.mark.parametrize("hired", [date(2025, 7, 2), date(2026, 7, 1)])
def test_graduate_hired_more_than_2_years_after_leaving_school_does_not(hired: date) -> None:
    on = date(hired.year + 1, 1, 5)
    result = outcome(graduate(date(2023, 7, 1), hired), SME, on=on)
    assert result.status == "ineligible"
    texts = [c.reason for c in _leaves(result.record.checks) if c.code == "left_school_within"]
    assert texts and "离校已超过 2 年" in texts[0]


def test_graduating_year_graduate_hired_before_leaving_school() -> None:
    facts = person(
        is_college_graduate=True,
        left_school_on=date(2025, 6, 30),
        employments=[job(date(2025, 3, 1), insured_months=6)],
    )
    result = outcome(facts, SME)
    assert result.status == "eligible"
    assert "2025 年毕业，于毕业年度内（2025-03-01）入职" in result.record.checks[2].reason


def test_employer_must_be_a_district_sme() -> None:
    result = outcome(youth(date(2003, 1, 1), employments=[job(employer_is_sme=False)]), SME)
    assert result.status == "ineligible"
    assert "用人单位不是中小企业" in result.reasons[0]


def test_any_one_qualifying_spell_is_enough() -> None:
    spells = [job(date(2024, 3, 1), employer_is_sme=False), job()]
    assert outcome(youth(date(2003, 1, 1), employments=spells), SME).status == "eligible"


def test_stable_employment_needs_six_insured_months_by_default() -> None:
    facts = youth(date(2003, 1, 1), employments=[job(insured_months=5)])
    assert outcome(facts, SME).status == "ineligible"
    params = with_param("graduate_sme.require_insured_months", False, date(2025, 1, 1))
    assert outcome(facts, SME, params=params).status == "eligible"


def test_paid_once_per_person() -> None:
    earlier = ledger(
        {
            "policy_code": SME,
            "recipient_key": "me",
            "person_key": "me",
            "amount_fen": 300_000,
            "year": 2025,
            "awarded_on": date(2025, 8, 1),
        }
    )
    result = outcome(youth(date(2003, 1, 1), key="me"), SME, ledger=earlier)
    assert result.status == "ineligible"
    expected = (
        "已于 2025-08-01 享受「中小企业吸纳高校毕业生和青年一次性生活补贴」3000.00 元，不再重复发放"
    )
    assert result.reasons == (expected,)


def test_no_employment_is_ineligible_and_unknown_employment_needs_review() -> None:
    assert outcome(youth(date(2003, 1, 1), employments=[]), SME).reasons == ("没有就业经历",)
    unknown = outcome(youth(date(2003, 1, 1), employments=None), SME)
    assert unknown.status == "needs_review"
    assert unknown.missing == ("就业经历",)


def reserve(start: date, kind: str = "sme", **fields: Any) -> Any:
    return person(
        key="g-1",
        is_college_graduate=True,
        talent_reserve=TalentReserve(start_date=start, employer_kind=kind),
        **fields,
    )


def test_talent_reserve_pays_1000_per_month_served() -> None:
    result = outcome(reserve(date(2025, 1, 1)), RESERVE)
    assert result.amount_fen == 8 * 1000_00
    assert result.record.lines[0].steps == ("1000 × 8 个月 = 8000.00",)


def test_talent_reserve_stops_at_24_months() -> None:
    assert outcome(reserve(date(2023, 1, 1)), RESERVE).amount_fen == 24 * 1000_00


def test_talent_reserve_skips_months_already_paid() -> None:
    paid = {
        "policy_code": RESERVE,
        "recipient_key": "g-1",
        "person_key": "g-1",
        "year": 2025,
        "awarded_on": date(2025, 6, 1),
    }
    five = ledger({**paid, "amount_fen": 5000_00, "quantity": 5})
    assert outcome(reserve(date(2025, 1, 1)), RESERVE, ledger=five).amount_fen == 3 * 1000_00
    eight = ledger({**paid, "amount_fen": 8000_00, "quantity": 8})
    result = outcome(reserve(date(2025, 1, 1)), RESERVE, ledger=eight)
    assert result.status == "ineligible"
    assert result.notes == () and "没有可发放的月份" in result.reasons[0]


def test_talent_reserve_needs_an_sme_or_non_public_employer() -> None:
    assert outcome(reserve(date(2025, 1, 1), "non_public"), RESERVE).status == "eligible"
    result = outcome(reserve(date(2025, 1, 1), "other"), RESERVE)
    assert result.reasons == ("储备单位为其他，不是中小企业或非公有制企业",)


def test_talent_reserve_allowance_floor_is_enforced() -> None:
    with pytest.raises(InvalidParameter, match="低于方案规定的下限 1000"):
        with_param("talent_reserve.monthly_allowance", Decimal("999"), date(2025, 1, 1))
    raised = with_param("talent_reserve.monthly_allowance", Decimal("1200"), date(2025, 1, 1))
    assert outcome(reserve(date(2025, 1, 1)), RESERVE, params=raised).amount_fen == 8 * 1200_00


def _leaves(checks: Any) -> list[Any]:
    out = []
    for check in checks:
        out.append(check)
        out.extend(_leaves(check.children))
    return out
