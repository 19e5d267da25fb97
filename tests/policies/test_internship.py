"""Clause 11: internship subsidy, intern insurance, internship demonstration units."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from app.policies.engine import Intern, InvalidParameter
from tests.policies.factories import intern, ledger, org, outcome, run, with_param

INTERNSHIP = "internship"
INSURANCE = "internship-insurance"
CITY, REGION = "internship-demo-unit-city", "internship-demo-unit-region"
JAN = date(2025, 1, 1)
WAGE_GAP = (
    "参数「内蒙古自治区一类地区月最低工资标准」自 2025-12-01 起的取值 2380 尚未核实，需工作人员核定"
)


def unit(interns: list[Intern], **fields: Any) -> Any:
    return org("enterprise", key="unit-1", interns=interns, **fields)


def cohort(retained: int, total: int) -> list[Intern]:
    return [intern(f"i-{n:03d}", JAN, 3, retained=n < retained) for n in range(total)]


def test_three_months_at_70_percent_of_2270() -> None:
    result = outcome(unit([intern("i-1", JAN, 3, retained=False)]), INTERNSHIP)
    assert result.status == "eligible"
    assert result.amount_fen == 4767_00
    assert result.record.lines[0].steps == ("2025-01-01 起 3 个月：2270 × 70% × 3 个月 = 4767.00",)


def test_retention_49_percent_keeps_70_percent() -> None:
    result = outcome(unit(cohort(49, 100)), INTERNSHIP)
    assert result.amount_fen == 100 * 4767_00
    retention = next(c for c in result.record.checks if c.code == "retention_rate")
    assert retention.reason == "留用 49/100 = 49%，未达到 50%，按最低工资标准的 70% 计发"


def test_retention_50_percent_raises_to_100_percent() -> None:
    result = outcome(unit(cohort(50, 100)), INTERNSHIP)
    assert result.amount_fen == 100 * 6810_00
    retention = next(c for c in result.record.checks if c.code == "retention_rate")
    assert retention.reason == "留用 50/100 = 50%，达到 50%，按最低工资标准的 100% 计发"
    assert result.record.lines[0].steps == ("2025-01-01 起 3 个月：2270 × 100% × 3 个月 = 6810.00",)


def test_internship_spanning_the_minimum_wage_change_takes_each_months_value() -> None:
    result = outcome(unit([intern("i-1", date(2024, 10, 1), 6, retained=False)]), INTERNSHIP)
    assert result.amount_fen == 9128_00
    assert result.record.lines[0].steps == (
        "2024-10-01 起 2 个月：1980 × 70% × 2 个月 = 2772.00",
        "2024-12-01 起 4 个月：2270 × 70% × 4 个月 = 6356.00",
        "合计 2772.00 + 6356.00 = 9128.00",
    )
    used = {
        (u.effective_from, u.value) for u in result.record.parameters if u.key.startswith("min")
    }
    assert used == {(date(2021, 12, 1), Decimal("1980")), (date(2024, 12, 1), Decimal("2270"))}


def test_internship_month_starting_mid_month_takes_the_value_of_its_first_day() -> None:
    result = outcome(unit([intern("i-1", date(2024, 11, 15), 3, retained=False)]), INTERNSHIP)
    assert result.amount_fen == 1386_00 + 2 * 1589_00


def test_a_month_under_the_unverified_2380_needs_review() -> None:
    result = outcome(unit([intern("i-1", date(2025, 10, 1), 3, retained=False)]), INTERNSHIP)
    assert result.status == "needs_review"
    assert result.amount_fen is None
    assert result.missing == (f"见习人员 i-1：{WAGE_GAP}",)


def test_once_staff_verify_2380_the_new_months_use_it() -> None:
    params = with_param("min_wage.region_category_1", Decimal("2380"), date(2025, 12, 1))
    facts = unit([intern("i-1", date(2025, 10, 1), 3, retained=False)])
    result = outcome(facts, INTERNSHIP, params=params, on=date(2026, 1, 5))
    assert result.amount_fen == 2 * 1589_00 + 1666_00


def test_contract_signed_before_the_end_still_pays_the_remaining_months() -> None:
    early = intern("i-1", JAN, 6, contract_signed_on=date(2025, 3, 10))
    result = outcome(unit([early]), INTERNSHIP)
    assert result.amount_fen == 6 * 2270_00  # retained (1/1) -> 100%, all 6 months
    months = next(c for c in result.record.lines[0].checks if c.code == "months")
    assert months.reason == (
        "见习 6 个月（2025-01-01 起）；见习期未满于 2025-03-10 签订劳动合同，"
        "剩余 4 个月按规定照发，本次计发 6 个月"
    )


def test_an_intern_who_leaves_early_is_paid_for_completed_months() -> None:
    leaver = intern("i-1", JAN, 6, left_on=date(2025, 3, 20))
    result = outcome(unit([leaver]), INTERNSHIP)
    assert result.amount_fen == 2 * 1589_00
    retention = next(c for c in result.record.checks if c.code == "retention_rate")
    assert retention.reason == "没有见习期满的人员，按最低工资标准的 70% 计发"


def test_months_already_paid_are_skipped_earliest_first() -> None:
    paid = ledger(
        {
            "policy_code": INTERNSHIP,
            "recipient_key": "unit-1",
            "person_key": "i-1",
            "amount_fen": 2772_00,
            "year": 2024,
            "awarded_on": date(2024, 12, 20),
            "quantity": 2,
        }
    )
    facts = unit([intern("i-1", date(2024, 10, 1), 6, retained=False)])
    assert outcome(facts, INTERNSHIP, ledger=paid).amount_fen == 4 * 1589_00


def test_undecidable_retention_needs_review() -> None:
    interns = [
        intern("a", JAN, 3, retained=True),
        intern("b", JAN, 3, retained=False),
        intern("c", JAN, 3),
    ]
    result = outcome(unit(interns), INTERNSHIP)
    assert result.status == "needs_review"
    assert result.missing == ("见习人员是否留用",)


def test_internship_ratio_floor_is_enforced() -> None:
    with pytest.raises(InvalidParameter, match=r"低于方案规定的下限 0\.7"):
        with_param("internship.standard_ratio", Decimal("0.69"), JAN)
    params = with_param("internship.standard_ratio", Decimal("0.80"), JAN)
    facts = unit([intern("i-1", JAN, 3, retained=False)])
    assert outcome(facts, INTERNSHIP, params=params).amount_fen == 5448_00


def test_insurance_is_the_premium_up_to_100_per_intern() -> None:
    interns = cohort(0, 3)
    assert (
        outcome(unit(interns, intern_insurance_premium_fen=80_00), INSURANCE).amount_fen == 240_00
    )
    capped = outcome(unit(interns, intern_insurance_premium_fen=120_00), INSURANCE)
    assert capped.amount_fen == 300_00
    assert capped.record.lines[0].steps == ("保费 120.00 与上限 100.00 取低 = 100.00",)
    assert outcome(unit(interns), INSURANCE).status == "needs_review"


def test_insurance_ceiling_is_enforced() -> None:
    with pytest.raises(InvalidParameter, match="高于方案规定的上限 100"):
        with_param("internship.insurance_cap", Decimal("101"), JAN)


def test_demo_unit_region_level_supersedes_city_level() -> None:
    evaluation = run(unit([], internship_demo_unit_levels=["city", "region"]), (CITY, REGION))
    region, city = evaluation.outcome(REGION), evaluation.outcome(CITY)
    assert region.status == "eligible"
    assert region.amount_fen == 200_000_00
    assert city.status == "ineligible"
    assert city.superseded_by == REGION
    assert city.reasons == (
        "按“就高不重复”，由「自治区级及以上见习示范单位一次性奖励」（200000.00）替代",
    )
    (resolution,) = evaluation.exclusions
    assert (resolution.group, resolution.granted_policy, resolution.superseded) == (
        "internship-demo-unit",
        REGION,
        (CITY,),
    )


def test_demo_unit_city_level_only() -> None:
    evaluation = run(unit([], internship_demo_unit_levels=["city"]), (CITY, REGION))
    assert evaluation.outcome(CITY).amount_fen == 100_000_00
    assert evaluation.outcome(REGION).reasons == ("未获评自治区级及以上见习示范单位",)


def test_demo_unit_already_paid_at_city_level_is_not_paid_again() -> None:
    paid = ledger(
        {
            "policy_code": CITY,
            "recipient_key": "unit-1",
            "amount_fen": 100_000_00,
            "year": 2025,
            "awarded_on": date(2025, 3, 1),
        }
    )
    facts = unit([], internship_demo_unit_levels=["city", "region"])
    evaluation = run(facts, (CITY, REGION), ledger=paid)
    expected = (
        "已于 2025-03-01 享受「市级见习示范单位一次性奖励」100000.00 元，按“就高不重复”不再发放"
    )
    assert evaluation.outcome(REGION).reasons == (expected,)
    assert evaluation.outcome(CITY).reasons == (expected,)
    assert evaluation.total_eligible_fen == 0
