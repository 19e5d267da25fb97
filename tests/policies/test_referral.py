"""Clause 5: HR agency referral subsidies (500 / person, 800 / key-group person, 500,000 cap)."""

from __future__ import annotations

from datetime import date

from app.policies.engine import Ledger, Referral
from tests.policies.factories import (
    agency,
    key_graduate,
    ledger,
    org,
    outcome,
    referral,
    run,
    with_param,
)

REF = "hr-agency-referral"
KEY = "hr-agency-key-group-referral"
BOTH = (REF, KEY)


def plain(n: int, start: int = 1) -> list[Referral]:
    return [referral(f"p-{i:03d}") for i in range(start, start + n)]


def keyed(n: int) -> list[Referral]:
    return [key_graduate(f"k-{i:03d}") for i in range(1, n + 1)]


def test_30_referrals_reach_the_threshold() -> None:
    result = outcome(agency(plain(30)), REF)
    assert result.status == "eligible"
    assert result.amount_fen == 30 * 500_00
    assert "合计 500.00 × 30 = 15000.00" in result.record.steps
    threshold = next(c for c in result.record.checks if c.code == "threshold")
    assert threshold.reason == "2025 年度成功推荐符合条件的人员 30 人，达到 30 人"


def test_29_referrals_fall_short() -> None:
    result = outcome(agency(plain(29)), REF)
    assert result.status == "ineligible"
    assert result.amount_fen is None
    assert "2025 年度成功推荐符合条件的人员 29 人，不足 30 人" in result.reasons


def test_40_referrals_with_5_key_group_graduates_split_500_and_800() -> None:
    evaluation = run(agency(plain(35) + keyed(5)), BOTH)
    standard, key = evaluation.outcome(REF), evaluation.outcome(KEY)
    assert standard.status == key.status == "eligible"
    assert standard.amount_fen == 35 * 500_00
    assert key.amount_fen == 5 * 800_00
    assert evaluation.total_eligible_fen == 21_500_00
    # key-group persons are paid 800 and never 500 as well
    assert len(evaluation.exclusions) == 5
    for resolution in evaluation.exclusions:
        assert resolution.group == "hr-referral-person"
        assert resolution.beneficiary.startswith("k-")
        assert resolution.granted_policy == KEY
        assert resolution.superseded == (REF,)
    paid = [
        line.beneficiary
        for o in (standard, key)
        for line in o.record.lines
        if line.status == "granted"
    ]
    assert len(paid) == len(set(paid)) == 40
    superseded = [line for line in standard.record.lines if line.status == "superseded"]
    assert {line.beneficiary for line in superseded} == {f"k-{i:03d}" for i in range(1, 6)}
    assert all(line.superseded_by == KEY for line in superseded)
    # the outcomes come highest first
    assert [o.policy_code for o in evaluation.outcomes] == [REF, KEY]


def test_key_group_persons_count_toward_the_threshold_by_default() -> None:
    evaluation = run(agency(plain(25) + keyed(5)), BOTH)
    assert evaluation.outcome(REF).amount_fen == 25 * 500_00
    assert evaluation.outcome(KEY).amount_fen == 5 * 800_00


def test_reading_key_group_not_counted_makes_25_plus_5_fall_short() -> None:
    params = with_param("hr_referral.key_group_counts_toward_threshold", False, date(2025, 1, 1))
    evaluation = run(agency(plain(25) + keyed(5)), BOTH, params=params)
    assert evaluation.outcome(REF).status == "ineligible"
    assert "2025 年度成功推荐符合条件的人员 25 人，不足 30 人" in evaluation.outcome(REF).reasons
    assert evaluation.outcome(KEY).amount_fen == 5 * 800_00


