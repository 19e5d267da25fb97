"""Supply–demand analysis (人力资源市场供求分析) and the shortage rule (急需紧缺职业).

The shortage rule, stated once here and in docs/bureau.md: an occupation is a shortage
occupation for month M when, in each of the ``consecutive_months`` months ending with M, its
openings reach ``openings_min`` and its openings are at least ``ratio_min`` times its seekers (an
occupation with openings and no seeker at all qualifies).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.bureau import market
from app.bureau.figures import Window
from app.bureau.periods import Month
from app.bureau.ports import PeopleLedger
from app.bureau.schemas import (
    MarketRow,
    OccupationTrend,
    ShortageItem,
    ShortageRuleRead,
    SupplyDemandRead,
    TrendPoint,
)
from app.taxonomy.loader import areas_by_code, occupation_categories, occupations_by_code


@dataclass(frozen=True)
class ShortageRule:
    ratio_min: float = 1.5
    consecutive_months: int = 2
    openings_min: int = 10

    def holds(self, point: TrendPoint) -> bool:
        if point.openings < self.openings_min:
            return False
        return point.seekers == 0 or point.openings >= self.ratio_min * point.seekers

    def read(self) -> ShortageRuleRead:
        text = (
            f"连续 {self.consecutive_months} 个月岗位需求人数不少于 {self.openings_min} 人，"
            f"且求人倍率（岗位需求人数 / 求职人数）不低于 {self.ratio_min}（无求职者视为满足）"
        )
        return ShortageRuleRead(
            ratio_min=self.ratio_min,
            consecutive_months=self.consecutive_months,
            openings_min=self.openings_min,
            text=text,
        )


DEFAULT_RULE = ShortageRule()


def _ratio(openings: int, seekers: int) -> float | None:
    return round(openings / seekers, 2) if seekers else None


def _occupation_name(code: str) -> tuple[str, str | None]:
    occupation = occupations_by_code().get(code)
    return (occupation.name, occupation.category) if occupation else (code, None)


async def _seekers(
    session: AsyncSession, ledger: PeopleLedger, at: datetime
) -> tuple[dict[str, int], bool]:
    seekers = await market.seekers_by(session, at, by_area=False)
    from_ledger = await ledger.seekers_by_occupation(session, at=at)
    for code, count in (from_ledger or {}).items():
        seekers[code] = seekers.get(code, 0) + count
    return seekers, from_ledger is not None


async def month_points(
    session: AsyncSession, ledger: PeopleLedger, month: Month, now: datetime
) -> dict[str, TrendPoint]:
    """Openings, seekers and their ratio per occupation for one month."""
    window = Window(month.start, month.end, now)
    openings = await market.openings_by(session, window, by_area=False)
    seekers, _ = await _seekers(session, ledger, window.held_until)
    return {
        code: TrendPoint(
            month=str(month),
            openings=openings.get(code, market.Openings()).total,
            seekers=seekers.get(code, 0),
            ratio=_ratio(openings.get(code, market.Openings()).total, seekers.get(code, 0)),
        )
        for code in sorted(set(openings) | set(seekers))
    }


def _row(
    code: str,
    name: str,
    category: str | None,
    o: market.Openings,
    seekers: int,
    applications: int | None,
) -> MarketRow:
    return MarketRow(
        code=code,
        name=name,
        category=category,
        openings=o.total,
        job_openings=o.job_openings,
        gig_openings=o.gig_openings,
        postings=o.postings,
        seekers=seekers,
        applications=applications,
        applications_per_opening=(
            round(applications / o.total, 2) if applications is not None and o.total else None
        ),
        ratio=_ratio(o.total, seekers),
        median_monthly_pay_fen=o.median_monthly_pay_fen,
        median_gig_daily_pay_fen=o.median_gig_daily_pay_fen,
    )


def _categories(rows: Iterable[MarketRow]) -> list[MarketRow]:
    """Occupation rows summed per category (medians do not add up, so they are left out)."""
    names = {c.code: c.name for c in occupation_categories()}
    sums: dict[str, list[int]] = {}
    for row in rows:
        key = row.category or "other"
        total = sums.setdefault(key, [0, 0, 0, 0, 0])
        for index, value in enumerate(
            (row.job_openings, row.gig_openings, row.postings, row.seekers, row.applications or 0)
        ):
            total[index] += value
    return [
        _row(
            code,
            names.get(code, "其他"),
            None,
            market.Openings(jobs, postings, None, gigs),
            seekers,
            applications,
        )
        for code, (jobs, gigs, postings, seekers, applications) in sums.items()
    ]


def _by_ratio(rows: list[MarketRow]) -> list[MarketRow]:
    return sorted(
        rows, key=lambda r: (-(r.ratio or (1e9 if r.openings else 0)), -r.openings, r.code)
    )


async def supply_demand(
    session: AsyncSession, ledger: PeopleLedger, month: Month, now: datetime, trend_months: int
) -> SupplyDemandRead:
    window = Window(month.start, month.end, now)
    openings = await market.openings_by(session, window, by_area=False)
    seekers, ledger_included = await _seekers(session, ledger, window.held_until)
    applications = await market.applications_by_occupation(session, window)
    occupation_rows = []
    for code in set(openings) | set(seekers):
        name, category = _occupation_name(code)
        occupation_rows.append(
            _row(
                code,
                name,
                category,
                openings.get(code, market.Openings()),
                seekers.get(code, 0),
                applications.get(code, 0),
            )
        )
    area_openings = await market.openings_by(session, window, by_area=True)
    area_seekers = await market.seekers_by(session, window.held_until, by_area=True)
    area_names = {a.code: a.name for a in areas_by_code().values()}
    area_rows = [
        _row(
            code,
            area_names.get(code, code),
            None,
            area_openings.get(code, market.Openings()),
            area_seekers.get(code, 0),
            None,
        )
        for code in set(area_openings) | set(area_seekers)
    ]
    trend = await _trend(
        session, ledger, month, now, trend_months, {r.code for r in occupation_rows}
    )
    return SupplyDemandRead(
        month=str(month),
        as_of=window.held_until,
        ledger_included=ledger_included,
        occupations=_by_ratio(occupation_rows),
        categories=_by_ratio(_categories(occupation_rows)),
        areas=_by_ratio(area_rows),
        trend=trend,
    )


async def _trend(
    session: AsyncSession,
    ledger: PeopleLedger,
    month: Month,
    now: datetime,
    count: int,
    codes: set[str],
) -> list[OccupationTrend]:
    months = [month.shift(-i) for i in reversed(range(count))]
    by_month = [await month_points(session, ledger, m, now) for m in months]
    return [
        OccupationTrend(
            code=code,
            name=_occupation_name(code)[0],
            points=[
                points.get(code, TrendPoint(month=str(m), openings=0, seekers=0, ratio=None))
                for m, points in zip(months, by_month, strict=True)
            ],
        )
        for code in sorted(codes)
    ]


async def shortage_candidates(
    session: AsyncSession, ledger: PeopleLedger, month: Month, now: datetime, rule: ShortageRule
) -> list[ShortageItem]:
    """Occupations meeting ``rule`` in the months ending with ``month``, most acute first."""
    months = [month.shift(-i) for i in reversed(range(rule.consecutive_months))]
    by_month = [await month_points(session, ledger, m, now) for m in months]
    items = []
    for code in sorted(set().union(*by_month)):
        points = [
            points.get(code, TrendPoint(month=str(m), openings=0, seekers=0, ratio=None))
            for m, points in zip(months, by_month, strict=True)
        ]
        if all(rule.holds(p) for p in points):
            name, category = _occupation_name(code)
            items.append(ShortageItem(code=code, name=name, category=category, points=points))
    return sorted(items, key=lambda i: -(i.points[-1].ratio or 1e9))
