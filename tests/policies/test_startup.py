"""Clauses 22 and 23: graduate startup grants and founder subsidies."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from app.policies.engine import HeadcountRecord, StartupFacts
from tests.policies.factories import ledger, outcome, person, with_param

ONE_TIME, HIRING, THREE = "startup-one-time", "startup-hiring-bonus", "startup-3-year-bonus"
GRANT, ROLLING = "graduate-startup-grant", "graduate-startup-rolling"
FOUNDED = date(2022, 3, 1)
ONE_TIME_GAP = (
    "参数「一次性创业补贴（上级政策标准）」在 2025-09-01 没有已确定的取值，需工作人员核定"
)


def business(**fields: Any) -> StartupFacts:
    values: dict[str, Any] = {
        "first_time_founder": True,
        "business_type": "small_micro_enterprise",
        "founded_on": FOUNDED,
        "operating_normally": True,
        "employees_insured_12_months": 3,
        "headcount_history": [
            HeadcountRecord(as_of=FOUNDED, headcount=5),
            HeadcountRecord(as_of=date(2025, 3, 1), headcount=5),
        ],
    }
    values.update(fields)
    return StartupFacts(**values)


def founder(startup: StartupFacts | None = None, **fields: Any) -> Any:
    """A returning migrant worker who founded a small business (the simplest key group)."""
    values: dict[str, Any] = {
        "key": "f-1",
        "migrant_worker_returning": True,
        "startup": startup or business(),
    }
    values.update(fields)
    return person(**values)


def graduate_founder(left: date, founded: date) -> Any:
    return person(
        is_college_graduate=True,
        left_school_on=left,
        hard_to_employ=False,
        migrant_worker_returning=False,
        startup=business(founded_on=founded),
    )


def test_one_time_subsidy_needs_the_higher_level_figure() -> None:
    result = outcome(founder(), ONE_TIME)
    assert result.status == "needs_review"
    assert result.missing == (ONE_TIME_GAP,)
    assert result.amount_fen is None


def test_one_time_subsidy_once_staff_enter_it() -> None:
    params = with_param("startup.one_time_subsidy", Decimal("5000"), date(2025, 1, 1))
    assert outcome(founder(), ONE_TIME, params=params).amount_fen == 5000_00


def test_graduate_founding_2_years_after_school_is_a_key_group() -> None:
    result = outcome(graduate_founder(date(2023, 7, 1), date(2025, 7, 1)), ONE_TIME)
    assert result.status == "needs_review"  # eligible except the amount
    assert result.missing == (ONE_TIME_GAP,)


def test_graduate_founding_3_years_after_school_is_left_to_staff() -> None:
    """Clause 23's list ends in 等: outside the three named groups is "needs review", not "no"."""
    result = outcome(graduate_founder(date(2022, 7, 1), date(2025, 7, 1)), ONE_TIME)
    assert result.status == "needs_review"
    assert result.reasons == ()
    assert "是否属于其他重点群体（由工作人员认定）" in result.missing
    (note,) = result.notes
    assert note.startswith(
        "不属于第23条列明的离校 2 年内高校毕业生、就业困难人员、返乡入乡农牧民工"
    )
    assert "以“等”结尾" in note and "退役军人、残疾人" in note and note.endswith("由工作人员认定")
    key_group = next(c for c in result.record.checks if c.code == "key_group")
    assert "创办（2025-07-01）时离校已超过 2 年（2022-07-01 离校，3 年）" in str(key_group.children)


def test_not_first_time_or_wrong_business_type() -> None:
    result = outcome(founder(business(first_time_founder=False, business_type="other")), ONE_TIME)
    assert result.reasons == (
        "不是首次创办",
        "创办主体为其他，不是小微企业或个体工商户",
    )


def test_hiring_bonus_3_people_insured_a_year() -> None:
    assert outcome(founder(), HIRING).amount_fen == 20_000_00
    two = outcome(founder(business(employees_insured_12_months=2)), HIRING)
    assert two.reasons == ("缴纳社会保险满 1 年的带动就业人数 2 人，不足 3 人",)


