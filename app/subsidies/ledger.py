"""The award ledger: what the engine is told was already approved, and the locks around it.

Caps, once-only rules and 就高不重复 across time are only as good as the ledger an approval
reads. Two approvals that together pass a cap must not both succeed, so an approval first takes
transaction-scoped advisory locks — one per recipient (it covers every cap scope and year of that
recipient) and one per person the award is about (the same worker claimed by two agencies) — in
one global order (no deadlock), and only then reads the ledger and re-runs the engine. The locks
are released when the transaction commits or rolls back.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlalchemy import or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import advisory_key
from app.policies.engine import Ledger, LedgerEntry
from app.subsidies.models import SubsidyAward


async def load_ledger(
    session: AsyncSession, recipient_keys: Collection[str], person_keys: Collection[str]
) -> Ledger:
    """Approved awards paid to `recipient_keys`, or about `person_keys` (paid to anyone)."""
    conditions = []
    if recipient_keys:
        conditions.append(SubsidyAward.recipient_key.in_(sorted(recipient_keys)))
        # A person recipient's own awards may carry their key as person_key only.
        conditions.append(SubsidyAward.person_key.in_(sorted(recipient_keys)))
    if person_keys:
        conditions.append(SubsidyAward.person_key.in_(sorted(person_keys)))
    if not conditions:
        return Ledger()
    stmt = (
        select(SubsidyAward)
        .where(or_(*conditions))
        .order_by(SubsidyAward.awarded_on, SubsidyAward.created_at, SubsidyAward.id)
    )
    rows = (await session.execute(stmt)).scalars()
    return Ledger(entries=tuple(_entry(row) for row in rows))


def _entry(row: SubsidyAward) -> LedgerEntry:
    return LedgerEntry(
        policy_code=row.policy_code,
        recipient_key=row.recipient_key,
        person_key=row.person_key,
        item_key=row.item_key,
        amount_fen=row.amount_fen,
        year=row.year,
        awarded_on=row.awarded_on,
        quantity=row.quantity,
    )


def lock_id(name: str) -> int:
    """A stable signed 64-bit advisory lock id for `name`."""
    return advisory_key("subsidy", name)


async def lock_ledger(
    session: AsyncSession, recipient_key: str, person_keys: Iterable[str]
) -> None:
    """Serialise approvals touching this recipient or these persons (until the transaction ends)."""
    names = {f"recipient:{recipient_key}", *(f"person:{key}" for key in person_keys)}
    for ident in sorted(lock_id(name) for name in names):
        await session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": ident})
