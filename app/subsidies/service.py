"""Submitting and answering subsidy applications, and reading them (applicants' side).

The engine runs at submission with the ledger of earlier approved awards; its record, the
ruleset version and the expected amount are stored with the application. Ineligible claims are
refused with the reasons; "needs review" ones are accepted for staff.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.clock import local_date
from app.core.security import KeyedHasher
from app.files.service import owned_files
from app.identity.errors import RealNameRequired
from app.identity.models import User
from app.policies import repository as policies_repository
from app.policies.catalogue import load_catalogue
from app.policies.engine import Evaluation, Facts, evaluate
from app.subsidies import claims, errors, notices, repository
from app.subsidies.claims import Claim
from app.subsidies.ledger import load_ledger
from app.subsidies.models import SubsidyApplication
from app.subsidies.schemas import SubsidyApplicationCreate, SubsidyResubmit


def require_real_name(user: User) -> None:
    """Anything that pays money needs the applicant's verified name and ID number."""
    if user.real_name_verified_at is None or user.id_number_hash is None:
        raise RealNameRequired()


async def decide(
    session: AsyncSession,
    facts: Facts,
    recipient_key: str,
    person_keys: Collection[str],
    codes: Collection[str],
    on: date,
) -> Evaluation:
    """The engine's answer for the claim's policies, against the ledger as it stands now."""
    ledger = await load_ledger(session, {recipient_key}, person_keys)
    return evaluate(facts, on=on, ledger=ledger, policy_codes=set(codes))


async def _claim(
    session: AsyncSession,
    hasher: KeyedHasher,
    user: User,
    body: SubsidyApplicationCreate,
    today: date,
) -> tuple[Claim, uuid.UUID | None]:
    if body.applicant.employer_id is None:
        return await claims.person_claim(session, user, body.facts), None
    employer = await policies_repository.member_employer(
        session, body.applicant.employer_id, user.id
    )
    if employer is None:
        raise errors.ApplicantNotFound()
    if not employer.is_verified:
        raise errors.EmployerUnverified()
    claim = await claims.organisation_claim(
        session, hasher, employer, body.facts, period_year=int(body.period[:4]), today=today
    )
    return claim, employer.id


def _decision_values(evaluation: Evaluation) -> dict[str, Any]:
    """Columns that keep the engine's answer; refuses a claim that is ineligible throughout."""
    outcomes = list(evaluation.outcomes)
    status = claims.engine_status(outcomes)
    if status is None:
        raise errors.Ineligible(details=claims.refusal_details(outcomes))
    return {
        "engine_status": status,
        "expected_amount_fen": claims.granted_fen(outcomes),
        "decision": evaluation.model_dump(mode="json"),
        "ruleset_version": evaluation.ruleset_version,
        "evaluated_on": evaluation.evaluated_on,
    }


async def submit(
    session: AsyncSession,
    hasher: KeyedHasher,
    user: User,
    body: SubsidyApplicationCreate,
    now: datetime,
) -> SubsidyApplication:
    """Check, decide and store a new application (status ``submitted``); the applicant hears."""
    require_real_name(user)
    application = await create(session, hasher, user, body, local_date(now))
    await notices.status_changed(session, now, application)
    return application


async def create(
    session: AsyncSession,
    hasher: KeyedHasher,
    user: User,
    body: SubsidyApplicationCreate,
    today: date,
) -> SubsidyApplication:
    """Decide and store an application for `user` (whose real name the caller has checked)."""
    policy = load_catalogue().get(body.policy_code)
    if not policy.computable:
        raise errors.NotComputable()
    if policy.applicant != body.applicant.kind:
        raise errors.ApplicantMismatch()
    claim, employer_id = await _claim(session, hasher, user, body, today)
    files = await owned_files(session, body.material_file_ids, user.id)
    claim_code, codes = claims.claim_codes(policy)
    evaluation = await decide(
        session, claim.facts, claim.recipient_key, claim.person_keys, codes, today
    )
    values = {
        "policy_code": policy.code,
        "claim_code": claim_code,
        "applicant_kind": body.applicant.kind,
        "applicant_user_id": user.id,
        "employer_id": employer_id,
        "recipient_key": claim.recipient_key,
        "period": body.period,
        "period_year": int(body.period[:4]),
        "facts": claim.facts.model_dump(mode="json"),
        "known_facts": [k.model_dump(mode="json") for k in claim.known],
        "person_refs": claim.person_refs,
        "note": body.note,
        **_decision_values(evaluation),
    }
    application = await repository.insert_application(session, values)
    if application is None:
        raise errors.Duplicate(details={"policy_code": policy.code, "period": body.period})
    await repository.add_files(session, application.id, [f.id for f in files], 1)
    await _history(session, application, None, user, body.note)
    return application


