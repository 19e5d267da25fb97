"""Clauses 13, 14, 18, 19, 21: flat raises and one-time awards."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.policies.engine import CompetitionPrize, InvalidParameter
from tests.policies.factories import ledger, org, outcome, person, run, with_param


def test_public_welfare_post_raise_is_300_a_month() -> None:
    result = outcome(person(holds_public_welfare_post=True), "public-welfare-post-raise")
    assert result.amount_fen == 300_00
    assert result.record.lines[0].steps == ("300 × 1 个月 = 300.00",)
    year = person(holds_public_welfare_post=True, public_welfare_post_months=12)
    assert outcome(year, "public-welfare-post-raise").amount_fen == 3600_00
    assert outcome(
        person(holds_public_welfare_post=False), "public-welfare-post-raise"
    ).reasons == ("不在公益性岗位",)


@pytest.mark.parametrize(
    ("levels", "region", "city"),
    [
        (["region"], 200_000_00, None),
        (["city"], None, 100_000_00),
        (["city", "region"], 200_000_00, None),
    ],
)
def test_labour_brand_region_and_city_are_exclusive(
    levels: list[str], region: int | None, city: int | None
) -> None:
    facts = org("enterprise", key="o-1", labour_brand_levels=levels)
    evaluation = run(facts, ("labour-brand-region", "labour-brand-city"))
    assert evaluation.outcome("labour-brand-region").amount_fen == region
    assert evaluation.outcome("labour-brand-city").amount_fen == city
    if len(levels) == 2:
        assert evaluation.outcome("labour-brand-city").superseded_by == "labour-brand-region"


def test_training_brand_region_supersedes_city() -> None:
    facts = org("training_provider", key="t-1", training_brand_levels=["city", "region"])
    evaluation = run(facts, ("training-brand-city", "training-brand-region"))
    assert evaluation.outcome("training-brand-region").amount_fen == 200_000_00
    assert evaluation.outcome("training-brand-city").superseded_by == "training-brand-region"
    city_only = org("training_provider", training_brand_levels=["city"])
    assert outcome(city_only, "training-brand-city").amount_fen == 100_000_00


def test_craftsman_award_once() -> None:
    assert outcome(person(ordos_craftsman=True), "craftsman-award").amount_fen == 50_000_00
    paid = ledger(
        {
            "policy_code": "craftsman-award",
            "recipient_key": "c-1",
            "person_key": "c-1",
            "amount_fen": 50_000_00,
            "year": 2025,
            "awarded_on": date(2025, 4, 1),
        }
    )
    again = outcome(person(key="c-1", ordos_craftsman=True), "craftsman-award", ledger=paid)
    assert again.status == "ineligible"


def prize(key: str, rank: int, level: str = "city") -> CompetitionPrize:
    return CompetitionPrize(competition_key=key, competition_level=level, rank=rank)


@pytest.mark.parametrize(("rank", "fen"), [(1, 50_000_00), (2, 30_000_00), (3, 20_000_00)])
def test_city_competition_prizes(rank: int, fen: int) -> None:
    result = outcome(person(competition_prizes=[prize("c-2025", rank)]), "skills-competition")
    assert result.amount_fen == fen


def test_only_city_competitions_and_one_award_per_competition() -> None:
    prizes = [prize("a", 1), prize("a", 3), prize("b", 2), prize("r", 1, "region")]
    result = outcome(person(competition_prizes=prizes), "skills-competition")
    assert result.amount_fen == 50_000_00 + 30_000_00
    assert result.notes == (
        "a 市级竞赛三等奖：同一竞赛只按最高等次奖励一次",
        "r 自治区级竞赛一等奖：获自治区级竞赛一等奖，本条仅奖励市级职业技能竞赛获奖者",
    )


def test_a_competition_already_rewarded_is_not_paid_again() -> None:
    paid = ledger(
        {
            "policy_code": "skills-competition",
            "recipient_key": "w-1",
            "person_key": "w-1",
            "item_key": "a",
            "amount_fen": 50_000_00,
            "year": 2025,
            "awarded_on": date(2025, 5, 1),
        }
    )
    facts = person(key="w-1", competition_prizes=[prize("a", 1), prize("b", 3)])
    assert outcome(facts, "skills-competition", ledger=paid).amount_fen == 20_000_00


def test_incubator_award_needs_staff_figures() -> None:
    facts = org("incubator", key="inc-1", incubator_grade=1)
    result = outcome(facts, "incubator-award")
    assert result.status == "needs_review"
    assert result.missing == (
        "参数「创业园（孵化基地）1 等奖补」在 2025-09-01 没有已确定的取值，需工作人员核定",
    )


def test_incubator_award_with_staff_figure_is_capped_per_year() -> None:
    params = with_param("incubator.grade_1_award", Decimal("400000"), date(2025, 1, 1))
    facts = org("incubator", key="inc-1", incubator_grade=1)
    assert outcome(facts, "incubator-award", params=params).amount_fen == 400_000_00
    paid = ledger(
        {
            "policy_code": "incubator-award",
            "recipient_key": "inc-1",
            "amount_fen": 300_000_00,
            "year": 2025,
            "awarded_on": date(2025, 2, 1),
        }
    )
    assert outcome(facts, "incubator-award", params=params, ledger=paid).amount_fen == 300_000_00


def test_incubator_grade_amount_may_not_exceed_600000() -> None:
    with pytest.raises(InvalidParameter, match="高于方案规定的上限 600000"):
        with_param("incubator.grade_1_award", Decimal("600001"), date(2025, 1, 1))


def test_incubator_award_only_for_incubators() -> None:
    result = outcome(org("enterprise", incubator_grade=1), "incubator-award")
    assert result.reasons == ("本政策仅限创业园（孵化基地）申请，当前单位类型为企业",)
