"""Checks: small predicates that answer pass / fail / unknown with a Chinese reason.

A check never raises for a missing fact: it answers ``unknown`` and names what is missing, so the
policy is "needs review", not "ineligible". Composite checks (``all_of`` / ``any_of``) combine
three-valued results the usual way and keep their children for the decision record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

CheckStatus = Literal["pass", "fail", "unknown"]


class CheckResult(BaseModel):
    """The result of one condition, as stored in the decision record."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_serialization_defaults_required=True
    )

    code: str = Field(description="machine name of the condition, e.g. `age_16_24`")
    label: str = Field(description="short Chinese name of the condition")
    status: CheckStatus
    reason: str = Field(description="Chinese explanation, e.g. 年龄 22 岁，在 16–24 岁之间")
    missing: tuple[str, ...] = Field(default=(), description="facts needed to decide (unknown)")
    children: tuple[CheckResult, ...] = ()


def passed(code: str, label: str, reason: str) -> CheckResult:
    return CheckResult(code=code, label=label, status="pass", reason=reason)


def failed(code: str, label: str, reason: str) -> CheckResult:
    return CheckResult(code=code, label=label, status="fail", reason=reason)


def unknown(code: str, label: str, *missing: str, reason: str | None = None) -> CheckResult:
    text = reason or "缺少：" + "、".join(missing)
    return CheckResult(code=code, label=label, status="unknown", reason=text, missing=missing)


STAFF_DECIDES = "由工作人员认定"
"""Ends the reason of a check the plan leaves to staff (an open group list, for instance)."""


def staff_decides(code: str, label: str, missing: str, reason: str) -> CheckResult:
    """Unknown, not failed: the plan leaves this to staff; ``reason`` says why."""
    return unknown(code, label, missing, reason=f"{reason}，{STAFF_DECIDES}")


def staff_notes(checks: Iterable[CheckResult]) -> list[str]:
    """Reasons of the unknown checks that staff decide, for the person to read."""
    return _dedupe(
        c.reason for c in checks if c.status == "unknown" and c.reason.endswith(STAFF_DECIDES)
    )


def verdict(condition: bool, code: str, label: str, yes: str, no: str) -> CheckResult:
    """Pass with `yes` or fail with `no`."""
    return passed(code, label, yes) if condition else failed(code, label, no)


def flag(
    code: str, label: str, value: bool | None, *, yes: str, no: str, missing: str
) -> CheckResult:
    """A yes/no fact that must be true."""
    if value is None:
        return unknown(code, label, missing)
    return verdict(value, code, label, yes, no)


def at_least(
    code: str, label: str, value: int | None, minimum: int, *, noun: str, unit: str, missing: str
) -> CheckResult:
    """`value` >= `minimum` ("已缴纳社会保险 5 个月，不足 6 个月")."""
    if value is None:
        return unknown(code, label, missing)
    if value >= minimum:
        return passed(code, label, f"{noun} {value} {unit}，达到 {minimum} {unit}")
    return failed(code, label, f"{noun} {value} {unit}，不足 {minimum} {unit}")


def one_of(
    code: str, label: str, value: str | None, allowed: dict[str, str], *, noun: str, missing: str
) -> CheckResult:
    """`value` is one of the keys of `allowed` (values are Chinese names)."""
    if value is None:
        return unknown(code, label, missing)
    name = allowed.get(value, value)
    if value in allowed:
        return passed(code, label, f"{noun}为{name}")
    wanted = "或".join(allowed.values())
    return failed(code, label, f"{noun}为{_label(value)}，不是{wanted}")


def combine(statuses: Iterable[CheckStatus]) -> CheckStatus:
    """All must pass: any fail -> fail, else any unknown -> unknown, else pass."""
    seen = set(statuses)
    if "fail" in seen:
        return "fail"
    return "unknown" if "unknown" in seen else "pass"


def all_of(code: str, label: str, children: Sequence[CheckResult]) -> CheckResult:
    """Every child must pass; the reason lists the children that decide the result."""
    status = combine(child.status for child in children)
    deciding = [c for c in children if c.status == status] if status != "pass" else children
    return CheckResult(
        code=code,
        label=label,
        status=status,
        reason="；".join(child.reason for child in deciding),
        missing=_missing(children) if status == "unknown" else (),
        children=tuple(children),
    )


def any_of(code: str, label: str, children: Sequence[CheckResult]) -> CheckResult:
    """At least one child must pass: any pass -> pass, else any unknown -> unknown, else fail."""
    statuses = {child.status for child in children}
    if "pass" in statuses:
        status: CheckStatus = "pass"
        reason = "；".join(c.reason for c in children if c.status == "pass")
    elif "unknown" in statuses:
        status = "unknown"
        reason = "无法确定是否符合以下任一情形：" + "；".join(c.reason for c in children)
    else:
        status = "fail"
        reason = "不符合以下任一情形：" + "；".join(c.reason for c in children)
    return CheckResult(
        code=code,
        label=label,
        status=status,
        reason=reason,
        missing=_missing(children) if status == "unknown" else (),
        children=tuple(children),
    )


def failures(checks: Iterable[CheckResult]) -> list[str]:
    """Reasons of the failed top-level checks, in order."""
    return [c.reason for c in checks if c.status == "fail"]


def missing_of(checks: Iterable[CheckResult]) -> list[str]:
    """Missing facts named by the unknown checks, without repeats, in order."""
    return _dedupe(m for c in checks if c.status == "unknown" for m in c.missing)


def _missing(children: Iterable[CheckResult]) -> tuple[str, ...]:
    return tuple(_dedupe(m for c in children if c.status == "unknown" for m in c.missing))


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _label(value: str) -> str:
    return {"other": "其他"}.get(value, value)