async def _history(
    session: AsyncSession,
    application: SubsidyApplication,
    from_status: str | None,
    user: User,
    note: str | None,
) -> None:
    await repository.add_history(
        session,
        application_id=application.id,
        from_status=from_status,
        to_status="submitted",
        actor_kind="user",
        actor_id=user.id,
        note=note,
        details={"expected_amount_fen": application.expected_amount_fen},
    )
    await record(
        session,
        actor_kind="user",
        actor_id=user.id,
        action="subsidy.submit" if from_status is None else "subsidy.resubmit",
        subject_kind="subsidy_application",
        subject_id=application.id,
        details={
            "policy_code": application.policy_code,
            "period": application.period,
            "engine_status": application.engine_status,
            "expected_amount_fen": application.expected_amount_fen,
        },
    )


async def get_readable(
    session: AsyncSession, user: User, application_id: uuid.UUID, *, for_update: bool = False
) -> SubsidyApplication:
    """The application if the user submitted it or is a member of its organisation (else 404)."""
    found = await repository.get_readable(session, application_id, user.id, for_update=for_update)
    if found is None:
        raise errors.ApplicationNotFound()
    return found


async def _reclaim(
    session: AsyncSession,
    hasher: KeyedHasher,
    user: User,
    application: SubsidyApplication,
    facts: Facts,
    today: date,
) -> Claim:
    if application.employer_id is None:
        return await claims.person_claim(session, user, facts)
    employer = await policies_repository.member_employer(session, application.employer_id, user.id)
    if employer is None:
        raise errors.ApplicationNotFound()
    return await claims.organisation_claim(
        session, hasher, employer, facts, period_year=application.period_year, today=today
    )


async def resubmit(
    session: AsyncSession,
    hasher: KeyedHasher,
    user: User,
    application_id: uuid.UUID,
    body: SubsidyResubmit,
    now: datetime,
) -> SubsidyApplication:
    """Answer a return: add materials and/or corrected facts; the engine decides again."""
    today = local_date(now)
    application = await get_readable(session, user, application_id, for_update=True)
    if application.status != "returned":
        raise errors.TransitionInvalid(details={"status": application.status})
    files = await owned_files(session, body.material_file_ids, user.id)
    values: dict[str, Any] = {}
    if body.facts is not None:
        claim = await _reclaim(session, hasher, user, application, body.facts, today)
        facts, keys = claim.facts, claim.person_keys
        values["facts"] = facts.model_dump(mode="json")
        values["known_facts"] = [k.model_dump(mode="json") for k in claim.known]
        values["person_refs"] = {**application.person_refs, **claim.person_refs}
    else:
        facts = Facts.model_validate(application.facts)
        keys = claims.person_keys(facts)
    policy = load_catalogue().get(application.policy_code)
    _, codes = claims.claim_codes(policy)
    evaluation = await decide(session, facts, application.recipient_key, keys, codes, today)
    values.update(_decision_values(evaluation))
    round_ = await repository.next_round(session, application.id)
    await repository.set_status(
        session,
        application,
        {**values, "status": "submitted", "note": body.note or application.note},
    )
    await repository.add_files(session, application.id, [f.id for f in files], round_)
    await _history(session, application, "returned", user, body.note)
    await notices.status_changed(session, now, application)
    return application
