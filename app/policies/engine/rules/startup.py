"""Clauses 22 and 23: support for founders.

- ``graduate-startup-grant`` (22): a graduate <= 5 years after graduating gets 50,000 / 100,000
  / 150,000 / 200,000 yuan once, by the grade staff decide (technology content, social benefit).
- ``graduate-startup-rolling`` (22): one rolling round within 3 years after that grant for a
  project recognised for growth; amount not set by the plan (unverified parameter).
- ``startup-one-time`` (23): the higher-level one-time startup subsidy (amount not in the plan:
  unverified parameter) for a first-time founder of a small/micro enterprise or individual
  business who is a graduate <= 2 years after leaving school, a hard-to-employ person, or a
  returning farmer/herder migrant worker (status on the founding date). The plan's list ends in
  等 ("……等重点群体"), so it is open: a founder outside the three named groups is "needs review"
  (staff decide whether they belong to another key group), never "ineligible".
- ``startup-hiring-bonus`` (23): +20,000 yuan once when that founder employs >= 3 people insured
  for >= 1 year.
- ``startup-3-year-bonus`` (23): +20,000 yuan once when that founder's business has operated
  normally >= 3 years and its headcount has not decreased (latest record >= earliest record).
"""

from __future__ import annotations

from app.policies.engine.checks import (
    CheckResult,
    all_of,
    at_least,
    failed,
    flag,
    one_of,
    passed,
    unknown,
)
from app.policies.engine.context import LineDraft, RuleContext
from app.policies.engine.dates import add_years, full_years, iso
from app.policies.engine.facts_person import StartupFacts
from app.policies.engine.rule import PolicyRule
from app.policies.engine.rules.common import left_school_within, open_group, span_text

GRANT = "graduate-startup-grant"
ROLLING = "graduate-startup-rolling"
ONE_TIME = "startup-one-time"
HIRING = "startup-hiring-bonus"
THREE_YEAR = "startup-3-year-bonus"


def _college(ctx: RuleContext) -> CheckResult:
    return flag(
        "college_graduate",
        "高校毕业生",
        ctx.person.is_college_graduate,
        yes="是高校毕业生",
        no="不是高校毕业生",
        missing="是否为高校毕业生",
    )


def _startup(ctx: RuleContext) -> StartupFacts | None:
    startup = ctx.person.startup
    if startup is None:
        ctx.checks.append(unknown("startup", "创业情况", "创业情况"))
    return startup


def _key_group(ctx: RuleContext, startup: StartupFacts) -> CheckResult:
    person = ctx.person
    years = ctx.count("startup.graduate_years")
    graduate = all_of(
        "recent_graduate",
        f"离校 {years} 年内高校毕业生",
        [
            _college(ctx),
            left_school_within(
                "left_school_within",
                person.left_school_on,
                startup.founded_on,
                years,
                event="创办",
                at_missing="登记注册日期",
            ),
        ],
    )
    hard = flag(
        "hard_to_employ",
        "就业困难人员",
        person.hard_to_employ,
        yes="为就业困难人员",
        no="不是就业困难人员",
        missing="是否为就业困难人员",
    )
    migrant = flag(
        "returning_migrant",
        "返乡入乡农牧民工",
        person.migrant_worker_returning,
        yes="为返乡入乡农牧民工",
        no="不是返乡入乡农牧民工",
        missing="是否为返乡入乡农牧民工",
    )
    return open_group(
        "key_group", "重点群体", [graduate, hard, migrant], clause=23, others="退役军人、残疾人"
    )


def _founder_checks(ctx: RuleContext) -> StartupFacts | None:
    """Clause 23's founder conditions, shared by its three rows."""
    startup = _startup(ctx)
    if startup is None:
        return None
    ctx.checks.append(
        flag(
            "first_time_founder",
            "首次创业",
            startup.first_time_founder,
            yes="首次创办",
            no="不是首次创办",
            missing="是否首次创业",
        )
    )
    ctx.checks.append(
        one_of(
            "business_type",
            "创办主体",
            startup.business_type,
            {"small_micro_enterprise": "小微企业", "individual_business": "个体工商户"},
            noun="创办主体",
            missing="创办主体类型",
        )
    )
    ctx.checks.append(_key_group(ctx, startup))
    return startup


def _pay(ctx: RuleContext, param: str, label: str) -> None:
    line = LineDraft(label="本人", person_key=ctx.person.key)
    ctx.pay_fixed(line, param, label)
    ctx.lines.append(line)


def one_time_body(ctx: RuleContext) -> None:
    _founder_checks(ctx)
    _pay(ctx, "startup.one_time_subsidy", "一次性创业补贴（上级政策标准）")


def hiring_body(ctx: RuleContext) -> None:
    startup = _founder_checks(ctx)
    if startup is not None:
        ctx.checks.append(
            at_least(
                "employees_insured",
                "带动就业 3 人以上并缴纳社会保险一年以上",
                startup.employees_insured_12_months,
                ctx.count("startup.hiring_min_employees"),
                noun="缴纳社会保险满 1 年的带动就业人数",
                unit="人",
                missing="缴纳社会保险满 1 年的带动就业人数",
            )
        )
    _pay(ctx, "startup.hiring_bonus", "一次性创业带动就业补贴")


