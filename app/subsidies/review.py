"""Staff review: start, return, approve, reject, record the payment — every step audited.

Approval re-runs the engine with a fresh ledger inside advisory locks (``ledger.lock_ledger``),
so two approvals that together would pass a cap — or pay one person twice — are serialised and
the second one sees the first one's awards. An approved amount different from the engine's needs
an ``override_reason`` and never passes a cap — except where the plan grants a subsidy but
leaves its amount to higher-level policy (an unverified amount parameter): then the reviewer enters
the amount (``amount_fen``) as the decision itself, recorded as ``amount_entered_by_reviewer``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.clock import local_date
from app.identity.models import StaffAccount
from app.policies.catalogue import load_catalogue
from app.policies.engine import Facts, Outcome
from app.subsidies import claims, errors, notices, repository
from app.subsidies.ledger import lock_ledger
from app.subsidies.models import SubsidyApplication
from app.subsidies.schemas import SubsidyReview
from app.subsidies.service import decide

# action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "start_review": (("submitted",), "under_review"),
    "return": (("under_review",), "returned"),
    "approve": (("under_review",), "approved"),
    "reject": (("under_review", "returned"), "rejected"),
    "mark_paid": (("approved",), "paid"),
}


async def _refuse_own(
    session: AsyncSession, staff: StaffAccount, application: SubsidyApplication
) -> None:
    """A reviewer never decides their own application, nor one of an organisation of theirs."""
    own = staff.user_id
    if own is None:
        return
    if application.applicant_user_id == own or (
        application.employer_id is not None
        and await repository.is_member(session, application.employer_id, own)
    ):
        raise errors.OwnApplication()


async def review(
    session: AsyncSession,
    staff: StaffAccount,
    application_id: uuid.UUID,
    body: SubsidyReview,
    now: datetime,
) -> SubsidyApplication:
    """Apply one review action to the application (locked for the rest of the transaction);
    the applicant hears of every step but the start of the review."""
    today = local_date(now)
    application = await repository.get(session, application_id, for_update=True)
    if application is None:
        raise errors.ApplicationNotFound()
    await _refuse_own(session, staff, application)
    allowed, target = TRANSITIONS[body.action]
    if application.status not in allowed:
        raise errors.TransitionInvalid(
            details={"status": application.status, "action": body.action}
        )
    values, details = await _changes(session, staff, application, body, today)
    values["status"] = target
    from_status = application.status
    await repository.set_status(session, application, values)
    await repository.add_history(
        session,
        application_id=application.id,
        from_status=from_status,
        to_status=target,
        actor_kind="staff",
        actor_id=staff.id,
        note=body.note or body.override_reason,
        details=details,
    )
    await record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action=f"subsidy.{body.action}",
        subject_kind="subsidy_application",
        subject_id=application.id,
        details={"from": from_status, "to": target, "note": body.note, **details},
    )
    if target != "under_review":
        await notices.status_changed(session, now, application)
    return application


async def _changes(
    session: AsyncSession,
    staff: StaffAccount,
    application: SubsidyApplication,
    body: SubsidyReview,
    today: date,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(columns to set, details for the history and audit) of one action."""
    values: dict[str, Any] = {}
    details: dict[str, Any] = {}
    if body.action == "return":
        values["return_note"] = body.note
    elif body.action == "reject":
        values.update(rejection_reason=body.note, decided_by=staff.id, decided_at=func.now())
    elif body.action == "mark_paid":
        values.update(paid_on=body.paid_on, payment_reference=body.payment_reference)
        details.update(paid_on=str(body.paid_on), payment_reference=body.payment_reference)
    elif body.action == "approve":
        values.update(await _approve(session, application, body, today))
        values.update(decided_by=staff.id, decided_at=func.now())
        details.update(
            approved_amount_fen=values["approved_amount_fen"],
            engine_amount_fen=values["engine_amount_at_approval_fen"],
            amount_entered_by_reviewer=values.pop("amount_entered_by_reviewer"),
            override_reason=body.override_reason,
        )
    return values, details


