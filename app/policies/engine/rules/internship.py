"""Clause 11: internship (就业见习) subsidies, intern insurance, demonstration-unit awards.

- ``internship``: per intern per month, >= 70% (parameter, floor enforced) of the autonomous
  region's category-1 monthly minimum wage *of that month*; 100% when the unit's retention at the
  end of the internship is >= 50%. An intern who signs a labour contract with the unit before the
  internship ends still earns the remaining months. Months already paid (ledger) are skipped,
  earliest first.
- ``internship-insurance``: comprehensive commercial insurance the bureau buys, <= 100 yuan per
  intern (ceiling enforced on the parameter).
- ``internship-demo-unit-city`` / ``-region``: 100,000 / 200,000 yuan once; 就高不重复.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.policies.engine.checks import CheckResult, failed, passed, unknown
from app.policies.engine.context import LineDraft, RuleContext
from app.policies.engine.dates import add_months, full_months, iso, months_served
from app.policies.engine.facts_org import Intern
from app.policies.engine.money import fen_text, multiply, num_text, pct_text, sum_step
from app.policies.engine.params import ParameterUse
from app.policies.engine.rule import PolicyRule
from app.policies.engine.rules.common import duplicate_check, recognition_award, require_list

INTERNSHIP = "internship"
INSURANCE = "internship-insurance"
DEMO_CITY = "internship-demo-unit-city"
DEMO_REGION = "internship-demo-unit-region"
MIN_WAGE = "min_wage.region_category_1"


def _retained(intern: Intern) -> bool | None:
    if intern.contract_signed_on is not None:
        return True
    if intern.left_on is not None:
        return False
    return intern.retained


def _share_text(part: int, whole: int) -> str:
    share = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))
    return f"{part}/{whole} = {num_text(share)}%"


def _retention(ctx: RuleContext, interns: list[Intern]) -> tuple[Decimal | None, CheckResult]:
    """The ratio of the minimum wage to pay, decided by the unit's retention rate."""
    code, label = "retention_rate", "见习期满留用率"
    standard = ctx.number("internship.standard_ratio")
    raised = ctx.number("internship.retained_ratio")
    threshold = ctx.number("internship.retention_threshold")
    if standard is None or raised is None or threshold is None:
        return None, unknown(code, label, "见习补贴标准参数")
    with_leavers = ctx.flag("internship.leavers_in_retention_denominator")
    cohort = [i for i in interns if with_leavers or i.left_on is None]
    sure = sum(1 for i in cohort if _retained(i) is True)
    maybe = sum(1 for i in cohort if _retained(i) is None)
    whole = len(cohort)
    at = f"达到 {pct_text(threshold)}"
    if whole and sure >= threshold * whole:
        text = f"留用 {_share_text(sure, whole)}，{at}，按最低工资标准的 {pct_text(raised)} 计发"
        return raised, passed(code, label, text)
    if not whole or sure + maybe < threshold * whole:
        shown = f"留用 {_share_text(sure, whole)}，未{at}" if whole else "没有见习期满的人员"
        text = f"{shown}，按最低工资标准的 {pct_text(standard)} 计发"
        return standard, passed(code, label, text)
    reason = f"已确认留用 {sure} 人，另有 {maybe} 人是否留用未填写，无法确定留用率能否{at}"
    return None, unknown(code, label, "见习人员是否留用", reason=reason)


def _months(ctx: RuleContext, intern: Intern, line: LineDraft) -> list[date]:
    """First days of the internship months to pay for this intern."""
    starts = [add_months(intern.start_date, i) for i in range(intern.agreed_months)]
    end = add_months(intern.start_date, intern.agreed_months)
    signed, left = intern.contract_signed_on, intern.left_on
    text = f"见习 {intern.agreed_months} 个月（{iso(intern.start_date)} 起）"
    if signed is not None and signed < end:
        remaining = intern.agreed_months - full_months(intern.start_date, signed)
        text += f"；见习期未满于 {iso(signed)} 签订劳动合同，剩余 {remaining} 个月按规定照发"
    elif left is not None and left < end:
        starts = starts[: months_served(intern.start_date, left)]
        text += f"；{iso(left)} 提前离开，按已满 {len(starts)} 个月计发"
    org_key = ctx.org.key
    paid = sum(
        e.quantity
        for e in ctx.ledger.about_person(intern.person_key, [INTERNSHIP])
        if e.recipient_key == org_key
    )
    if paid:
        text += f"；已发放 {paid} 个月"
    starts = starts[paid:]
    line.quantity = len(starts)
    if starts:
        line.checks.append(passed("months", "见习月数", f"{text}，本次计发 {len(starts)} 个月"))
    else:
        line.checks.append(failed("months", "见习月数", f"{text}，没有可计发的月份"))
    return starts


