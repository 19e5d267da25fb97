"""Request-scoped pieces of the bureau's endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query, Request

from app.bureau.periods import MONTH_PATTERN, QUARTER_PATTERN, Month, Period
from app.bureau.ports import NoLedger, PeopleLedger


def get_people_ledger(request: Request) -> PeopleLedger:
    """The people ledger wired by ``app.main``; "not yet available" until it lands."""
    ledger: PeopleLedger | None = getattr(request.app.state, "people_ledger", None)
    return ledger or NoLedger()


LedgerDep = Annotated[PeopleLedger, Depends(get_people_ledger)]


def month_query(
    month: Annotated[
        str, Query(pattern=MONTH_PATTERN, description="月份（北京时间）", examples=["2025-06"])
    ],
) -> Month:
    return Month.parse(month)


def month_path(
    month: Annotated[str, Path(pattern=MONTH_PATTERN, description="月份", examples=["2025-06"])],
) -> Month:
    return Month.parse(month)


def quarter_query(
    quarter: Annotated[
        str, Query(pattern=QUARTER_PATTERN, description="季度", examples=["2025-Q2"])
    ],
) -> Period:
    return Period.quarter(quarter)


MonthQuery = Annotated[Month, Depends(month_query)]
MonthPath = Annotated[Month, Depends(month_path)]
QuarterQuery = Annotated[Period, Depends(quarter_query)]
