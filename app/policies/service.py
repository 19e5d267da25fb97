"""The catalogue search and the calculator (facts → every policy's outcome, with reasons).

Services never import FastAPI; the router passes the user (if any) and the date.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core import errors
from app.identity.models import User
from app.policies import repository
from app.policies.catalogue import AUDIENCE_LABELS, Audience, Policy, load_catalogue
from app.policies.engine import (
    EMPTY_LEDGER,
    Evaluation,
    Facts,
    InvalidEvaluationInput,
    Ledger,
    OrganisationFacts,
    PersonFacts,
    evaluate,
)
from app.policies.known_facts import fill_organisation, fill_person
from app.policies.ports import LedgerReader
from app.policies.schemas import EvaluateRequest, EvaluationRead, KnownFact, StatusCounts
from app.search.tokenizer import document_terms, query_terms

# Dates a claim can be about; anything outside is a typing mistake (and would overflow the
# month arithmetic of the rules).
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
MAX_LIST_ITEMS = 2000


class FactsRequired(errors.ValidationFailed):
    code = "policy.facts_required"
    message = "请填写个人或单位情况后再测算"


class EmployerNotMember(errors.NotFound):
    code = "policy.employer_not_found"
    message = "单位不存在，或您不是该单位的成员"


# --- catalogue -------------------------------------------------------------------------------


@cache
def _terms(code: str) -> frozenset[str]:
    policy = load_catalogue().get(code)
    labels = " ".join(AUDIENCE_LABELS[a] for a in policy.audiences)
    text = " ".join((policy.title, policy.summary, policy.amount_text, labels, *policy.conditions))
    return frozenset(document_terms(text))


def _matches(policy: Policy, keyword: str) -> bool:
    """Substring match, or every segmented query word among the policy's words (jieba)."""
    if policy.matches(keyword):
        return True
    wanted = query_terms(keyword)
    return bool(wanted) and set(wanted) <= _terms(policy.code)


def search(
    *,
    keyword: str | None,
    audience: Audience | None,
    computable: bool | None,
    include_general: bool,
) -> list[Policy]:
    """Policies in catalogue order matching every filter given."""
    found = load_catalogue().filter(
        audience=audience, computable=computable, include_general=include_general
    )
    if keyword and keyword.strip():
        found = [p for p in found if _matches(p, keyword)]
    return found


def get_policy(code: str) -> Policy:
    return load_catalogue().get(code)


# --- calculator ------------------------------------------------------------------------------


def _walk(value: Any) -> Iterator[Any]:
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _walk(item)


def check_bounds(facts: Facts) -> None:
    """Refuse dates outside 1900–2100 and lists longer than any real claim."""
    for value in _walk(facts.model_dump()):
        if isinstance(value, date) and not EARLIEST_DATE <= value <= LATEST_DATE:
            raise InvalidEvaluationInput(
                f"日期 {value.isoformat()} 超出范围（1900-01-01 至 2100-12-31）"
            )
        if isinstance(value, list) and len(value) > MAX_LIST_ITEMS:
            raise InvalidEvaluationInput(f"名单最多 {MAX_LIST_ITEMS} 条，请分批申报")


def _on(requested: date | None, today: date) -> date:
    on = requested or today
    if not date(2000, 1, 1) <= on <= LATEST_DATE:
        raise InvalidEvaluationInput("评估日期超出范围（2000-01-01 至 2100-12-31）")
    return on


async def _subjects(
    session: AsyncSession, user: User | None, body: EvaluateRequest, today: date
) -> tuple[PersonFacts | None, OrganisationFacts | None, list[KnownFact]]:
    person, organisation = body.person, body.organisation
    known: list[KnownFact] = []
    if user is None:
        if body.employer_id is not None:
            raise errors.Unauthorized("测算本单位的补贴请先登录")
        return person, organisation, known
    if body.employer_id is not None:
        employer = await repository.member_employer(session, body.employer_id, user.id)
        if employer is None:
            raise EmployerNotMember()
        organisation, org_known = await fill_organisation(
            session, employer, organisation, today=today
        )
        known += org_known
    if person is not None or organisation is None:
        person, person_known = await fill_person(session, user, person, enforce=False)
        known += person_known
    return person, organisation, known


def _ledger_keys(facts: Facts, known: list[KnownFact]) -> tuple[set[str], set[str]]:
    """Subject keys and intern keys the service itself filled in (never keys a caller typed)."""
    vouched = {f.field for f in known}
    recipients: set[str] = set()
    if facts.person is not None and facts.person.key and "person.key" in vouched:
        recipients.add(facts.person.key)
    org = facts.organisation
    if org is not None and org.key and "organisation.key" in vouched:
        recipients.add(org.key)
    persons = set()
    if org is not None and org.interns and "organisation.interns" in vouched:
        persons = {intern.person_key for intern in org.interns}
    return recipients, persons


def _keyed(facts: Facts) -> bool:
    """The engine compares a ledger only when every subject given has a key."""
    return all(
        subject is None or subject.key is not None for subject in (facts.person, facts.organisation)
    )


async def calculate(
    session: AsyncSession,
    user: User | None,
    body: EvaluateRequest,
    today: date,
    load_ledger: LedgerReader,
) -> EvaluationRead:
    """Every (requested) computable policy's outcome for the facts, filled in for a user."""
    on = _on(body.on, today)
    person, organisation, known = await _subjects(session, user, body, today)
    if person is None and organisation is None:
        raise FactsRequired()
    facts = Facts(person=person, organisation=organisation)
    check_bounds(facts)
    ledger: Ledger = EMPTY_LEDGER
    recipients, persons = _ledger_keys(facts, known)
    if recipients and _keyed(facts):
        ledger = await load_ledger(session, recipients, persons)
    codes = set(body.policy_codes) if body.policy_codes is not None else None
    evaluation = evaluate(facts, on=on, ledger=ledger, policy_codes=codes)
    return evaluation_read(evaluation, facts, known, len(ledger.entries))


def evaluation_read(
    evaluation: Evaluation, facts: Facts, known: list[KnownFact], history: int
) -> EvaluationRead:
    statuses = [o.status for o in evaluation.outcomes]
    return EvaluationRead(
        evaluated_on=evaluation.evaluated_on,
        ruleset_version=evaluation.ruleset_version,
        parameter_set=evaluation.parameter_set,
        total_eligible_fen=evaluation.total_eligible_fen,
        counts=StatusCounts(
            eligible=statuses.count("eligible"),
            needs_review=statuses.count("needs_review"),
            ineligible=statuses.count("ineligible"),
        ),
        outcomes=list(evaluation.outcomes),
        exclusions=list(evaluation.exclusions),
        known_facts=known,
        facts=facts,
        history_considered=history,
    )