def test_cap_reached_mid_application_pays_a_partial_amount() -> None:
    earlier = ledger(
        {
            "policy_code": REF,
            "recipient_key": "agency-1",
            "amount_fen": 490_200_00,
            "year": 2025,
            "awarded_on": date(2025, 6, 30),
        }
    )
    result = outcome(agency(plain(30)), REF, ledger=earlier)
    assert result.status == "eligible"
    assert result.amount_fen == 9_800_00
    (cap,) = result.record.caps
    assert (cap.limit_fen, cap.already_paid_fen, cap.requested_fen, cap.granted_fen) == (
        500_000_00,
        490_200_00,
        15_000_00,
        9_800_00,
    )
    assert cap.steps[0].endswith("上限 500000.00 − 已发放 490200.00 = 可发放 9800.00")
    assert cap.steps[1] == "本次申请 15000.00，可发放 9800.00，超出上限部分 5200.00 不予发放"
    lines = result.record.lines
    assert [line.amount_fen for line in lines[:21]] == [500_00] * 19 + [300_00, 0]
    assert "500.00 减为 300.00" in lines[19].steps[-1]
    assert {line.status for line in lines[20:]} == {"capped"}


def test_cap_already_reached_makes_the_claim_ineligible() -> None:
    full = ledger(
        {
            "policy_code": REF,
            "recipient_key": "agency-1",
            "amount_fen": 500_000_00,
            "year": 2025,
            "awarded_on": date(2025, 6, 30),
        }
    )
    result = outcome(agency(plain(30)), REF, ledger=full)
    assert result.status == "ineligible"
    assert any("年度上限" in reason for reason in result.reasons)


def test_cap_of_an_earlier_year_does_not_count() -> None:
    last_year = ledger(
        {
            "policy_code": REF,
            "recipient_key": "agency-1",
            "amount_fen": 500_000_00,
            "year": 2024,
            "awarded_on": date(2024, 12, 30),
        }
    )
    assert outcome(agency(plain(30)), REF, ledger=last_year).amount_fen == 15_000_00


def _near_cap() -> Ledger:
    return ledger(
        {
            "policy_code": REF,
            "recipient_key": "agency-1",
            "amount_fen": 499_500_00,
            "year": 2025,
            "awarded_on": date(2025, 6, 30),
        }
    )


def test_cap_covers_the_800_row_by_default() -> None:
    evaluation = run(agency(plain(30) + keyed(2)), BOTH, ledger=_near_cap())
    assert evaluation.outcome(REF).amount_fen == 500_00
    key = evaluation.outcome(KEY)
    assert key.status == "ineligible"
    assert evaluation.total_eligible_fen == 500_00
    assert key.record.caps[0].policy_codes == (REF, KEY)


def test_reading_cap_only_on_the_500_row_pays_800_in_full() -> None:
    params = with_param("hr_referral.cap_covers_key_group", False, date(2025, 1, 1))
    evaluation = run(agency(plain(30) + keyed(2)), BOTH, ledger=_near_cap(), params=params)
    assert evaluation.outcome(REF).amount_fen == 500_00
    assert evaluation.outcome(KEY).amount_fen == 2 * 800_00


def test_a_person_listed_twice_is_counted_and_paid_once() -> None:
    listed = [*plain(30), referral("p-001")]
    result = outcome(agency(listed), REF)
    assert result.amount_fen == 30 * 500_00
    assert "推荐人员 p-001：同一人员在本次申报中重复出现，只计一次" in result.notes


def test_a_person_paid_before_from_the_group_is_not_paid_again() -> None:
    earlier = ledger(
        {
            "policy_code": KEY,
            "recipient_key": "agency-2",
            "person_key": "p-001",
            "amount_fen": 800_00,
            "year": 2025,
            "awarded_on": date(2025, 5, 10),
        }
    )
    result = outcome(agency(plain(30)), REF, ledger=earlier)
    assert result.amount_fen == 29 * 500_00
    assert any("p-001" in note and "不再发放" in note for note in result.notes)


