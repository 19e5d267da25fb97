"""Checks shared by several rules (time since leaving school, age, whole periods)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from app.policies.engine.checks import (
    CheckResult,
    any_of,
    failed,
    passed,
    staff_decides,
    unknown,
)
from app.policies.engine.context import LineDraft, RuleContext
from app.policies.engine.dates import add_years, age_bounds, age_on, full_months, iso
from app.policies.engine.facts_org import OrganisationFacts, RecognitionLevel
from app.policies.engine.facts_person import PersonFacts
from app.policies.engine.rule import RuleBody

LEVEL_NAMES: dict[RecognitionLevel, str] = {"city": "市级", "region": "自治区级"}


def span_text(start: date, until: date) -> str:
    """'1 年 8 个月' between two dates (whole months)."""
    months = full_months(start, until)
    years, rest = divmod(months, 12)
    if years and rest:
        return f"{years} 年 {rest} 个月"
    return f"{years} 年" if years else f"{rest} 个月"


def left_school_within(
    code: str, left_on: date | None, at: date | None, years: int, *, event: str, at_missing: str
) -> CheckResult:
    """The event on `at` happened after leaving school and no later than `years` years after."""
    label = f"离校 {years} 年内"
    if left_on is None or at is None:
        names = [name for name, v in (("毕业（离校）日期", left_on), (at_missing, at)) if v is None]
        return unknown(code, label, *names)
    if at < left_on:
        return failed(code, label, f"{event}（{iso(at)}）时尚未离校（{iso(left_on)} 离校）")
    limit = add_years(left_on, years)
    gap = span_text(left_on, at)
    if at <= limit:
        return passed(code, label, f"{event}（{iso(at)}）时离校 {gap}，在 {years} 年以内")
    return failed(
        code, label, f"{event}（{iso(at)}）时离校已超过 {years} 年（{iso(left_on)} 离校，{gap}）"
    )


def age_between(
    code: str, person: PersonFacts, at: date, today: date, low: int, high: int, *, when: str
) -> CheckResult:
    """Age on `at` within [low, high] (from the birth date, else bounded from today's age)."""
    label = f"年龄 {low}–{high} 岁"
    if person.birth_date is not None:
        age = age_on(person.birth_date, at)
        text = f"{when}年龄 {age} 岁"
        if low <= age <= high:
            return passed(code, label, f"{text}，在 {low}–{high} 岁之间")
        return failed(code, label, f"{text}，不在 {low}–{high} 岁之间")
    if person.age is None:
        return unknown(code, label, "出生日期")
    youngest, oldest = age_bounds(person.age, today, at)
    if low <= youngest and oldest <= high:
        return passed(code, label, f"按填写年龄推算，{when}年龄在 {low}–{high} 岁之间")
    if oldest < low or youngest > high:
        return failed(code, label, f"按填写年龄推算，{when}年龄不在 {low}–{high} 岁之间")
    return unknown(
        code,
        label,
        "出生日期",
        reason=f"按填写年龄推算，{when}年龄为 {youngest}–{oldest} 岁，需出生日期确定",
    )


def duplicate_check(line: LineDraft, seen: set[str], key: str, noun: str) -> None:
    """Fail the line when `key` was already listed in this claim (so nobody is counted twice)."""
    if key in seen:
        line.checks.append(
            failed("duplicate", "重复申报", f"同一{noun}在本次申报中重复出现，只计一次")
        )
    seen.add(key)


def require_list(ctx: RuleContext, items: Sequence[object] | None, code: str, name: str) -> bool:
    """Record an unknown or failed check when a list is missing or empty; True if usable."""
    if items is None:
        ctx.checks.append(unknown(code, name, name))
        return False
    if not items:
        ctx.checks.append(failed(code, name, f"未提供{name}（为空）"))
        return False
    ctx.checks.append(passed(code, name, f"{name}共 {len(items)} 项"))
    return True


def recognition_award(
    levels_of: Callable[[OrganisationFacts], list[RecognitionLevel] | None],
    level: RecognitionLevel,
    thing: str,
    amount_param: str,
    *,
    name: str | None = None,
) -> RuleBody:
    """A one-time award to an organisation recognised as `thing` at `level` (city / region)."""
    name = name or f"{LEVEL_NAMES[level]}{thing}"

    def body(ctx: RuleContext) -> None:
        levels = levels_of(ctx.org)
        if levels is None:
            ctx.checks.append(unknown("recognised", name, f"获评{thing}的级别"))
        elif level in levels:
            ctx.checks.append(passed("recognised", name, f"已获评{name}"))
        else:
            ctx.checks.append(failed("recognised", name, f"未获评{name}"))
        line = LineDraft(label="本单位")
        ctx.pay_fixed(line, amount_param, f"{name}一次性奖励")
        ctx.lines.append(line)

    return body


def open_group(
    code: str, label: str, children: Sequence[CheckResult], *, clause: int, others: str
) -> CheckResult:
    """A group list of the plan that ends in 等 ("……等重点群体") is open, not closed.

    A person in one of the named groups passes; a person outside all of them is not refused but
    left to staff (``unknown`` -> "needs review"), with the reason stated, so they can still apply.
    ``others`` names groups the plan mentions elsewhere that staff may recognise.
    """
    result = any_of(code, label, children)
    if result.status != "fail":
        return result
    named = "、".join(child.label for child in children)
    reason = (
        f"不属于第{clause}条列明的{named}；该条所列群体以“等”结尾，"
        f"是否属于其他{label}（如{others}）"
    )
    decided = staff_decides(code, label, f"是否属于其他{label}（由工作人员认定）", reason)
    return decided.model_copy(update={"children": result.children})
