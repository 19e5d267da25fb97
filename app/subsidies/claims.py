"""From an application's body to the facts the engine decides on, and back from its answer.

- The subject's identity is the service's, not the caller's: a person's key, birth date and sex
  come from the real-name ID; an organisation's key, kind and SME status from the registry.
- People on a list (referred workers, interns, trainees) are named by their ID number; it is
  replaced by its keyed hash (the same key a user's real name gives), so one person is one key
  whichever agency lists them, and only a masked number is kept beside it.
- The application is decided together with the other policies of its 就高不重复 group, so an
  agency's referral list is split between the 500 and 800 rows in one decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security import KeyedHasher
from app.employers.models import Employer
from app.identity.idcard import IdNumberInvalid, validate_id_number
from app.identity.models import User
from app.policies.catalogue import Policy, load_catalogue
from app.policies.engine import Facts, Outcome
from app.policies.known_facts import fill_organisation, fill_person
from app.policies.schemas import KnownFact
from app.policies.service import check_bounds
from app.subsidies import errors

_HASH = re.compile(r"^[0-9a-f]{64}$")
_LISTS = ("referrals", "interns", "assisted_hires")


@dataclass(frozen=True)
class Claim:
    """The facts to decide on, what the service filled in, and the keys involved."""

    facts: Facts
    known: list[KnownFact]
    person_refs: dict[str, str]
    recipient_key: str
    person_keys: frozenset[str]


def claim_codes(policy: Policy) -> tuple[str, tuple[str, ...]]:
    """(claim code, policies decided together): the 就高不重复 group, or the policy alone."""
    group = load_catalogue().group(policy.exclusion_group)
    if group is None:
        return policy.code, (policy.code,)
    return group.code, group.policy_codes


def _person_key(
    raw: str, where: str, hasher: KeyedHasher, today: date, refs: dict[str, str], bad: list[Any]
) -> str:
    if _HASH.fullmatch(raw):
        return raw
    try:
        number = validate_id_number(raw, today=today)
    except IdNumberInvalid as error:
        bad.append({"row": where, "reason": (error.details or {}).get("reason")})
        return raw
    key = hasher.digest(number.number, purpose="id_number")
    refs[key] = number.masked
    return key


def _rows(org: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    rows = [(f"{name}[{i}]", row) for name in _LISTS for i, row in enumerate(org.get(name) or [])]
    for c, course in enumerate(org.get("training_courses") or []):
        rows += [
            (f"training_courses[{c}].trainees[{i}]", row)
            for i, row in enumerate(course.get("trainees") or [])
        ]
    return rows


def _hash_people(org: dict[str, Any], hasher: KeyedHasher, today: date) -> dict[str, str]:
    """Replace every listed person's ID number by its keyed hash; refuse malformed numbers."""
    refs: dict[str, str] = {}
    bad: list[Any] = []
    for where, row in _rows(org):
        row["person_key"] = _person_key(row["person_key"], where, hasher, today, refs, bad)
    if bad:
        raise errors.PersonKeyInvalid(details={"rows": bad[:50]})
    return refs


def person_keys(facts: Facts) -> frozenset[str]:
    """Every person a claim is about: the person applicant, or the people on its lists."""
    if facts.person is not None and facts.person.key is not None:
        return frozenset({facts.person.key})
    if facts.organisation is None:
        return frozenset()
    return frozenset(row["person_key"] for _, row in _rows(facts.organisation.model_dump()))


async def person_claim(session: AsyncSession, user: User, facts: Facts) -> Claim:
    if facts.person is None or facts.organisation is not None:
        raise errors.FactsMismatch("本人申请请只填写个人信息（person）")
    person, known = await fill_person(session, user, facts.person, enforce=True)
    assert person.key is not None, "person claims need a real-name user"
    filled = Facts(person=person)
    check_bounds(filled)
    return Claim(filled, known, {}, person.key, person_keys(filled))


async def organisation_claim(
    session: AsyncSession,
    hasher: KeyedHasher,
    employer: Employer,
    facts: Facts,
    *,
    period_year: int,
    today: date,
) -> Claim:
    if facts.organisation is None or facts.person is not None:
        raise errors.FactsMismatch("以单位名义申请请只填写单位信息（organisation）")
    data = facts.organisation.model_dump()
    year = data.get("referral_year")
    if year is not None and year != period_year:
        raise errors.FactsMismatch(f"推荐年度 {year} 与申报期间 {period_year} 年不一致")
    data["referral_year"] = period_year
    refs = _hash_people(data, hasher, today)
    given = Facts.model_validate({"organisation": data}).organisation
    org, known = await fill_organisation(session, employer, given, today=today)
    filled = Facts(organisation=org)
    check_bounds(filled)
    assert org.key is not None
    return Claim(filled, known, refs, org.key, person_keys(filled))


def engine_status(outcomes: list[Outcome]) -> str | None:
    """eligible / needs_review for the claim, None when every policy is ineligible."""
    statuses = {o.status for o in outcomes}
    if "needs_review" in statuses:
        return "needs_review"
    if "eligible" in statuses:
        return "eligible"
    return None


def amount_left_to_reviewer(outcomes: list[Outcome]) -> bool:
    """True when a policy of the claim is granted but its amount waits for an unverified amount
    parameter (higher-level policy): the reviewer enters the amount instead of overriding."""
    return any(
        outcome.status == "needs_review"
        and any(use.unit == "yuan" and not use.usable for use in outcome.record.parameters)
        for outcome in outcomes
    )


def granted_fen(outcomes: list[Outcome]) -> int:
    return sum(o.amount_fen or 0 for o in outcomes if o.status == "eligible")


def refusal_details(outcomes: list[Outcome]) -> dict[str, Any]:
    return {
        "outcomes": [
            {"policy_code": o.policy_code, "title": o.title, "reasons": list(o.reasons)}
            for o in outcomes
        ]
    }
