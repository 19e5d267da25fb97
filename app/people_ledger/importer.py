"""Apply validated rows to the ledger: merge duplicates, create or update, count each row.

Accounting (every non-blank data row lands in exactly one bucket):
``total = created + updated + unchanged + duplicates + rejected``.

* rows of one ID number within a file are merged first (in file order: a later non-empty cell
  wins, categories are united); the first such row carries the person's outcome, the others
  count as ``duplicates``. A later row whose name differs from the first is an error instead;
* against the ledger, a person found by the ID number's hash is updated with the file's
  non-empty cells (categories united; an empty cell never clears anything), else created;
* a person whose stored values already equal the merged values is ``unchanged``: importing the
  same file twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security import Security
from app.people_ledger.models import LedgerPerson
from app.people_ledger.rows import CellError, LedgerRow

NEW_PERSON_STATUS = "seeking"
# Fields copied from a row when its cell was filled (None: left as stored).
_PLAIN_FIELDS = (
    "area_code",
    "wanted_occupation_code",
    "education",
    "school",
    "major",
    "graduated_on",
    "registered_on",
    "note",
)


@dataclass(slots=True)
class Group:
    """The rows of one ID number in a file, merged."""

    digest: str
    row: LedgerRow
    rows: list[int]


@dataclass(slots=True)
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    processed: int = 0
    outcomes: dict[int, str] = field(default_factory=dict)  # first row → outcome (tests)


def merge(security: Security, rows: Iterable[LedgerRow]) -> tuple[list[Group], list[CellError]]:
    """Merge rows by ID number, in file order; a same-number row with another name is an error."""
    groups: dict[str, Group] = {}
    errors: list[CellError] = []
    for row in rows:
        digest = security.hasher.digest(row.id_number.number, purpose="id_number")
        group = groups.get(digest)
        if group is None:
            groups[digest] = Group(digest, row, [row.row])
        elif group.row.name != row.name:
            errors.append(
                CellError(row.row, "姓名", f"与第 {group.rows[0]} 行身份证号码相同，但姓名不同")
            )
        else:
            group.row = _combine(group.row, row)
            group.rows.append(row.row)
    return list(groups.values()), errors


def _combine(first: LedgerRow, later: LedgerRow) -> LedgerRow:
    values = {f.name: getattr(first, f.name) for f in fields(LedgerRow)}
    for f in fields(LedgerRow):
        value = getattr(later, f.name)
        if value is not None and f.name not in ("row", "categories"):
            values[f.name] = value
    values["categories"] = _union(first.categories, later.categories)
    return LedgerRow(**values)


def _union(old: Sequence[str], new: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*old, *new]))


async def apply_batch(
    session: AsyncSession,
    security: Security,
    groups: Sequence[Group],
    tally: Tally,
    *,
    import_id: object,
    today: date,
    now: datetime,
) -> None:
    """Create or update the batch's people (one locked read of those already in the ledger)."""
    stmt = (
        select(LedgerPerson)
        .where(LedgerPerson.id_number_hash.in_([g.digest for g in groups]))
        .with_for_update()
    )
    existing = {p.id_number_hash: p for p in await session.scalars(stmt)}
    for group in groups:
        person = existing.get(group.digest)
        if person is None:
            session.add(_new_person(security, group, import_id=import_id, today=today, now=now))
            outcome = "created"
        elif _update(security, person, group.row, now=now):
            person.last_import_id = import_id  # type: ignore[assignment]
            outcome = "updated"
        else:
            outcome = "unchanged"
        setattr(tally, outcome, getattr(tally, outcome) + 1)
        tally.outcomes[group.rows[0]] = outcome
        tally.duplicates += len(group.rows) - 1
        tally.processed += len(group.rows)
    await session.flush()


def _new_person(
    security: Security, group: Group, *, import_id: object, today: date, now: datetime
) -> LedgerPerson:
    row = group.row
    cipher = security.cipher
    return LedgerPerson(
        id_number_hash=group.digest,
        id_number_encrypted=cipher.encrypt(row.id_number.number, context="id_number"),
        name_encrypted=cipher.encrypt(row.name, context="real_name"),
        phone_encrypted=cipher.encrypt(row.phone, context="phone") if row.phone else None,
        birth_date=row.id_number.birth_date,
        sex=row.id_number.sex,
        categories=list(row.categories),
        status=row.status or NEW_PERSON_STATUS,
        status_changed_at=now,
        area_code=row.area_code,
        wanted_occupation_code=row.wanted_occupation_code,
        education=row.education,
        school=row.school,
        major=row.major,
        graduated_on=row.graduated_on,
        registered_on=row.registered_on or today,
        note=row.note,
        last_import_id=import_id,
    )


def _update(security: Security, person: LedgerPerson, row: LedgerRow, *, now: datetime) -> bool:
    """Bring ``person`` up to the row's filled cells; True when anything changed."""
    cipher = security.cipher
    changed = False
    if cipher.decrypt(person.name_encrypted, context="real_name") != row.name:
        person.name_encrypted = cipher.encrypt(row.name, context="real_name")
        changed = True
    stored_phone = (
        cipher.decrypt(person.phone_encrypted, context="phone") if person.phone_encrypted else None
    )
    if row.phone is not None and row.phone != stored_phone:
        person.phone_encrypted = cipher.encrypt(row.phone, context="phone")
        changed = True
    categories = list(_union(person.categories, row.categories))
    if categories != list(person.categories):
        person.categories = categories
        changed = True
    if row.status is not None and row.status != person.status:
        person.status = row.status
        person.status_changed_at = now
        changed = True
    for name in _PLAIN_FIELDS:
        value = getattr(row, name)
        if value is not None and value != getattr(person, name):
            setattr(person, name, value)
            changed = True
    return changed
