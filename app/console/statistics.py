"""统计报表: the plan's targets as a dashboard with charts, and the 月调度 / 季通报 reports as
printable pages with their Excel downloads — the same functions as ``/api/v1/admin/…``
(``app.bureau``), so the page, the JSON and the workbook show the same numbers."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.bureau import reports, supply_demand, targets, workbook
from app.bureau.dependencies import LedgerDep
from app.bureau.periods import MONTH_PATTERN, QUARTER_PATTERN, Month, Period
from app.bureau.schemas import TargetRead
from app.console import web
from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.downloads import xlsx_attachment

router = APIRouter(
    prefix=f"{web.PREFIX}/statistics", route_class=web.ConsoleRoute, include_in_schema=False
)

MonthText = Annotated[str | None, Query(pattern=MONTH_PATTERN)]
QuarterText = Annotated[str | None, Query(pattern=QUARTER_PATTERN)]
YearNumber = Annotated[int | None, Query(ge=2024, le=2099)]
TrendMonths = Annotated[int, Query(ge=1, le=12)]

CHART_WIDTH, CHART_HEIGHT = 600, 160


def bars(target: TargetRead) -> list[dict[str, object]]:
    """The monthly bars of an entered target, scaled into the SVG chart (server-drawn: no
    script, no chart library, nothing fetched from elsewhere)."""
    if not target.months:
        return []
    top = max(m.value for m in target.months) or 1
    step = CHART_WIDTH / len(target.months)
    return [
        {
            "x": round(i * step + step * 0.15, 1),
            "width": round(step * 0.7, 1),
            "height": round(m.value / top * (CHART_HEIGHT - 30), 1),
            "y": round(CHART_HEIGHT - 20 - m.value / top * (CHART_HEIGHT - 30), 1),
            "label": m.month[5:],
            "value": m.value,
        }
        for i, m in enumerate(target.months)
    ]


@router.get("", response_class=HTMLResponse)
async def dashboard(
    request: Request,
    staff: web.Reviewer,
    session: SessionDep,
    clock: ClockDep,
    ledger: LedgerDep,
    year: YearNumber = None,
) -> Response:
    now = clock()
    current = Month.containing(now)
    through = current if year is None or year == current.year else Month(year, 12)
    figures = await targets.target_figures(session, ledger, through, now)
    charts = {t.code: bars(t) for t in figures.items}
    return web.render(
        request,
        "statistics/dashboard.html",
        figures=figures,
        charts=charts,
        chart_width=CHART_WIDTH,
        chart_height=CHART_HEIGHT,
        current_month=str(current),
        current_quarter=Period.quarter_of(current).label,
    )


def _month(text: str | None, clock: ClockDep) -> Month:
    return Month.parse(text) if text else Month.containing(clock())


def _quarter(text: str | None, clock: ClockDep) -> Period:
    if text:
        return Period.quarter(text)
    return Period.quarter_of(Month.containing(clock()))


@router.get("/monthly", response_class=HTMLResponse)
async def monthly(
    request: Request,
    staff: web.Reviewer,
    session: SessionDep,
    clock: ClockDep,
    ledger: LedgerDep,
    month: MonthText = None,
) -> Response:
    report = await reports.monthly_report(session, ledger, _month(month, clock), clock())
    return web.render(request, "statistics/monthly.html", report=report)


@router.get("/monthly.xlsx")
async def monthly_xlsx(
    staff: web.Reviewer,
    session: SessionDep,
    clock: ClockDep,
    ledger: LedgerDep,
    month: MonthText = None,
) -> Response:
    chosen = _month(month, clock)
    report = await reports.monthly_report(session, ledger, chosen, clock())
    content = await asyncio.to_thread(workbook.monthly_workbook, report)
    return xlsx_attachment(content, f"月调度-{chosen}.xlsx", f"monthly-{chosen}.xlsx")


@router.get("/quarterly", response_class=HTMLResponse)
async def quarterly(
    request: Request,
    staff: web.Reviewer,
    session: SessionDep,
    clock: ClockDep,
    quarter: QuarterText = None,
) -> Response:
    report = await reports.quarterly_report(session, _quarter(quarter, clock), clock())
    return web.render(request, "statistics/quarterly.html", report=report)


@router.get("/quarterly.xlsx")
async def quarterly_xlsx(
    staff: web.Reviewer,
    session: SessionDep,
    clock: ClockDep,
    quarter: QuarterText = None,
) -> Response:
    period = _quarter(quarter, clock)
    report = await reports.quarterly_report(session, period, clock())
    content = await asyncio.to_thread(workbook.quarterly_workbook, report)
    return xlsx_attachment(content, f"季通报-{period.label}.xlsx", f"quarterly-{period.label}.xlsx")


@router.get("/supply-demand", response_class=HTMLResponse)
async def supply_demand_page(
    request: Request,
    staff: web.Reviewer,
    session: SessionDep,
    clock: ClockDep,
    ledger: LedgerDep,
    month: MonthText = None,
    months: TrendMonths = 6,
) -> Response:
    """人力资源市场供求分析: the same figures as ``GET /api/v1/admin/supply-demand``."""
    chosen = _month(month, clock)
    report = await supply_demand.supply_demand(session, ledger, chosen, clock(), months)
    trend_months = [str(chosen.shift(-back)) for back in range(months - 1, -1, -1)]
    return web.render(
        request,
        "statistics/supply_demand.html",
        report=report,
        months=months,
        trend_months=trend_months,
    )
