"""The eligibility scan: run the rules engine over what the service already knows, offer what a
person or unit now qualifies for and has not applied for, and tell them once.

Incremental, never "everyone on every run":

* **facts changed** — the subjects whose facts moved since the watermark: a hire recorded
  (``employment_event``), a résumé edited (education, graduation), a real name verified, a unit
  verified or its interns changed. The watermark lags ``OVERLAP`` behind the last run, so a
  transaction that committed late is still seen (rescanning is harmless: offers are unique);
* **time passed** — eligibility can also arrive with the calendar alone (a contract reaching its
  months, a graduate year turning): every subject the scan has seen is scanned again
  ``RESCAN_AFTER`` later (``subsidy_offer_scan_subject.next_scan_at``).

What is offered (``worth_offering``): an outcome the engine calls ``eligible``; or one it calls
``needs_review`` when no condition failed and a condition resting on a fact the platform
*recorded* passed (a hire's employer and months, interns and their retention) — the person is told
what is still missing. A needs-review outcome backed only by self-declared or generic facts (a
graduate who might be an entrepreneur) is not offered: that would be noise. A policy already
applied for (any status but rejected) or already offered for the period is not offered again.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, select, union
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications.models import EmploymentEvent, Resume
from app.core.clock import local_date
from app.employers import repository as employer_repository
from app.employers.models import Employer
from app.identity.models import User
from app.internships.models import InternshipEnrolment
from app.notifications.kinds import NotificationKind
from app.notifications.outbox import Message, notify
from app.policies.catalogue import Policy, load_catalogue
from app.policies.engine import CheckResult, Facts, Outcome, evaluate
from app.policies.known_facts import fill_organisation, fill_person
from app.policies.ports import LedgerReader
from app.subsidies.models import SubsidyApplication
from app.subsidy_offers.models import OfferScanSubject, OfferScanWatermark, SubsidyOffer
from app.taxonomy.pay import format_amount

OVERLAP = timedelta(minutes=5)
RESCAN_AFTER = timedelta(days=30)
FIRST_RUN_LOOKBACK = timedelta(days=400)
WATERMARK = "facts"
BATCH = 200


@dataclass(frozen=True)
class ScanResult:
    people: int = 0
    units: int = 0
    offers: int = 0


# Check codes whose pass rests on facts the platform recorded itself (employment_event rows,
# internship records), never on what a person typed.
RECORDED_EVIDENCE = frozenset(
    {"employer_in_district", "employer_sme", "employed_months", "interns", "retention_rate"}
)


def _checks(checks: Iterable[CheckResult]) -> Iterable[CheckResult]:
    for check in checks:
        yield check
        yield from _checks(check.children)


def worth_offering(outcome: Outcome) -> bool:
    if outcome.status == "eligible":
        return True
    if outcome.status != "needs_review":
        return False
    top = outcome.record.checks
    if any(check.status == "fail" for check in top):
        return False
    return any(c.status == "pass" and c.code in RECORDED_EVIDENCE for c in _checks(top))


def _policies(applicant: str) -> dict[str, Policy]:
    return {
        p.code: p for p in load_catalogue().policies if p.applicant == applicant and p.computable
    }


async def _changed_people(session: AsyncSession, since: datetime) -> set[uuid.UUID]:
    stmt = union(
        select(EmploymentEvent.user_id).where(EmploymentEvent.created_at >= since),
        select(Resume.user_id).where(Resume.updated_at >= since),
        select(User.id).where(User.real_name_verified_at >= since),
    )
    return set((await session.execute(stmt)).scalars())


async def _changed_units(session: AsyncSession, since: datetime) -> set[uuid.UUID]:
    stmt = union(
        select(EmploymentEvent.employer_id).where(EmploymentEvent.created_at >= since),
        select(InternshipEnrolment.employer_id).where(InternshipEnrolment.updated_at >= since),
        select(Employer.id).where(Employer.updated_at >= since),
    )
    return set((await session.execute(stmt)).scalars())


async def _due(session: AsyncSession, kind: str, now: datetime) -> set[uuid.UUID]:
    stmt = (
        select(OfferScanSubject.subject_id)
        .where(OfferScanSubject.subject_kind == kind, OfferScanSubject.next_scan_at <= now)
        .order_by(OfferScanSubject.next_scan_at)
        .limit(BATCH)
    )
    return set((await session.execute(stmt)).scalars())


async def _mark_scanned(
    session: AsyncSession, kind: str, ids: Iterable[uuid.UUID], now: datetime
) -> None:
    rows = [
        {
            "subject_kind": kind,
            "subject_id": i,
            "scanned_at": now,
            "next_scan_at": now + RESCAN_AFTER,
        }
        for i in ids
    ]
    if not rows:
        return
    stmt = insert(OfferScanSubject).values(rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=["subject_kind", "subject_id"],
        set_={"scanned_at": stmt.excluded.scanned_at, "next_scan_at": stmt.excluded.next_scan_at},
    )
    await session.execute(stmt)


async def _settled(session: AsyncSession, recipient_key: str, policy: Policy, period: str) -> bool:
    """Not to be offered: applied for (any status but rejected), or already offered — in any
    period for a once-per-beneficiary policy, in this period otherwise."""
    applied = select(SubsidyApplication.id).where(
        SubsidyApplication.recipient_key == recipient_key,
        SubsidyApplication.policy_code == policy.code,
        SubsidyApplication.status != "rejected",
    )
    offered = select(SubsidyOffer.id).where(
        SubsidyOffer.recipient_key == recipient_key, SubsidyOffer.policy_code == policy.code
    )
    if not policy.once_per_beneficiary:
        offered = offered.where(SubsidyOffer.period == period)
    stmt = select(exists(applied) | exists(offered))
    return bool((await session.execute(stmt)).scalar())


def _draft(facts: Facts, subject: str) -> dict[str, object]:
    """The facts as an application body wants them: the service fills keys and registry facts."""
    data = facts.model_dump(mode="json", exclude_none=True)[subject]
    # Keys and registry facts are filled by the application itself, and so are the interns from
    # the internship records (their person keys are hashes, never ID numbers to hash again).
    for filled_by_service in ("key", "name", "is_sme", "interns"):
        data.pop(filled_by_service, None)
    return {subject: data}


async def _offer(
    session: AsyncSession,
    now: datetime,
    *,
    subject_kind: str,
    user_id: uuid.UUID,
    employer: Employer | None,
    recipient_key: str,
    facts: Facts,
    outcome: Outcome,
    ruleset_version: str,
) -> bool:
    """Insert the offer and tell the person; False when it was offered before."""
    period = str(local_date(now).year)
    stmt = (
        insert(SubsidyOffer)
        .values(
            id=uuid.uuid4(),
            subject_kind=subject_kind,
            user_id=user_id,
            employer_id=employer.id if employer is not None else None,
            recipient_key=recipient_key,
            policy_code=outcome.policy_code,
            period=period,
            amount_fen=outcome.amount_fen,
            engine_status=outcome.status,
            missing=list(dict.fromkeys(outcome.missing)),
            facts=_draft(facts, subject_kind),
            ruleset_version=ruleset_version,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["recipient_key", "policy_code", "period"])
        .returning(SubsidyOffer.id)
    )
    offer_id = (await session.execute(stmt)).scalar_one_or_none()
    if offer_id is None:
        return False
    amount = format_amount(outcome.amount_fen) if outcome.amount_fen else None
    who = f"贵单位（{employer.name}）" if employer is not None else "您"
    if outcome.status == "eligible":
        body = f"根据平台已有信息，{who}符合「{outcome.title}」条件"
        body += f"，预计可领取{amount}" if amount else ""
        body += "。申请信息已预先填好，确认后即可一键提交。"
    else:
        body = f"根据平台已有信息，{who}可能符合「{outcome.title}」条件。"
        body += "申请信息已预先填好，补充相关情况后即可提交，由工作人员审核。"
    await notify(
        session,
        now,
        [user_id],
        Message(
            kind=NotificationKind.SUBSIDY_OFFER,
            title="您有一项补贴可以申请",
            body=body,
            page=f"pages/subsidies/offer?id={offer_id}",
            keywords={
                "subject": outcome.title,
                "status": "可申请",
                "amount": amount or "以审核为准",
            },
            dedupe_key=f"subsidy-offer:{offer_id}",
        ),
    )
    return True


async def scan_person(
    session: AsyncSession, user: User, now: datetime, load_ledger: LedgerReader
) -> int:
    """Offers made to ``user`` as a person; 0 without a verified real name."""
    if not user.is_active or user.real_name_verified_at is None or user.id_number_hash is None:
        return 0
    person, _known = await fill_person(session, user, None, enforce=True)
    assert person.key is not None
    facts = Facts(person=person)
    policies = _policies("person")
    ledger = await load_ledger(session, [person.key], [])
    evaluation = evaluate(facts, on=local_date(now), ledger=ledger, policy_codes=set(policies))
    period = str(local_date(now).year)
    made = 0
    for outcome in evaluation.outcomes:
        policy = policies[outcome.policy_code]
        if not worth_offering(outcome) or await _settled(session, person.key, policy, period):
            continue
        made += await _offer(
            session,
            now,
            subject_kind="person",
            user_id=user.id,
            employer=None,
            recipient_key=person.key,
            facts=facts,
            outcome=outcome,
            ruleset_version=evaluation.ruleset_version,
        )
    return made


async def scan_unit(
    session: AsyncSession, employer: Employer, now: datetime, load_ledger: LedgerReader
) -> int:
    """Offers made to a verified unit (told to its owner)."""
    owner = await employer_repository.owner_id(session, employer.id)
    if not employer.is_verified or owner is None:
        return 0
    today = local_date(now)
    organisation, _known = await fill_organisation(session, employer, None, today=today)
    assert organisation.key is not None
    facts = Facts(organisation=organisation)
    policies = _policies("organisation")
    persons = [intern.person_key for intern in organisation.interns or []]
    ledger = await load_ledger(session, [organisation.key], persons)
    evaluation = evaluate(facts, on=today, ledger=ledger, policy_codes=set(policies))
    period = str(today.year)
    made = 0
    for outcome in evaluation.outcomes:
        policy = policies[outcome.policy_code]
        if not worth_offering(outcome) or await _settled(session, organisation.key, policy, period):
            continue
        made += await _offer(
            session,
            now,
            subject_kind="organisation",
            user_id=owner,
            employer=employer,
            recipient_key=organisation.key,
            facts=facts,
            outcome=outcome,
            ruleset_version=evaluation.ruleset_version,
        )
    return made


async def _watermark(session: AsyncSession, now: datetime) -> datetime:
    stmt = select(OfferScanWatermark).where(OfferScanWatermark.name == WATERMARK).with_for_update()
    mark = (await session.execute(stmt)).scalar_one_or_none()
    if mark is None:
        return now - FIRST_RUN_LOOKBACK
    return mark.scanned_up_to - OVERLAP


async def _advance(session: AsyncSession, now: datetime) -> None:
    stmt = insert(OfferScanWatermark).values(name=WATERMARK, scanned_up_to=now)
    stmt = stmt.on_conflict_do_update(index_elements=["name"], set_={"scanned_up_to": now})
    await session.execute(stmt)


async def run_scan(session: AsyncSession, now: datetime, load_ledger: LedgerReader) -> ScanResult:
    """One incremental pass: changed and due subjects; advances the watermark.

    The watermark row is locked for the pass, so two workers never scan at once.
    """
    since = await _watermark(session, now)
    people = await _changed_people(session, since) | await _due(session, "person", now)
    units = await _changed_units(session, since) | await _due(session, "organisation", now)
    offers = 0
    for user in (await session.execute(select(User).where(User.id.in_(people)))).scalars():
        offers += await scan_person(session, user, now, load_ledger)
    for employer in (
        await session.execute(select(Employer).where(Employer.id.in_(units)))
    ).scalars():
        offers += await scan_unit(session, employer, now, load_ledger)
    await _mark_scanned(session, "person", people, now)
    await _mark_scanned(session, "organisation", units, now)
    await _advance(session, now)
    return ScanResult(people=len(people), units=len(units), offers=offers)