async def _approve(
    session: AsyncSession, application: SubsidyApplication, body: SubsidyReview, today: date
) -> dict[str, Any]:
    """Re-decide under the ledger locks, check the amount and the caps, write the awards."""
    facts = Facts.model_validate(application.facts)
    keys = claims.person_keys(facts)
    await lock_ledger(session, application.recipient_key, keys)
    _, codes = claims.claim_codes(load_catalogue().get(application.policy_code))
    evaluation = await decide(
        session, facts, application.recipient_key, keys, codes, application.evaluated_on
    )
    outcomes = list(evaluation.outcomes)
    if claims.engine_status(outcomes) is None:
        raise errors.NoLongerEligible(details=claims.refusal_details(outcomes))
    engine_fen = claims.granted_fen(outcomes)
    entered = engine_fen == 0 and claims.amount_left_to_reviewer(outcomes)
    approved = body.amount_fen if body.amount_fen is not None else engine_fen
    if approved <= 0:
        raise errors.AmountToEnter() if entered else errors.AmountRequired()
    reason = body.override_reason and body.override_reason.strip()
    if approved != engine_fen and not entered and not reason:
        raise errors.OverrideReasonRequired(
            details={"engine_amount_fen": engine_fen, "amount_fen": approved}
        )
    _check_caps(application.policy_code, outcomes, approved - engine_fen)
    rows = award_rows(application, outcomes, approved - engine_fen, today, entered=entered)
    await repository.add_awards(session, rows)
    return {
        "approved_amount_fen": approved,
        "engine_amount_at_approval_fen": engine_fen,
        "amount_entered_by_reviewer": entered,
        "override_reason": body.override_reason,
        "approval_decision": evaluation.model_dump(mode="json"),
    }


def _check_caps(policy_code: str, outcomes: list[Outcome], extra: int) -> None:
    """An amount above the engine's must still fit under every cap of the claim's policies."""
    if extra <= 0:
        return
    caps = {(c.cap_code, c.year): c for o in outcomes for c in o.record.caps}
    for cap in caps.values():
        if policy_code not in cap.policy_codes:
            continue
        granted = sum(
            o.amount_fen or 0
            for o in outcomes
            if o.status == "eligible" and o.policy_code in cap.policy_codes
        )
        room = cap.limit_fen - cap.already_paid_fen - granted
        if extra > room:
            raise errors.CapExceeded(
                details={
                    "cap": cap.title,
                    "year": cap.year,
                    "limit_fen": cap.limit_fen,
                    "already_paid_fen": cap.already_paid_fen,
                    "engine_amount_fen": granted,
                    "max_amount_fen": granted + max(room, 0),
                }
            )


def _year(outcome: Outcome | None, application: SubsidyApplication) -> int:
    """The year an award counts toward: its cap's year, else the claim period's."""
    if outcome is not None and outcome.record.caps:
        return outcome.record.caps[0].year
    return application.period_year


def award_rows(
    application: SubsidyApplication,
    outcomes: list[Outcome],
    extra: int,
    today: date,
    *,
    entered: bool = False,
) -> list[dict[str, Any]]:
    """Ledger rows: one per granted line; an override adds a row or trims the last rows.

    ``entered``: the plan leaves the amount to higher-level policy and the reviewer entered it;
    the added row is then the award itself (quantity 1), not an adjustment."""
    person = application.recipient_key if application.applicant_kind == "person" else None
    base = {"application_id": application.id, "recipient_key": application.recipient_key}
    rows: list[dict[str, Any]] = []
    for outcome in (o for o in outcomes if o.status == "eligible"):
        for line in outcome.record.lines:
            if line.status != "granted" or line.amount_fen <= 0:
                continue
            rows.append(
                {
                    **base,
                    "policy_code": outcome.policy_code,
                    "person_key": line.person_key or person,
                    "item_key": line.item_key,
                    "amount_fen": line.amount_fen,
                    "year": _year(outcome, application),
                    "awarded_on": today,
                    "quantity": line.quantity,
                }
            )
    if extra > 0:
        own = next((o for o in outcomes if o.policy_code == application.policy_code), None)
        rows.append(
            {
                **base,
                "policy_code": application.policy_code,
                "person_key": person,
                "item_key": None,
                "amount_fen": extra,
                "year": _year(own, application),
                "awarded_on": today,
                "quantity": 1 if entered else 0,  # else an adjustment, not a month or a person
            }
        )
    cut = -extra
    for row in reversed(rows):
        if cut <= 0:
            break
        take = min(row["amount_fen"], cut)
        row["amount_fen"] -= take
        cut -= take
    return [row for row in rows if row["amount_fen"] > 0]
