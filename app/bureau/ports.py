"""What the bureau needs from the people ledger (人员清单), which lands later on its own branch.

``app.main`` wires an implementation into ``app.state.people_ledger``; until the ledger exists
:class:`NoLedger` answers "not yet available" (None), so no figure is invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class LedgerRate:
    """帮扶就业率: ``employed`` of ``total`` ledger graduates, as of ``as_of``."""

    employed: int
    total: int
    as_of: datetime

    @property
    def percent(self) -> float | None:
        return round(100 * self.employed / self.total, 1) if self.total else None


class PeopleLedger(Protocol):
    async def assisted_employment_rate(
        self, session: AsyncSession, *, until: datetime
    ) -> LedgerRate | None:
        """The rate among ledger graduates at ``until``; None while the ledger is unavailable."""
        ...

    async def seekers_by_occupation(
        self, session: AsyncSession, *, at: datetime
    ) -> dict[str, int] | None:
        """Ledger people seeking work at ``at``, per occupation code; None while unavailable."""
        ...


class NoLedger:
    """The stand-in until the people ledger lands: every answer is "not yet available"."""

    async def assisted_employment_rate(
        self, session: AsyncSession, *, until: datetime
    ) -> LedgerRate | None:
        return None

    async def seekers_by_occupation(
        self, session: AsyncSession, *, at: datetime
    ) -> dict[str, int] | None:
        return None
