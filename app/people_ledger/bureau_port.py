"""The people ledger as the bureau sees it (``app.bureau.ports.PeopleLedger``, wired by
``app.main``): the 帮扶就业率 for the targets and the ledger's seekers for supply–demand."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.bureau.ports import LedgerRate
from app.core.clock import local_date
from app.people_ledger.figures import assistance_employment_figures
from app.people_ledger.models import LedgerPerson

SEEKING = "seeking"


class LedgerFigures:
    async def assisted_employment_rate(
        self, session: AsyncSession, *, until: datetime
    ) -> LedgerRate | None:
        """The rate of the year ``until`` falls in (Beijing), as the ledger stands now."""
        figures = await assistance_employment_figures(session, local_date(until).year)
        return LedgerRate(employed=figures.employed, total=figures.graduates, as_of=until)

    async def seekers_by_occupation(
        self, session: AsyncSession, *, at: datetime
    ) -> dict[str, int] | None:
        """People in the ledger by ``at`` who are seeking work, per wanted occupation."""
        stmt = (
            select(LedgerPerson.wanted_occupation_code, func.count())
            .where(
                LedgerPerson.status == SEEKING,
                LedgerPerson.wanted_occupation_code.is_not(None),
                LedgerPerson.registered_on <= local_date(at),
            )
            .group_by(LedgerPerson.wanted_occupation_code)
        )
        return {str(code): int(n) for code, n in (await session.execute(stmt)).all()}
