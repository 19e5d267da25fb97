"""Clause 10: living allowances for graduates and young people employed in district SMEs.

- ``graduate-sme-living``: 3,000 yuan, once, for a graduating-year graduate, a graduate <= 2
  years after leaving school and unemployed, or a registered unemployed young person aged 16–24,
  stably employed >= 6 months in a district SME. The category is judged on the day the job
  started; any one employment spell that meets every condition is enough.
- ``talent-reserve-living``: >= 1,000 yuan per month (parameter, floor enforced) for a graduate
  in an SME / non-public enterprise talent reserve plan, for at most the 24 months of the reserve
  period, less months already paid.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from app.policies.engine.checks import (
    CheckResult,
    all_of,
    any_of,
    at_least,
    failed,
    flag,
    one_of,
    passed,
    unknown,
    verdict,
)
from app.policies.engine.context import LineDraft, RuleContext
from app.policies.engine.dates import add_months, full_months, iso, months_served
from app.policies.engine.facts_person import EmploymentSpell, PersonFacts
from app.policies.engine.money import fen_text, multiply, num_text
from app.policies.engine.rule import PolicyRule
from app.policies.engine.rules.common import age_between, left_school_within

GRADUATE_SME = "graduate-sme-living"
TALENT_RESERVE = "talent-reserve-living"


def _college(person: PersonFacts) -> CheckResult:
    return flag(
        "college_graduate",
        "高校毕业生",
        person.is_college_graduate,
        yes="是高校毕业生",
        no="不是高校毕业生",
        missing="是否为高校毕业生",
    )


def _graduating_year(person: PersonFacts, spell: EmploymentSpell) -> CheckResult:
    code, label = "graduating_year", "毕业年度"
    left = person.left_school_on
    if left is None:
        year_check = unknown(code, label, "毕业（离校）日期")
    else:
        year_check = verdict(
            left.year == spell.start_date.year,
            code,
            label,
            f"{left.year} 年毕业，于毕业年度内（{iso(spell.start_date)}）入职",
            f"{left.year} 年毕业，{iso(spell.start_date)} 入职时已不在毕业年度",
        )
    return all_of("graduating_year_graduate", "毕业年度高校毕业生", [_college(person), year_check])


def _recent_graduate(ctx: RuleContext, person: PersonFacts, spell: EmploymentSpell) -> CheckResult:
    years = ctx.count("graduate_sme.graduate_years")
    within = left_school_within(
        "left_school_within",
        person.left_school_on,
        spell.start_date,
        years,
        event="入职",
        at_missing="入职日期",
    )
    idle = flag(
        "unemployed_since_school",
        "离校后未就业",
        person.unemployed_since_leaving_school,
        yes="离校后至入职前未就业",
        no="离校后入职前曾经就业",
        missing="离校后是否未就业",
    )
    return all_of(
        "recent_graduate", f"离校 {years} 年内未就业高校毕业生", [_college(person), within, idle]
    )


def _registered_youth(ctx: RuleContext, person: PersonFacts, spell: EmploymentSpell) -> CheckResult:
    low, high = ctx.count("graduate_sme.youth_min_age"), ctx.count("graduate_sme.youth_max_age")
    age = age_between("youth_age", person, spell.start_date, ctx.on, low, high, when="入职时")
    registered = flag(
        "registered_unemployed",
        "登记失业",
        person.registered_unemployed,
        yes="入职前为登记失业人员",
        no="入职前不是登记失业人员",
        missing="是否登记失业",
    )
    return all_of("registered_youth", f"{low}—{high} 岁登记失业青年", [age, registered])


def _district_sme(spell: EmploymentSpell) -> list[CheckResult]:
    return [
        flag(
            "employer_in_district",
            "我区企业",
            spell.employer_in_district,
            yes="用人单位为我区企业",
            no="用人单位不是我区企业",
            missing="用人单位是否为我区企业",
        ),
        flag(
            "employer_sme",
            "中小企业",
            spell.employer_is_sme,
            yes="用人单位为中小企业",
            no="用人单位不是中小企业",
            missing="用人单位是否为中小企业",
        ),
    ]


def _stable(ctx: RuleContext, spell: EmploymentSpell) -> list[CheckResult]:
    """>= 6 months employed (and, by the default reading, >= 6 months insured)."""
    need = ctx.count("graduate_sme.min_months")
    if spell.end_date is not None:
        months = months_served(spell.start_date, spell.end_date)
    else:
        months = full_months(spell.start_date, ctx.on)
    label = f"稳定就业 {need} 个月以上"
    checks = [
        at_least(
            "employed_months", label, months, need, noun="已就业", unit="个月", missing="入职日期"
        )
    ]
    if ctx.flag("graduate_sme.require_insured_months"):
        checks.append(
            at_least(
                "insured_months",
                "缴纳社会保险",
                spell.insured_months,
                need,
                noun="已缴纳社会保险",
                unit="个月",
                missing="社会保险缴纳月数",
            )
        )
    return checks


def _spell_check(ctx: RuleContext, index: int, spell: EmploymentSpell) -> CheckResult:
    person = ctx.person
    category = any_of(
        "category",
        "人员类别",
        [
            _graduating_year(person, spell),
            _recent_graduate(ctx, person, spell),
            _registered_youth(ctx, person, spell),
        ],
    )
    checks = [category, *_district_sme(spell), *_stable(ctx, spell)]
    label = f"就业经历 {index}（{iso(spell.start_date)} 入职）"
    return all_of(f"employment_{index}", label, checks)


def graduate_sme_body(ctx: RuleContext) -> None:
    """3,000 yuan once when any employment spell meets every condition."""
    person = ctx.person
    spells = person.employments
    if spells is None:
        ctx.checks.append(unknown("employment", "在我区中小企业稳定就业", "就业经历"))
    elif not spells:
        ctx.checks.append(failed("employment", "在我区中小企业稳定就业", "没有就业经历"))
    else:
        children = [_spell_check(ctx, i, spell) for i, spell in enumerate(spells, 1)]
        ctx.checks.append(any_of("employment", "在我区中小企业稳定就业", children))
    line = LineDraft(label="本人", person_key=person.key)
    ctx.pay_fixed(line, "graduate_sme.amount", "一次性生活补贴标准")
    ctx.lines.append(line)


def _reserve_months(ctx: RuleContext, line: LineDraft) -> CheckResult:
    reserve = ctx.person.talent_reserve
    assert reserve is not None
    limit = ctx.count("talent_reserve.max_months")
    period_end = add_months(reserve.start_date, limit)
    until = (
        ctx.on if reserve.end_date is None else min(ctx.on, reserve.end_date + timedelta(days=1))
    )
    served = min(full_months(reserve.start_date, min(until, period_end)), limit)
    key = ctx.person.key
    paid = sum(e.quantity for e in ctx.ledger.about_person(key, [TALENT_RESERVE])) if key else 0
    payable = max(served - paid, 0)
    line.quantity = payable
    label = f"储备期 {limit} 个月内"
    text = f"储备期内已满 {served} 个月，已发放 {paid} 个月"
    if payable > 0:
        return passed("reserve_months", label, f"{text}，本次可发放 {payable} 个月")
    return failed("reserve_months", label, f"{text}，没有可发放的月份")


def talent_reserve_body(ctx: RuleContext) -> None:
    """Monthly allowance for the reserve months not yet paid (at most 24)."""
    person = ctx.person
    ctx.checks.append(_college(person))
    line = LineDraft(label="本人", person_key=person.key)
    reserve = person.talent_reserve
    if reserve is None:
        ctx.checks.append(unknown("talent_reserve", "人才储备计划", "人才储备计划参加情况"))
        ctx.lines.append(line)
        return
    ctx.checks.append(
        one_of(
            "reserve_employer",
            "储备单位类型",
            reserve.employer_kind,
            {"sme": "中小企业", "non_public": "非公有制企业"},
            noun="储备单位",
            missing="储备单位类型",
        )
    )
    line.checks.append(_reserve_months(ctx, line))
    monthly = ctx.number("talent_reserve.monthly_allowance")
    if monthly is None:
        line.gaps.append(ctx.lookup("talent_reserve.monthly_allowance").gap())
    elif line.quantity > 0:
        line.gross_fen = multiply(monthly, Decimal(line.quantity))
        line.steps.append(
            f"{num_text(monthly)} × {line.quantity} 个月 = {fen_text(line.gross_fen)}"
        )
    ctx.lines.append(line)


RULES = (
    PolicyRule(GRADUATE_SME, graduate_sme_body),
    PolicyRule(TALENT_RESERVE, talent_reserve_body),
)
