"""Dated parameters: golden values, dated lookups, floors and ceilings, verification."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.policies.engine import (
    DatedValue,
    InvalidParameter,
    ParameterDefinition,
    ParameterSet,
    default_parameters,
)

# Every figure the plan fixes. A change to any amount, cap, threshold or reading fails here.
GOLDEN: dict[str, Decimal | bool | None] = {
    "min_wage.region_category_1": Decimal("2270"),
    "hr_referral.amount_per_person": Decimal("500"),
    "hr_referral.threshold_persons": Decimal("30"),
    "hr_referral.min_contract_months": Decimal("12"),
    "hr_referral.min_insured_months": Decimal("3"),
    "hr_referral.cap_per_agency": Decimal("500000"),
    "hr_referral.cap_covers_key_group": True,
    "hr_referral.key_group_counts_toward_threshold": True,
    "hr_referral.key_group_amount": Decimal("800"),
    "hr_referral.graduate_years": Decimal("2"),
    "graduate_sme.amount": Decimal("3000"),
    "graduate_sme.min_months": Decimal("6"),
    "graduate_sme.graduate_years": Decimal("2"),
    "graduate_sme.youth_min_age": Decimal("16"),
    "graduate_sme.youth_max_age": Decimal("24"),
    "graduate_sme.require_insured_months": True,
    "talent_reserve.monthly_allowance": Decimal("1000"),
    "talent_reserve.max_months": Decimal("24"),
    "internship.standard_ratio": Decimal("0.70"),
    "internship.retained_ratio": Decimal("1.00"),
    "internship.retention_threshold": Decimal("0.50"),
    "internship.leavers_in_retention_denominator": False,
    "internship.insurance_cap": Decimal("100"),
    "internship.demo_unit_city": Decimal("100000"),
    "internship.demo_unit_region": Decimal("200000"),
    "public_welfare_post.monthly_raise": Decimal("300"),
    "labour_brand.region": Decimal("200000"),
    "labour_brand.city": Decimal("100000"),
    "craftsman.award": Decimal("50000"),
    "training_brand.city": Decimal("100000"),
    "training_brand.region": Decimal("200000"),
    "skills_competition.first": Decimal("50000"),
    "skills_competition.second": Decimal("30000"),
    "skills_competition.third": Decimal("20000"),
    "incubator.cap": Decimal("600000"),
    "incubator.grade_1_award": None,
    "incubator.grade_2_award": None,
    "incubator.grade_3_award": None,
    "training.base_hourly_rate": None,
    "training.employment_uplift_ratio": Decimal("0.50"),
    "training.hire_window_months": Decimal("6"),
    "training.min_contract_months": Decimal("12"),
    "graduate_startup.grade_1": Decimal("50000"),
    "graduate_startup.grade_2": Decimal("100000"),
    "graduate_startup.grade_3": Decimal("150000"),
    "graduate_startup.grade_4": Decimal("200000"),
    "graduate_startup.max_years_since_graduation": Decimal("5"),
    "graduate_startup.rolling_window_years": Decimal("3"),
    "graduate_startup.rolling_amount": None,
    "startup.one_time_subsidy": None,
    "assistance.social_insurance_flexible": None,
    "assistance.social_insurance_employer": None,
    "assistance.vocational_training": None,
    "assistance.skills_evaluation": None,
    "startup.graduate_years": Decimal("2"),
    "startup.hiring_min_employees": Decimal("3"),
    "startup.hiring_bonus": Decimal("20000"),
    "startup.min_operating_years": Decimal("3"),
    "startup.three_year_bonus": Decimal("20000"),
}
FLOORS = {
    "talent_reserve.monthly_allowance": Decimal("1000"),
    "internship.standard_ratio": Decimal("0.70"),
    "internship.retained_ratio": Decimal("1.00"),
}
CEILINGS = {
    "hr_referral.cap_per_agency": Decimal("500000"),
    "internship.retention_threshold": Decimal("0.50"),
    "internship.insurance_cap": Decimal("100"),
    "incubator.cap": Decimal("600000"),
    "incubator.grade_1_award": Decimal("600000"),
    "incubator.grade_2_award": Decimal("600000"),
    "incubator.grade_3_award": Decimal("600000"),
}


def test_golden_parameter_values() -> None:
    params = default_parameters()
    on = date(2025, 9, 1)
    assert {d.key: params.lookup(d.key, on).value for d in params.definitions} == GOLDEN
    assert {d.key: d.floor for d in params.definitions if d.floor is not None} == FLOORS
    assert {d.key: d.ceiling for d in params.definitions if d.ceiling is not None} == CEILINGS


def test_unverified_parameters_are_exactly_those_the_plan_leaves_open() -> None:
    params = default_parameters()
    unverified = {
        (d.key, v.effective_from) for d in params.definitions for v in d.values if not v.verified
    }
    assert unverified == {
        ("min_wage.region_category_1", date(2025, 12, 1)),
        ("incubator.grade_1_award", date(2025, 1, 1)),
        ("incubator.grade_2_award", date(2025, 1, 1)),
        ("incubator.grade_3_award", date(2025, 1, 1)),
        ("training.base_hourly_rate", date(2025, 1, 1)),
        ("graduate_startup.rolling_amount", date(2025, 1, 1)),
        ("startup.one_time_subsidy", date(2025, 1, 1)),
        ("assistance.social_insurance_flexible", date(2025, 1, 1)),
        ("assistance.social_insurance_employer", date(2025, 1, 1)),
        ("assistance.vocational_training", date(2025, 1, 1)),
        ("assistance.skills_evaluation", date(2025, 1, 1)),
    }


@pytest.mark.parametrize(
    ("day", "value", "usable"),
    [
        (date(2021, 11, 30), None, False),
        (date(2021, 12, 1), Decimal("1980"), True),
        (date(2024, 11, 30), Decimal("1980"), True),
        (date(2024, 12, 1), Decimal("2270"), True),
        (date(2025, 11, 30), Decimal("2270"), True),
        (date(2025, 12, 1), Decimal("2380"), False),
    ],
)
def test_minimum_wage_is_looked_up_for_its_date(day: date, value: Decimal, usable: bool) -> None:
    use = default_parameters().lookup("min_wage.region_category_1", day)
    assert (use.value, use.usable) == (value, usable)
    if value == Decimal("2270"):
        assert "2024-11-13 印发" in use.source


def _definition(**fields: object) -> ParameterDefinition:
    values = fields.pop("values", None) or (
        DatedValue(effective_from=date(2025, 1, 1), value=Decimal("1"), verified=True, source="s"),
    )
    return ParameterDefinition(key="k", title="测试参数", unit="yuan", values=values, **fields)


def test_shape_errors_are_rejected_when_the_set_is_built() -> None:
    unverified_empty = DatedValue(effective_from=date(2025, 1, 1), verified=True, source="s")
    with pytest.raises(InvalidParameter, match="标记为已核实但没有取值"):
        ParameterSet([_definition(values=(unverified_empty,))])
    flag = DatedValue(effective_from=date(2025, 1, 1), value=True, verified=True, source="s")
    with pytest.raises(InvalidParameter, match="取值类型与单位不符"):
        ParameterSet([_definition(values=(flag,))])
    with pytest.raises(InvalidParameter, match="重复定义"):
        ParameterSet([_definition(), _definition()])
    with pytest.raises(InvalidParameter, match="低于方案规定的下限"):
        ParameterSet([_definition(floor=Decimal("2"))])


def test_with_value_replaces_a_date_and_changes_the_digest() -> None:
    params = default_parameters()
    changed = params.with_value(
        "startup.one_time_subsidy", Decimal("5000"), effective_from=date(2025, 1, 1), source="录入"
    )
    use = changed.lookup("startup.one_time_subsidy", date(2025, 9, 1))
    assert (use.value, use.verified, use.source) == (Decimal("5000"), True, "录入")
    assert len(changed.definition("startup.one_time_subsidy").values) == 1
    assert changed.digest != params.digest
    assert params.lookup("startup.one_time_subsidy", date(2025, 9, 1)).value is None