def _operating_years(ctx: RuleContext, startup: StartupFacts) -> CheckResult:
    need = ctx.count("startup.min_operating_years")
    label = f"正常运营 {need} 年以上"
    founded = startup.founded_on
    if founded is None:
        return unknown("operating_years", label, "登记注册日期")
    years = full_years(founded, ctx.on)
    text = f"{iso(founded)} 创办，至 {iso(ctx.on)} 运营 {span_text(founded, ctx.on)}"
    if years >= need:
        return passed("operating_years", label, f"{text}，满 {need} 年")
    return failed("operating_years", label, f"{text}，不满 {need} 年")


def _headcount(startup: StartupFacts) -> CheckResult:
    code, label = "headcount_kept", "带动就业人数未减少"
    history = startup.headcount_history
    if history is None or len(history) < 2:
        return unknown(code, label, "带动就业人数记录（创办初期与当前）")
    ordered = sorted(history, key=lambda r: r.as_of)
    first, last = ordered[0], ordered[-1]
    text = (
        f"带动就业人数 {iso(first.as_of)} 为 {first.headcount} 人，"
        f"{iso(last.as_of)} 为 {last.headcount} 人"
    )
    if last.headcount >= first.headcount:
        return passed(code, label, f"{text}，未减少")
    return failed(code, label, f"{text}，减少了 {first.headcount - last.headcount} 人")


def three_year_body(ctx: RuleContext) -> None:
    startup = _founder_checks(ctx)
    if startup is not None:
        ctx.checks.append(
            flag(
                "operating_normally",
                "正常经营",
                startup.operating_normally,
                yes="正常经营",
                no="未正常经营",
                missing="是否正常经营",
            )
        )
        ctx.checks.append(_operating_years(ctx, startup))
        ctx.checks.append(_headcount(startup))
    _pay(ctx, "startup.three_year_bonus", "正常运营满 3 年创业补贴")


def grant_body(ctx: RuleContext) -> None:
    """The graded grant for a graduate <= 5 years after graduating."""
    person = ctx.person
    years = ctx.count("graduate_startup.max_years_since_graduation")
    ctx.checks.append(_college(ctx))
    ctx.checks.append(
        left_school_within(
            "graduated_within",
            person.left_school_on,
            ctx.on,
            years,
            event="申请",
            at_missing="申请日期",
        )
    )
    startup = _startup(ctx)
    grade = startup.grant_grade if startup else None
    line = LineDraft(label="本人", person_key=person.key)
    if startup is not None and grade is None:
        ctx.checks.append(unknown("grant_grade", "资助档次", "资助档次（经评审确定）"))
    if grade is not None:
        ctx.checks.append(passed("grant_grade", "资助档次", f"经评审确定为第 {grade} 档"))
        ctx.pay_fixed(line, f"graduate_startup.grade_{grade}", f"第 {grade} 档一次性资助")
    ctx.lines.append(line)


def _earlier_grant(ctx: RuleContext) -> CheckResult:
    code, label = "earlier_grant", "获得资助后 3 年内"
    key = ctx.person.key
    if key is None:
        return unknown(code, label, "此前获得创业项目资助的记录（需提供人员标识）")
    grants = ctx.ledger.about_person(key, [GRANT]) or ctx.ledger.for_recipient(key, [GRANT])
    if not grants:
        return failed(code, label, "尚未获得创业项目一次性资助")
    first = min(grants, key=lambda e: e.awarded_on).awarded_on
    window = ctx.count("graduate_startup.rolling_window_years")
    limit = add_years(first, window)
    if ctx.on <= limit:
        return passed(code, label, f"{iso(first)} 获得资助，在 {window} 年内（至 {iso(limit)}）")
    return failed(code, label, f"{iso(first)} 获得资助，已超过 {window} 年（至 {iso(limit)}）")


def rolling_body(ctx: RuleContext) -> None:
    """One rolling round within 3 years of the grant, for a project recognised for growth."""
    ctx.checks.append(_earlier_grant(ctx))
    startup = _startup(ctx)
    if startup is not None:
        ctx.checks.append(
            flag(
                "growth_recognised",
                "成长性好、业绩突出",
                startup.growth_recognised,
                yes="经评审认定成长性好、业绩突出",
                no="未被认定成长性好、业绩突出",
                missing="成长性与业绩评审结论",
            )
        )
    _pay(ctx, "graduate_startup.rolling_amount", "滚动支持")


RULES = (
    PolicyRule(GRANT, grant_body),
    PolicyRule(ROLLING, rolling_body),
    PolicyRule(ONE_TIME, one_time_body),
    PolicyRule(HIRING, hiring_body),
    PolicyRule(THREE_YEAR, three_year_body),
)
