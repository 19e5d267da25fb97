"""Clause 17: training subsidy raised by 50% when the trainee gets a job.

``training-employment-bonus``: for each trainee who, within 6 months after the course ends, signs
a labour contract of >= 1 year and has social insurance paid, the hourly base training subsidy
is raised by 50%. This policy pays the *raise only* (hours × base hourly rate × 50%); the base
subsidy itself belongs to the vocational-training subsidy of higher-level policy. The base hourly
rate is not in the plan: an unverified parameter until staff enter it. Once per trainee per course.
"""

from __future__ import annotations

from decimal import Decimal

from app.policies.engine.checks import CheckResult, at_least, failed, flag, passed, unknown
from app.policies.engine.context import LineDraft, RuleContext
from app.policies.engine.dates import add_months, iso
from app.policies.engine.facts_org import Trainee, TrainingCourse
from app.policies.engine.money import fen_text, multiply, num_text, pct_text
from app.policies.engine.rule import PolicyRule
from app.policies.engine.rules.common import duplicate_check, require_list

TRAINING_BONUS = "training-employment-bonus"


def _hired_in_window(ctx: RuleContext, course: TrainingCourse, trainee: Trainee) -> CheckResult:
    months = ctx.count("training.hire_window_months")
    code, label = "hired_within", f"培训后 {months} 个月内签订劳动合同"
    signed = trainee.contract_signed_on
    if signed is None:
        return unknown(code, label, "劳动合同签订日期")
    limit = add_months(course.ended_on, months)
    text = f"培训 {iso(course.ended_on)} 结束，{iso(signed)} 签订劳动合同"
    if signed < course.ended_on:
        return failed(code, label, f"{text}，早于培训结束")
    if signed <= limit:
        return passed(code, label, f"{text}，在 {months} 个月内")
    return failed(code, label, f"{text}，超过 {months} 个月（截至 {iso(limit)}）")


def _trainee_checks(
    ctx: RuleContext, course: TrainingCourse, trainee: Trainee
) -> list[CheckResult]:
    return [
        _hired_in_window(ctx, course, trainee),
        at_least(
            "contract_1_year",
            "劳动合同 1 年及以上",
            trainee.contract_months,
            ctx.count("training.min_contract_months"),
            noun="劳动合同期限",
            unit="个月",
            missing="劳动合同期限",
        ),
        flag(
            "insured",
            "缴纳社会保险",
            trainee.insured,
            yes="已缴纳社会保险",
            no="未缴纳社会保险",
            missing="是否缴纳社会保险",
        ),
    ]


def _price(ctx: RuleContext, line: LineDraft, course: TrainingCourse) -> None:
    rate_use = ctx.lookup("training.base_hourly_rate", course.ended_on)
    uplift_use = ctx.lookup("training.employment_uplift_ratio")
    rate = ctx.number("training.base_hourly_rate", course.ended_on)
    uplift = ctx.number("training.employment_uplift_ratio")
    if rate is None or uplift is None:
        line.gaps.extend(use.gap() for use in (rate_use, uplift_use) if not use.usable)
        return
    line.gross_fen = multiply(Decimal(course.hours), rate, uplift)
    line.steps.append(
        f"{course.hours} 课时 × {num_text(rate)} 元 × {pct_text(uplift)} = "
        f"{fen_text(line.gross_fen)}"
    )


def training_bonus_body(ctx: RuleContext) -> None:
    """The 50% raise per trainee hired within 6 months, per course."""
    courses = ctx.org.training_courses
    if not require_list(ctx, courses, "courses", "培训班次") or courses is None:
        return
    for course in courses:
        seen: set[str] = set()
        for trainee in course.trainees:
            key = trainee.person_key
            line = LineDraft(
                label=f"班次 {course.course_key} 学员 {key}",
                beneficiary=key,
                person_key=key,
                item_key=course.course_key,
            )
            duplicate_check(line, seen, key, "学员")
            line.checks.extend(_trainee_checks(ctx, course, trainee))
            _price(ctx, line, course)
            ctx.lines.append(line)


RULES = (
    PolicyRule(TRAINING_BONUS, training_bonus_body, org_kinds=frozenset({"training_provider"})),
)
