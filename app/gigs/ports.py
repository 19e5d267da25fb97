"""What the booking lifecycle needs from domains above gigs, as interfaces.

``complaints`` reads gigs (a complaint's subject may be a gig booking), so gigs may not import it;
the wage complaint a pay dispute opens goes through :class:`WageComplaintOpener`, which
``app.main`` wires to ``app.complaints.service.open_wage_complaint``
(``app.state.wage_complaint_opener``).
"""

from __future__ import annotations

import uuid
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession


class WageComplaintOpener(Protocol):
    """Open the wage-arrears complaint of a disputed booking (or find the open one); its id."""

    async def __call__(
        self,
        session: AsyncSession,
        worker_id: uuid.UUID,
        booking_id: uuid.UUID,
        description: str,
        amount_fen: int | None,
    ) -> uuid.UUID: ...
