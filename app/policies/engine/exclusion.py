"""就高不重复: only the highest of a group's policies is granted for one beneficiary.

For each exclusion group and each beneficiary (the subject itself, or one person the subject
claims for), the lines of the group's policies that could be paid are compared by their amount
*after caps* (``ranked_fen``); ties go to the higher amount before caps, then to the policy
listed first in the catalogue. The others
are marked ``superseded`` with ``superseded_by``. A line whose eligibility or amount is still
open and might be higher than the best decided one keeps the decision open: the best line then
waits (``pending``) and the outcome is "needs review" until staff decide. Across time, a
beneficiary already paid from the group (ledger) is excluded before this step (see
``engine.ledger_checks``).
"""

from __future__ import annotations

from collections.abc import Sequence

from app.policies.catalogue import Catalogue, ExclusionGroup
from app.policies.engine.context import LineDraft, PolicyDraft
from app.policies.engine.money import fen_text
from app.policies.engine.record import ExclusionResolution

Pair = tuple[PolicyDraft, LineDraft]


def resolve_exclusions(
    drafts: Sequence[PolicyDraft], catalogue: Catalogue
) -> list[ExclusionResolution]:
    """Decide every group for every beneficiary with lines from two or more of its policies."""
    results: list[ExclusionResolution] = []
    for group in catalogue.exclusion_groups:
        candidates: dict[str, list[Pair]] = {}
        for draft in drafts:
            if draft.code not in group.policy_codes or draft.check_status == "fail":
                continue
            for line in draft.lines:
                if line.status in ("ok", "unknown"):
                    candidates.setdefault(line.beneficiary, []).append((draft, line))
        for beneficiary, pairs in candidates.items():
            if len({draft.code for draft, _ in pairs}) > 1:
                resolution = _resolve(group, beneficiary, pairs)
                results.append(resolution)
                for draft in {id(d): d for d, _ in pairs}.values():
                    draft.exclusions.append(resolution)
    return results


def _decided(pair: Pair) -> bool:
    draft, line = pair
    return draft.check_status == "pass" and line.status == "ok"


def _supersede(pairs: list[Pair], best: Pair, threats: list[Pair]) -> list[str]:
    """Mark every line but the best and the open threats as superseded by the best."""
    best_draft, best_line = best
    superseded: list[str] = []
    for draft, line in pairs:
        if line is best_line or any(line is t[1] for t in threats):
            continue
        line.status = "superseded"
        line.superseded_by = best_draft.code
        line.amount_fen = 0
        text = fen_text(best_line.ranked_fen)
        line.notes.append(f"按“就高不重复”，由「{best_draft.policy.title}」（{text}）替代")
        superseded.append(draft.code)
    return superseded


def _resolve(group: ExclusionGroup, beneficiary: str, pairs: list[Pair]) -> ExclusionResolution:
    decided = [p for p in pairs if _decided(p)]
    if not decided:
        return ExclusionResolution(
            group=group.code,
            group_title=group.title,
            beneficiary=beneficiary,
            granted_policy=None,
            superseded=(),
            pending=tuple(d.code for d, _ in pairs),
            reason="同组政策均待审核，审核后按“就高不重复”确定",
        )
    best_draft, best_line = max(
        decided, key=lambda p: (p[1].ranked_fen, p[1].gross_fen or 0, -p[0].order)
    )
    best = best_line.ranked_fen
    threats = [
        p for p in pairs if not _decided(p) and (p[1].gross_fen is None or p[1].gross_fen > best)
    ]
    superseded = _supersede(pairs, (best_draft, best_line), threats)
    reason = f"按“就高不重复”发放「{best_draft.policy.title}」{fen_text(best)}"
    if threats:
        titles = "、".join(f"「{d.policy.title}」" for d, _ in threats)
        best_line.status = "pending"
        best_line.gaps.append(f"按“就高不重复”，需待{titles}审核后确定发放哪一项")
        reason = f"{titles}尚待审核，可能高于「{best_draft.policy.title}」，暂不确定"
    return ExclusionResolution(
        group=group.code,
        group_title=group.title,
        beneficiary=beneficiary,
        granted_policy=None if threats else best_draft.code,
        superseded=tuple(superseded),
        pending=tuple(d.code for d, _ in threats),
        reason=reason,
    )
