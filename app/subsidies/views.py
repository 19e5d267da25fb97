"""Response bodies built from application rows (list items and the full view)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from app.policies.catalogue import load_catalogue
from app.policies.engine import Evaluation, Facts
from app.policies.schemas import KnownFact
from app.subsidies import repository
from app.subsidies.models import SubsidyApplication
from app.subsidies.schemas import (
    ApplicantRead,
    MaterialRead,
    SubsidyApplicationListItem,
    SubsidyApplicationRead,
    SubsidyStatusChangeRead,
)


def _item(
    application: SubsidyApplication, names: dict[uuid.UUID, str]
) -> SubsidyApplicationListItem:
    return SubsidyApplicationListItem(
        id=application.id,
        policy_code=application.policy_code,
        policy_title=load_catalogue().get(application.policy_code).title,
        applicant=ApplicantRead(
            kind=application.applicant_kind,
            user_id=application.applicant_user_id,
            employer_id=application.employer_id,
            employer_name=names.get(application.employer_id) if application.employer_id else None,
        ),
        period=application.period,
        status=application.status,
        engine_status=application.engine_status,
        expected_amount_fen=application.expected_amount_fen,
        approved_amount_fen=application.approved_amount_fen,
        status_changed_at=application.status_changed_at,
        created_at=application.created_at,
    )


async def list_items(
    session: AsyncSession, rows: Sequence[SubsidyApplication]
) -> list[SubsidyApplicationListItem]:
    names = await repository.employer_names(
        session, {r.employer_id for r in rows if r.employer_id is not None}
    )
    return [_item(row, names) for row in rows]


async def full(session: AsyncSession, application: SubsidyApplication) -> SubsidyApplicationRead:
    item = (await list_items(session, [application]))[0]
    materials = [
        MaterialRead(
            file_id=stored.id,
            content_type=stored.content_type,
            size_bytes=stored.size_bytes,
            original_name=stored.original_name,
            round=link.round,
            added_at=link.added_at,
            has_thumbnail=stored.thumbnail_key is not None,
        )
        for link, stored in await repository.materials(session, application.id)
    ]
    history = [
        SubsidyStatusChangeRead.model_validate(change, from_attributes=True)
        for change in await repository.history(session, application.id)
    ]
    approval = application.approval_decision
    return SubsidyApplicationRead(
        **item.model_dump(),
        claim_code=application.claim_code,
        facts=Facts.model_validate(application.facts),
        known_facts=[KnownFact.model_validate(k) for k in application.known_facts],
        person_refs=application.person_refs,
        note=application.note,
        evaluated_on=application.evaluated_on,
        ruleset_version=application.ruleset_version,
        decision=Evaluation.model_validate(application.decision),
        approval_decision=Evaluation.model_validate(approval) if approval else None,
        engine_amount_at_approval_fen=application.engine_amount_at_approval_fen,
        override_reason=application.override_reason,
        return_note=application.return_note,
        rejection_reason=application.rejection_reason,
        decided_at=application.decided_at,
        paid_on=application.paid_on,
        payment_reference=application.payment_reference,
        materials=materials,
        history=history,
        updated_at=application.updated_at,
    )
