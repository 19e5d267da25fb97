"""The catalogue (政策清单): completeness, data quality, filters."""

from __future__ import annotations

from datetime import date

import pytest

from app.policies.catalogue import Audience, UnknownPolicy, load_catalogue
from app.policies.engine.rules import RULES_BY_CODE

COMPUTABLE = {
    "hr-agency-referral": 5,
    "hr-agency-key-group-referral": 5,
    "graduate-sme-living": 10,
    "talent-reserve-living": 10,
    "internship": 11,
    "internship-insurance": 11,
    "internship-demo-unit-city": 11,
    "internship-demo-unit-region": 11,
    "public-welfare-post-raise": 13,
    "social-insurance-subsidy-employer": 13,
    "social-insurance-subsidy-flexible": 13,
    "vocational-training-subsidy": 13,
    "skills-evaluation-subsidy": 13,
    "labour-brand-region": 14,
    "labour-brand-city": 14,
    "training-employment-bonus": 17,
    "craftsman-award": 18,
    "training-brand-city": 19,
    "training-brand-region": 19,
    "skills-competition": 19,
    "incubator-award": 21,
    "graduate-startup-grant": 22,
    "graduate-startup-rolling": 22,
    "startup-one-time": 23,
    "startup-hiring-bonus": 23,
    "startup-3-year-bonus": 23,
}
INFORMATIONAL = {
    "tax-reduction": 4,
    "rent-reduction": 4,
    "inclusive-finance": 4,
    "startup-guaranteed-loan": 23,
    "job-stabilisation": 4,
    "nuanshangbao": 4,
    "enterprise-training-subsidy": 16,
    "minimum-living-allowance-taper": 15,
    "startup-space-free": 21,
    "public-sector-graduate-recruitment": 12,
    "beyond-retirement-age-services": 15,
}


def test_every_computable_row_is_in_the_catalogue_with_a_rule() -> None:
    catalogue = load_catalogue()
    computable = {p.code: p.clause for p in catalogue.policies if p.computable}
    assert computable == COMPUTABLE
    assert set(RULES_BY_CODE) == set(COMPUTABLE)


def test_informational_policies_are_listed() -> None:
    catalogue = load_catalogue()
    informational = {p.code: p.clause for p in catalogue.policies if not p.computable}
    assert INFORMATIONAL.items() <= informational.items()


def test_exclusion_groups() -> None:
    groups = {g.code: g.policy_codes for g in load_catalogue().exclusion_groups}
    assert groups == {
        "hr-referral-person": ("hr-agency-referral", "hr-agency-key-group-referral"),
        "internship-demo-unit": ("internship-demo-unit-city", "internship-demo-unit-region"),
        "labour-brand": ("labour-brand-region", "labour-brand-city"),
        "training-brand": ("training-brand-city", "training-brand-region"),
    }


def test_every_policy_is_complete_and_valid_until_2027_12_31() -> None:
    for policy in load_catalogue().policies:
        assert policy.valid_to == date(2027, 12, 31)
        assert policy.valid_from == date(2025, 1, 1)
        assert policy.source.document == "东胜区就业促进行动方案（征求意见稿）"
        assert policy.source.clause == policy.clause
        texts = [policy.title, policy.summary, policy.amount_text, policy.how_to_apply]
        assert all(texts) and policy.conditions and policy.materials and policy.source.excerpt
        assert 1 <= policy.clause <= 23


def test_once_only_policies() -> None:
    once = {p.code for p in load_catalogue().policies if p.once_per_beneficiary}
    assert once == {
        "graduate-sme-living",
        "internship-demo-unit-city",
        "internship-demo-unit-region",
        "labour-brand-region",
        "labour-brand-city",
        "training-employment-bonus",
        "craftsman-award",
        "training-brand-city",
        "training-brand-region",
        "skills-competition",
        "graduate-startup-grant",
        "graduate-startup-rolling",
        "startup-one-time",
        "startup-hiring-bonus",
        "startup-3-year-bonus",
    }


def test_filter_by_audience_includes_general_policies() -> None:
    catalogue = load_catalogue()
    graduate = {p.code for p in catalogue.filter(audience=Audience.GRADUATE)}
    assert {"graduate-sme-living", "startup-one-time", "craftsman-award"} <= graduate
    assert "hr-agency-referral" not in graduate
    strict = {p.code for p in catalogue.filter(audience=Audience.GRADUATE, include_general=False)}
    assert "craftsman-award" not in strict
    veteran = {p.code for p in catalogue.filter(audience=Audience.VETERAN, computable=False)}
    assert {"veteran-employment-support", "startup-space-free"} <= veteran


def test_filter_by_keyword() -> None:
    catalogue = load_catalogue()
    assert {p.code for p in catalogue.filter(keyword="见习示范")} == {
        "internship-demo-unit-city",
        "internship-demo-unit-region",
    }
    assert {p.code for p in catalogue.filter(keyword="暖商保")} == {"nuanshangbao"}
    assert len(catalogue.filter(keyword="  ")) == len(catalogue.policies)
    assert catalogue.filter(keyword="HR-AGENCY-REFERRAL")[0].code == "hr-agency-referral"


def test_unknown_policy() -> None:
    with pytest.raises(UnknownPolicy) as error:
        load_catalogue().get("nope")
    assert error.value.status_code == 404
    assert error.value.message == "未找到该政策"
