"""From a settled draft to an ``Outcome`` with its decision record."""

from __future__ import annotations

from datetime import date

from app.policies.engine.checks import failures, missing_of, staff_notes
from app.policies.engine.context import SELF, LineDraft, PolicyDraft
from app.policies.engine.money import fen_text
from app.policies.engine.record import (
    AwardLine,
    DecisionRecord,
    LineOutcome,
    Outcome,
    OutcomeStatus,
)

_OPEN = ("unknown", "pending")


def _prefixed(line: LineDraft, texts: list[str]) -> list[str]:
    if line.beneficiary == SELF and line.item_key is None:
        return texts
    return [f"{line.label}：{text}" for text in texts]


def _line_missing(line: LineDraft) -> list[str]:
    return _prefixed(line, line.missing)


def _line_outcome(draft: PolicyDraft, line: LineDraft) -> LineOutcome:
    if line.status == "ok":
        return "granted" if draft.check_status == "pass" else "unknown"
    return "unknown" if line.status == "unknown" else line.status


def _award_line(draft: PolicyDraft, line: LineDraft) -> AwardLine:
    status = _line_outcome(draft, line)
    return AwardLine(
        beneficiary=line.beneficiary,
        label=line.label,
        person_key=line.person_key,
        item_key=line.item_key,
        status=status,
        gross_fen=line.gross_fen,
        amount_fen=line.amount_fen if status == "granted" else 0,
        quantity=line.quantity,
        checks=tuple(line.checks),
        steps=tuple(line.steps),
        missing=tuple(line.missing),
        superseded_by=line.superseded_by,
        notes=tuple(line.notes),
    )


def _total_step(amounts: list[int]) -> str:
    total = fen_text(sum(amounts))
    if len(set(amounts)) == 1 and len(amounts) > 1:
        return f"合计 {fen_text(amounts[0])} × {len(amounts)} = {total}"
    if len(amounts) > 1:
        return "合计 " + " + ".join(fen_text(a) for a in amounts) + f" = {total}"
    return f"合计 {total}"


def _not_paid_notes(lines: list[LineDraft]) -> list[str]:
    notes: list[str] = []
    for line in lines:
        if line.status == "excluded":
            notes += _prefixed(line, line.fail_reasons())
        elif line.status in ("superseded", "capped") or line.notes:
            notes += _prefixed(line, line.notes)
    return list(dict.fromkeys(notes))


def _status(draft: PolicyDraft) -> tuple[OutcomeStatus, list[str], list[str]]:
    """(status, reasons, missing) of a draft."""
    checks, lines = draft.ctx.checks, draft.lines
    status = draft.check_status
    if status == "fail":
        return "ineligible", failures(checks), []
    line_missing = [m for line in lines if line.status in _OPEN for m in _line_missing(line)]
    if status == "unknown":
        return "needs_review", [], list(dict.fromkeys([*missing_of(checks), *line_missing]))
    if line_missing:
        return "needs_review", [], list(dict.fromkeys(line_missing))
    if any(line.status == "ok" and line.amount_fen > 0 for line in lines):
        return "eligible", [], []
    reasons = _not_paid_notes(lines) or ["没有可计发的申报对象"]
    return "ineligible", reasons, []


def _notes(draft: PolicyDraft, status: OutcomeStatus) -> tuple[str, ...]:
    """Eligible: lines not paid. Needs review: what staff decide and why (open group lists)."""
    if status == "eligible":
        return tuple(_not_paid_notes(draft.lines))
    if status == "needs_review":
        checks = [*draft.ctx.checks, *(c for line in draft.lines for c in line.checks)]
        return tuple(staff_notes(checks))
    return ()


def build_outcome(
    draft: PolicyDraft, *, ruleset_version: str, parameter_set: str, on: date
) -> Outcome:
    """The outcome of one policy, with its full decision record."""
    status, reasons, missing = _status(draft)
    lines = draft.lines
    steps = list(draft.ctx.steps)
    amount: int | None = None
    superseded_by: str | None = None
    if status == "eligible":
        paid = [line.amount_fen for line in lines if line.status == "ok" and line.amount_fen > 0]
        amount = sum(paid)
        steps.append(_total_step(paid))
    elif status == "ineligible" and draft.check_status == "pass":
        superseded_by = next((line.superseded_by for line in lines if line.superseded_by), None)
    policy = draft.policy
    record = DecisionRecord(
        ruleset_version=ruleset_version,
        parameter_set=parameter_set,
        evaluated_on=on,
        policy_code=policy.code,
        parameters=tuple(draft.ctx.uses),
        checks=tuple(draft.ctx.checks),
        lines=tuple(_award_line(draft, line) for line in lines),
        steps=tuple(steps),
        caps=tuple(draft.caps),
        exclusions=tuple(draft.exclusions),
    )
    return Outcome(
        policy_code=policy.code,
        title=policy.title,
        clause=policy.clause,
        status=status,
        amount_fen=amount,
        amount_yuan=fen_text(amount) if amount is not None else None,
        superseded_by=superseded_by,
        reasons=tuple(reasons),
        missing=tuple(missing),
        notes=_notes(draft, status),
        record=record,
    )