def test_three_year_bonus_with_headcount_kept() -> None:
    result = outcome(founder(), THREE, on=date(2025, 3, 1))
    assert result.amount_fen == 20_000_00


def test_three_year_bonus_with_headcount_down() -> None:
    history = [
        HeadcountRecord(as_of=FOUNDED, headcount=5),
        HeadcountRecord(as_of=date(2025, 3, 1), headcount=4),
    ]
    result = outcome(founder(business(headcount_history=history)), THREE, on=date(2025, 3, 1))
    assert result.status == "ineligible"
    assert result.reasons == ("带动就业人数 2022-03-01 为 5 人，2025-03-01 为 4 人，减少了 1 人",)


def test_three_year_bonus_one_day_short() -> None:
    result = outcome(founder(), THREE, on=date(2025, 2, 28))
    assert result.reasons == ("2022-03-01 创办，至 2025-02-28 运营 2 年 11 个月，不满 3 年",)


def test_three_year_bonus_needs_two_headcount_records() -> None:
    one = [HeadcountRecord(as_of=FOUNDED, headcount=5)]
    result = outcome(founder(business(headcount_history=one)), THREE)
    assert result.missing == ("带动就业人数记录（创办初期与当前）",)


def test_founder_bonuses_are_once_only() -> None:
    paid = ledger(
        {
            "policy_code": HIRING,
            "recipient_key": "f-1",
            "person_key": "f-1",
            "amount_fen": 20_000_00,
            "year": 2024,
            "awarded_on": date(2024, 5, 1),
        }
    )
    assert outcome(founder(), HIRING, ledger=paid).status == "ineligible"
    assert outcome(founder(), THREE, ledger=paid).amount_fen == 20_000_00


@pytest.mark.parametrize(
    ("grade", "fen"), [(1, 50_000_00), (2, 100_000_00), (3, 150_000_00), (4, 200_000_00)]
)
def test_graduate_startup_grant_grades(grade: int, fen: int) -> None:
    facts = person(
        is_college_graduate=True,
        left_school_on=date(2021, 7, 1),
        startup=business(grant_grade=grade),
    )
    assert outcome(facts, GRANT).amount_fen == fen


def test_graduate_startup_grant_5_vs_6_years_after_graduating() -> None:
    facts = person(
        is_college_graduate=True,
        left_school_on=date(2020, 9, 1),
        startup=business(grant_grade=1),
    )
    assert outcome(facts, GRANT, on=date(2025, 9, 1)).status == "eligible"
    late = outcome(facts, GRANT, on=date(2025, 9, 2))
    assert late.status == "ineligible"
    assert late.reasons == ("申请（2025-09-02）时离校已超过 5 年（2020-09-01 离校，5 年）",)


def test_graduate_startup_grant_grade_decided_by_staff() -> None:
    facts = person(is_college_graduate=True, left_school_on=date(2023, 7, 1), startup=business())
    result = outcome(facts, GRANT)
    assert result.status == "needs_review"
    assert result.missing == ("资助档次（经评审确定）",)


def _granted(on: date) -> Any:
    return ledger(
        {
            "policy_code": GRANT,
            "recipient_key": "g-1",
            "person_key": "g-1",
            "amount_fen": 100_000_00,
            "year": on.year,
            "awarded_on": on,
        }
    )


def test_rolling_support_within_3_years_needs_a_staff_figure() -> None:
    facts = person(key="g-1", startup=business(growth_recognised=True))
    result = outcome(facts, ROLLING, ledger=_granted(date(2023, 1, 10)))
    assert result.status == "needs_review"
    assert result.missing == (
        "参数「创业项目滚动支持金额」在 2025-09-01 没有已确定的取值，需工作人员核定",
    )


def test_rolling_support_after_3_years_or_without_a_grant() -> None:
    facts = person(key="g-1", startup=business(growth_recognised=True))
    late = outcome(facts, ROLLING, ledger=_granted(date(2022, 8, 31)))
    assert late.reasons == ("2022-08-31 获得资助，已超过 3 年（至 2025-08-31）",)
    assert outcome(facts, ROLLING).reasons == ("尚未获得创业项目一次性资助",)
