"""Facts the service already knows, filled into a calculator request or an application.

- A person (logged in): the keyed hash of the ID number (to compare with earlier awards), birth
  date and sex from the real-name ID card, hires recorded through job applications, and — as the
  person wrote it in the resume — whether they are a college graduate and when they left school.
- An organisation the user is a member of: its credit code, name, kind and SME status from the
  employer registry, and its interns from the internship records.

Each filled value is returned as a ``KnownFact`` with its source, so the person sees what the
service assumed. Registry facts (keys, organisation kind, SME flag) always replace what was sent;
in ``enforce`` mode (applications, which pay money) so do the ID card's birth date and sex.
Everything else is filled only when absent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.employers.models import Employer
from app.identity.models import User
from app.policies import repository
from app.policies.engine import EmploymentSpell, OrganisationFacts, PersonFacts
from app.policies.schemas import SOURCE_LABELS, KnownFact, KnownFactSource

COLLEGE_DEGREES = frozenset({"associate", "bachelor", "master", "doctorate"})
ORG_KINDS: dict[str, str] = {
    "enterprise": "enterprise",
    "state_owned": "enterprise",
    "hr_agency": "hr_agency",
    "public_institution": "public_institution",
    "individual_business": "other",
}


def person_key(user: User) -> str | None:
    """The engine's person key: the keyed hash of the verified ID number."""
    if user.real_name_verified_at is None:
        return None
    return user.id_number_hash


@dataclass
class _Filler:
    """Collects updates to one subject and the known facts that explain them."""

    prefix: str
    given: dict[str, Any]
    updates: dict[str, Any] = field(default_factory=dict)
    known: list[KnownFact] = field(default_factory=list)

    def put(
        self, name: str, label: str, value: Any, source: KnownFactSource, *, force: bool
    ) -> None:
        """Set `name` to `value` when absent (or always with `force`), and say so."""
        current = self.given.get(name)
        if value is None or (current is not None and not force):
            return
        shown = _shown(value)
        if current is not None and _shown(current) == shown:
            return
        self.updates[name] = value
        self.known.append(
            KnownFact(
                field=f"{self.prefix}.{name}",
                label=label,
                value=shown,
                source=source,
                source_label=SOURCE_LABELS[source],
                replaced=current is not None,
            )
        )


def _shown(value: Any) -> Any:
    if isinstance(value, list):
        return [_shown(v) for v in value]
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, date):
        return value.isoformat()
    return value


async def fill_person(
    session: AsyncSession, user: User, given: PersonFacts | None, *, enforce: bool
) -> tuple[PersonFacts, list[KnownFact]]:
    """`given` (or empty person facts) completed with what the service knows about `user`."""
    data = given.model_dump() if given is not None else {}
    filler = _Filler("person", data)
    key = person_key(user)
    if key is not None:
        filler.put("key", "人员标识（身份证号的密钥哈希）", key, "real_name", force=True)
        identity_forced = enforce or (data.get("birth_date") is None and data.get("age") is None)
        if identity_forced:
            filler.put("birth_date", "出生日期", user.birth_date, "real_name", force=enforce)
            if enforce and "birth_date" in filler.updates:
                filler.updates["age"] = None
        woman = None if user.sex is None else user.sex == "female"
        filler.put("woman", "是否女性", woman, "real_name", force=enforce)
    await _fill_employments(session, user, filler)
    await _fill_education(session, user, filler)
    return PersonFacts.model_validate({**data, **filler.updates}), filler.known


async def _fill_employments(session: AsyncSession, user: User, filler: _Filler) -> None:
    if filler.given.get("employments") is not None:
        return
    rows = await repository.employments(session, user.id)
    spells = [
        EmploymentSpell(
            employer_name=employer.name,
            employer_in_district=True,  # employers register with an area of Dongsheng District
            employer_is_sme=employer.is_sme,
            start_date=event.start_date,
            contract_months=event.contract_months,
        )
        for event, employer in rows
    ]
    if spells:
        filler.put("employments", "就业经历", spells, "employment_event", force=False)


async def _fill_education(session: AsyncSession, user: User, filler: _Filler) -> None:
    education = await repository.resume_education(session, user.id)
    if not education:
        return
    college = [e for e in education if e.get("degree") in COLLEGE_DEGREES]
    filler.put("is_college_graduate", "是否高校毕业生", bool(college), "resume", force=False)
    left = max(
        (str(e["graduation_date"]) for e in college if e.get("graduation_date")), default=None
    )
    if left is not None:
        filler.put(
            "left_school_on", "毕业（离校）日期", date.fromisoformat(left), "resume", force=False
        )


async def fill_organisation(
    session: AsyncSession, employer: Employer, given: OrganisationFacts | None, *, today: date
) -> tuple[OrganisationFacts, list[KnownFact]]:
    """`given` completed (and corrected) with the registry's facts about `employer`."""
    data = given.model_dump() if given is not None else {}
    filler = _Filler("organisation", data)
    filler.put("key", "单位标识（统一社会信用代码）", employer.credit_code, "employer", force=True)
    filler.put("name", "单位名称", employer.name, "employer", force=True)
    filler.put("kind", "单位类型", ORG_KINDS[employer.kind], "employer", force=True)
    filler.put("is_sme", "是否中小企业", employer.is_sme, "employer", force=True)
    if data.get("interns") is None:
        interns = await _interns(session, employer, today)
        if interns:
            filler.put("interns", "见习人员名单", interns, "internship_enrolment", force=False)
    return OrganisationFacts.model_validate({**data, **filler.updates}), filler.known


async def _interns(session: AsyncSession, employer: Employer, today: date) -> list[dict[str, Any]]:
    """The unit's interns as the engine's ``Intern`` rows (from the internship records)."""
    from app.internships import service as internships  # the internship records of app.internships

    noon = datetime(today.year, today.month, today.day, 4, tzinfo=UTC)  # 12:00 in Shanghai
    clock: Callable[[], datetime] = lambda: noon  # noqa: E731
    facts = await internships.facts(session, clock, employer)
    return [intern.model_dump(mode="json") for intern in facts.interns]
