"""What the calculator needs from domains above policies, as interfaces.

``subsidies`` builds on the catalogue and the engine, so policies may not import it; the award
ledger the calculator compares is read through :class:`LedgerReader`, which ``app.main`` wires to
``app.subsidies.ledger.load_ledger`` (``app.state.ledger_reader``).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from app.policies.engine import Ledger


class LedgerReader(Protocol):
    """Approved awards paid to ``recipient_keys``, or about ``person_keys`` (paid to anyone)."""

    async def __call__(
        self, session: AsyncSession, recipient_keys: Collection[str], person_keys: Collection[str]
    ) -> Ledger: ...
