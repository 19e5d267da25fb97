"""Caps per recipient and year, checked against the ledger of earlier approved awards.

Caps are applied twice: once per policy *alone* (``rank_under_caps``) to know each line's amount
"after caps" for 就高不重复, and once for real after the exclusions (``apply_caps``), where all
surviving lines of the covered policies share what is left under the cap, in catalogue order and
then in the order the lines were listed. A line that meets the cap is cut to what is left (the
step is recorded); lines after it get nothing (status ``capped``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.policies.engine.context import LineDraft, PolicyDraft
from app.policies.engine.facts import Facts
from app.policies.engine.ledger import Ledger
from app.policies.engine.money import fen_text, to_fen
from app.policies.engine.params import ParameterSet
from app.policies.engine.record import CapApplication
from app.policies.engine.rule import CapRule


@dataclass(frozen=True)
class CapScope:
    """What caps are checked against: the facts, the date, parameters, ledger and recipient."""

    facts: Facts
    on: date
    params: ParameterSet
    ledger: Ledger
    recipient: str | None


def _limit_fen(cap: CapRule, params: ParameterSet, on: date) -> int | None:
    use = params.lookup(cap.limit_param, on)
    if not use.usable or isinstance(use.value, bool) or use.value is None:
        return None
    return to_fen(use.value)


def rank_under_caps(
    drafts: Sequence[PolicyDraft], caps: Sequence[CapRule], scope: CapScope
) -> None:
    """Set each ok line's ``ranked_fen``: its amount if its policy alone met the caps."""
    for cap in caps:
        covered = cap.covered(scope.params, scope.on)
        limit = _limit_fen(cap, scope.params, scope.on)
        if limit is None:
            continue
        year = cap.year_of(scope.facts, scope.on)
        already = scope.ledger.paid_in_year(scope.recipient, covered, year)
        for draft in drafts:
            if draft.code not in covered:
                continue
            remaining = max(limit - already, 0)
            for line in draft.payable_lines():
                line.ranked_fen = min(line.ranked_fen, remaining)
                remaining -= line.ranked_fen


def apply_caps(drafts: Sequence[PolicyDraft], caps: Sequence[CapRule], scope: CapScope) -> None:
    """Cut the surviving lines to what each cap leaves; record the cap on every covered draft."""
    for cap in caps:
        covered = cap.covered(scope.params, scope.on)
        members = [d for d in drafts if d.code in covered]
        if not members:
            continue
        _record_uses(cap, members, scope.params, scope.on)
        limit = _limit_fen(cap, scope.params, scope.on)
        if limit is None:
            gap = scope.params.lookup(cap.limit_param, scope.on).gap()
            for line in (line for d in members for line in d.payable_lines()):
                line.status = "unknown"
                line.gaps.append(gap)
            continue
        record = _apply_one(cap, members, covered, limit, scope)
        for draft in members:
            draft.caps.append(record)


def _record_uses(
    cap: CapRule, members: Sequence[PolicyDraft], params: ParameterSet, on: date
) -> None:
    uses = [params.lookup(cap.limit_param, on)]
    uses += [params.lookup(switch, on) for _, switch in cap.optional_codes]
    for draft in members:
        for use in uses:
            draft.use(use)


def _cut(line: LineDraft, remaining: int, title: str) -> int:
    """Reduce `line` to at most `remaining`, recording the step; the amount it keeps."""
    give = min(line.amount_fen, remaining)
    if give < line.amount_fen:
        note = (
            f"达到{title}：剩余可发放 {fen_text(remaining)}，"
            f"{fen_text(line.amount_fen)} 减为 {fen_text(give)}"
        )
        line.steps.append(note)
        line.notes.append(note)
        line.amount_fen = give
        if give == 0:
            line.status = "capped"
    return give


def _apply_one(
    cap: CapRule,
    members: Sequence[PolicyDraft],
    covered: tuple[str, ...],
    limit: int,
    scope: CapScope,
) -> CapApplication:
    year = cap.year_of(scope.facts, scope.on)
    already = scope.ledger.paid_in_year(scope.recipient, covered, year)
    remaining = max(limit - already, 0)
    steps = [
        f"{cap.title}（{year} 年度）：上限 {fen_text(limit)} − 已发放 {fen_text(already)} = "
        f"可发放 {fen_text(remaining)}"
    ]
    requested = granted = 0
    for line in (line for d in members for line in d.payable_lines()):
        requested += line.amount_fen
        give = _cut(line, remaining, cap.title)
        remaining -= give
        granted += give
    summary = f"本次申请 {fen_text(requested)}，可发放 {fen_text(granted)}"
    if requested > granted:
        summary += f"，超出上限部分 {fen_text(requested - granted)} 不予发放"
    steps.append(summary)
    return CapApplication(
        cap_code=cap.code,
        title=cap.title,
        policy_codes=covered,
        year=year,
        limit_fen=limit,
        already_paid_fen=already,
        requested_fen=requested,
        granted_fen=granted,
        steps=tuple(steps),
    )