def test_each_500_row_condition_excludes_the_person() -> None:
    failing = [
        referral("x-1", contract_months=11),
        referral("x-2", insured_months=2, insured_months_continuous=2),
        referral("x-3", first_labour_contract=False),
        referral("x-4", employer_in_district=False),
        referral("x-5", industrial_worker=False),
        referral("x-6", contract_signed_on=date(2024, 12, 31)),
    ]
    result = outcome(agency(plain(30) + failing), REF)
    assert result.amount_fen == 30 * 500_00
    expected = [
        "推荐人员 x-1：劳动合同期限 11 个月，不足 12 个月",
        "推荐人员 x-2：已缴纳社会保险 2 个月，不足 3 个月",
        "推荐人员 x-3：不是首次与我区企业签订劳动合同",
        "推荐人员 x-4：用工单位不是我区企业",
        "推荐人员 x-5：被推荐人员不是产业工人",
        "推荐人员 x-6：劳动合同于 2024-12-31 签订，不在 2025 年度内",
    ]
    assert list(result.notes) == expected


def test_a_missing_fact_that_could_reach_30_needs_review() -> None:
    result = outcome(agency([*plain(29), referral("p-x", contract_months=None)]), REF)
    assert result.status == "needs_review"
    assert "推荐人员 p-x：劳动合同期限" in result.missing


def test_key_group_graduate_2_years_after_school_qualifies() -> None:
    person = key_graduate("k-1", left_school_on=date(2023, 3, 1))
    result = outcome(agency([person]), KEY)
    assert result.status == "eligible"
    assert result.amount_fen == 800_00


def test_key_group_graduate_3_years_after_school_does_not() -> None:
    person = key_graduate("k-1", left_school_on=date(2022, 3, 1))
    result = outcome(agency([person]), KEY)
    assert result.status == "ineligible"
    assert result.reasons == (
        "推荐人员 k-1：签订劳动合同（2025-03-01）时离校已超过 2 年（2022-03-01 离校，3 年）",
    )


def test_key_group_needs_continuous_insurance() -> None:
    person = key_graduate("k-1", insured_months=5, insured_months_continuous=2)
    result = outcome(agency([person]), KEY)
    assert result.status == "ineligible"
    assert result.reasons == ("推荐人员 k-1：连续缴纳社会保险 2 个月，不足 3 个月",)


def test_long_term_unemployed_and_hard_to_employ_are_key_groups() -> None:
    people = [
        referral("l-1", key_group="long_term_unemployed", contract_months=6),
        referral("h-1", key_group="hard_to_employ", first_labour_contract=False),
    ]
    result = outcome(agency(people), KEY)
    assert result.amount_fen == 2 * 800_00


def test_no_key_group_person_means_the_800_row_is_ineligible() -> None:
    result = outcome(agency(plain(3)), KEY)
    assert result.status == "ineligible"


def test_only_hr_agencies_may_claim() -> None:
    facts = org("enterprise", key="e-1", referrals=plain(30))
    result = outcome(facts, REF)
    assert result.status == "ineligible"
    assert result.reasons == ("本政策仅限人力资源服务机构申请，当前单位类型为企业",)


def test_missing_referral_list_needs_review() -> None:
    result = outcome(org("hr_agency"), REF)
    assert result.status == "needs_review"
    assert result.missing == ("成功推荐人员名单",)


def test_an_undecided_key_group_person_holds_the_500_row_for_review() -> None:
    undecided = key_graduate("k-1", left_school_on=None)
    evaluation = run(agency([*plain(30), undecided]), BOTH)
    standard, key = evaluation.outcome(REF), evaluation.outcome(KEY)
    assert standard.status == key.status == "needs_review"
    assert standard.missing == (
        "推荐人员 k-1：按“就高不重复”，需待「人力资源服务机构推荐重点群体就业补贴」审核后确定发放哪一项",
    )
    assert key.missing == ("推荐人员 k-1：毕业（离校）日期",)
    (resolution,) = evaluation.exclusions
    assert (resolution.granted_policy, resolution.pending) == (None, (KEY,))
