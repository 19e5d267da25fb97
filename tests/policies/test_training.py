"""Clause 17: the 50% raise of the hourly training subsidy when the trainee gets a job."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from app.policies.engine import Trainee, TrainingCourse
from tests.policies.factories import ledger, org, outcome, with_param

BONUS = "training-employment-bonus"
ENDED = date(2025, 3, 31)
RATE = with_param("training.base_hourly_rate", Decimal("10"), date(2025, 1, 1))


def trainee(key: str, signed: date | None = date(2025, 5, 10), **fields: Any) -> Trainee:
    values: dict[str, Any] = {"contract_signed_on": signed, "contract_months": 12, "insured": True}
    values.update(fields)
    return Trainee(person_key=key, **values)


def provider(*trainees: Trainee, kind: str = "training_provider") -> Any:
    course = TrainingCourse(course_key="c-1", hours=80, ended_on=ENDED, trainees=list(trainees))
    return org(kind, key="tp-1", training_courses=[course])


def test_base_rate_is_unverified_so_staff_review() -> None:
    result = outcome(provider(trainee("t-1")), BONUS)
    assert result.status == "needs_review"
    assert result.missing == (
        "班次 c-1 学员 t-1：参数「职业培训课时基准补贴标准（元/课时）」在 2025-03-31 "
        "没有已确定的取值，需工作人员核定",
    )


def test_raise_is_hours_times_rate_times_50_percent() -> None:
    result = outcome(provider(trainee("t-1"), trainee("t-2")), BONUS, params=RATE)
    assert result.amount_fen == 2 * 400_00
    assert result.record.lines[0].steps == ("80 课时 × 10 元 × 50% = 400.00",)


def test_contract_within_6_months_after_training() -> None:
    on_limit = trainee("t-1", date(2025, 9, 30))
    late = trainee("t-2", date(2025, 10, 1))
    before = trainee("t-3", date(2025, 3, 30))
    result = outcome(provider(on_limit, late, before), BONUS, params=RATE)
    assert result.amount_fen == 400_00
    assert result.notes == (
        "班次 c-1 学员 t-2：培训 2025-03-31 结束，2025-10-01 签订劳动合同，超过 6 个月（截至 2025-09-30）",
        "班次 c-1 学员 t-3：培训 2025-03-31 结束，2025-03-30 签订劳动合同，早于培训结束",
    )


def test_contract_of_at_least_a_year_with_social_insurance() -> None:
    short = trainee("t-1", contract_months=11)
    uninsured = trainee("t-2", insured=False)
    result = outcome(provider(short, uninsured), BONUS, params=RATE)
    assert result.status == "ineligible"
    assert result.reasons == (
        "班次 c-1 学员 t-1：劳动合同期限 11 个月，不足 12 个月",
        "班次 c-1 学员 t-2：未缴纳社会保险",
    )


def test_once_per_trainee_and_course() -> None:
    paid = ledger(
        {
            "policy_code": BONUS,
            "recipient_key": "tp-1",
            "person_key": "t-1",
            "item_key": "c-1",
            "amount_fen": 400_00,
            "year": 2025,
            "awarded_on": date(2025, 8, 1),
        }
    )
    result = outcome(provider(trainee("t-1"), trainee("t-2")), BONUS, params=RATE, ledger=paid)
    assert result.amount_fen == 400_00


def test_only_training_providers_claim() -> None:
    result = outcome(provider(trainee("t-1"), kind="enterprise"), BONUS, params=RATE)
    assert result.reasons == ("本政策仅限培训机构申请，当前单位类型为企业",)