def _price(ctx: RuleContext, line: LineDraft, months: list[date], ratio: Decimal) -> None:
    """Each month at its own minimum wage; one arithmetic line per run of equal values."""
    runs: list[tuple[ParameterUse, list[date]]] = []
    for month in months:
        use = ctx.lookup(MIN_WAGE, month)
        if runs and runs[-1][0].effective_from == use.effective_from:
            runs[-1][1].append(month)
        else:
            runs.append((use, [month]))
    gaps = [use.gap() for use, _ in runs if not use.usable]
    if gaps:
        line.gaps.extend(dict.fromkeys(gaps))
        return
    parts = []
    for use, run in runs:
        wage = use.value
        assert isinstance(wage, Decimal)
        amount = multiply(wage, ratio, Decimal(len(run)))
        parts.append(amount)
        line.steps.append(
            f"{iso(run[0])} 起 {len(run)} 个月：{num_text(wage)} × {pct_text(ratio)} × "
            f"{len(run)} 个月 = {fen_text(amount)}"
        )
    line.gross_fen = sum(parts)
    if len(parts) > 1:
        line.steps.append(f"合计 {sum_step(parts)}")


def internship_body(ctx: RuleContext) -> None:
    """Per intern per month at the month's minimum wage × the ratio set by retention."""
    interns = ctx.org.interns
    if not require_list(ctx, interns, "interns", "见习人员名单") or interns is None:
        return
    ratio, retention = _retention(ctx, interns)
    ctx.checks.append(retention)
    seen: set[str] = set()
    for intern in interns:
        key = intern.person_key
        line = LineDraft(label=f"见习人员 {key}", beneficiary=key, person_key=key)
        duplicate_check(line, seen, key, "见习人员")
        months = _months(ctx, intern, line)
        if ratio is not None and months:
            _price(ctx, line, months, ratio)
        ctx.lines.append(line)


def insurance_body(ctx: RuleContext) -> None:
    """min(premium, 100 yuan) per intern."""
    interns = ctx.org.interns
    if not require_list(ctx, interns, "interns", "见习人员名单") or interns is None:
        return
    premium = ctx.org.intern_insurance_premium_fen
    cap = ctx.number("internship.insurance_cap")
    if premium is None:
        ctx.checks.append(unknown("premium", "保费", "综合商业保险每人保费"))
    seen: set[str] = set()
    for intern in interns:
        key = intern.person_key
        line = LineDraft(label=f"见习人员 {key}", beneficiary=key, person_key=key)
        duplicate_check(line, seen, key, "见习人员")
        if cap is None:
            line.gaps.append(ctx.lookup("internship.insurance_cap").gap())
        elif premium is not None:
            cap_fen = multiply(cap)
            line.gross_fen = min(premium, cap_fen)
            line.steps.append(
                f"保费 {fen_text(premium)} 与上限 {fen_text(cap_fen)} 取低 = "
                f"{fen_text(line.gross_fen)}"
            )
        ctx.lines.append(line)


RULES = (
    PolicyRule(INTERNSHIP, internship_body),
    PolicyRule(INSURANCE, insurance_body),
    PolicyRule(
        DEMO_CITY,
        recognition_award(
            lambda org: org.internship_demo_unit_levels,
            "city",
            "见习示范单位",
            "internship.demo_unit_city",
        ),
    ),
    PolicyRule(
        DEMO_REGION,
        recognition_award(
            lambda org: org.internship_demo_unit_levels,
            "region",
            "见习示范单位",
            "internship.demo_unit_region",
            name="自治区级及以上见习示范单位",
        ),
    ),
)
