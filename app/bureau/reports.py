"""月调度 (monthly scheduling report) and 季通报 (quarterly notice), as data; the workbook module
renders the same objects, so the Excel files cannot disagree with the JSON."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.bureau import repository
from app.bureau.figures import FIGURE_LABELS, Window, platform_figures
from app.bureau.measures import progress_read
from app.bureau.periods import Month, Period
from app.bureau.plan import Measure, measures, units
from app.bureau.ports import PeopleLedger
from app.bureau.schemas import (
    FigureRead,
    MonthlyMeasureRow,
    MonthlyReport,
    ProgressRead,
    QuarterlyReport,
    QuarterMeasureRow,
    QuarterTotals,
    UnitRow,
)
from app.bureau.targets import target_figures


async def monthly_report(
    session: AsyncSession, ledger: PeopleLedger, month: Month, now: datetime
) -> MonthlyReport:
    by_measure: dict[int, list[ProgressRead]] = defaultdict(list)
    for progress, username in await repository.progress_of_month(session, month.first_day):
        by_measure[progress.measure_no].append(progress_read(progress, username))
    rows = []
    for measure in measures():
        entries = by_measure.get(measure.no, [])
        entered = {e.unit for e in entries}
        rows.append(
            MonthlyMeasureRow(
                no=measure.no,
                title=measure.title,
                lead=measure.lead,
                units=list(measure.units),
                entry_count=len(entries),
                entries=entries,
                missing_units=[u for u in measure.named_units() if u not in entered],
            )
        )
    figures = await platform_figures(session, Window(month.start, month.end, now))
    platform = [
        FigureRead(key=key, label=label, value=figures[key], source="platform")
        for key, label in FIGURE_LABELS
    ]
    return MonthlyReport(
        month=str(month),
        generated_at=now,
        measures=rows,
        entries_total=sum(r.entry_count for r in rows),
        platform=platform,
        targets=await target_figures(session, ledger, month, now),
    )


def _unit_row(unit: str, cells: dict[tuple[str, int, Month], int], months: list[Month]) -> UnitRow:
    named = [m for m in measures() if unit in m.named_units()]
    entered = sum(1 for m in named for month in months if (unit, m.no, month) in cells)
    expected = len(named) * len(months)
    return UnitRow(
        unit=unit,
        measures_led=sum(1 for m in named if m.lead == unit),
        measures_shared=sum(1 for m in named if m.lead != unit),
        entries=sum(n for (u, _, _), n in cells.items() if u == unit),
        months_expected=expected,
        months_missing=expected - entered,
    )


def _measure_row(measure: Measure, cells: dict[tuple[str, int, Month], int]) -> QuarterMeasureRow:
    mine = {key: n for key, n in cells.items() if key[1] == measure.no}
    return QuarterMeasureRow(
        no=measure.no,
        title=measure.title,
        lead=measure.lead,
        units=list(measure.units),
        entries=sum(mine.values()),
        months_with_progress=len({month for _, _, month in mine}),
        flagged=not mine,
    )


async def quarterly_report(session: AsyncSession, period: Period, now: datetime) -> QuarterlyReport:
    """Units compared over the quarter's months that have begun; measures without progress."""
    current = Month.containing(now)
    months = [m for m in period.months if m <= current]
    counts = await repository.progress_counts(session, period.first_day, period.end_day)
    cells = {(r.unit, r.measure_no, Month.of(r.month)): r.entries for r in counts}
    known = list(units())
    extra = sorted({unit for unit, _, _ in cells} - set(known))
    unit_rows = [_unit_row(unit, cells, months) for unit in [*known, *extra]]
    measure_rows = [_measure_row(m, cells) for m in measures()]
    return QuarterlyReport(
        quarter=period.label,
        months=[str(m) for m in months],
        generated_at=now,
        units=unit_rows,
        totals=QuarterTotals(
            entries=sum(r.entries for r in unit_rows),
            months_expected=sum(r.months_expected for r in unit_rows),
            months_missing=sum(r.months_missing for r in unit_rows),
        ),
        measures=measure_rows,
        measures_without_progress=[r.no for r in measure_rows if r.flagged],
    )
