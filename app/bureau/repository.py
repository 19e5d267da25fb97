"""SQL of the bureau's own tables (entered figures and liaison progress)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.bureau.models import MeasureProgress, TargetEntry
from app.identity.models import StaffAccount


async def entries_between(
    session: AsyncSession, code: str, first_day: date, end_day: date
) -> list[TargetEntry]:
    rows = await session.execute(
        select(TargetEntry)
        .where(
            TargetEntry.target_code == code,
            TargetEntry.month >= first_day,
            TargetEntry.month < end_day,
        )
        .order_by(TargetEntry.month)
    )
    return list(rows.scalars())


async def entry_for_update(session: AsyncSession, code: str, month: date) -> TargetEntry | None:
    rows = await session.execute(
        select(TargetEntry)
        .where(TargetEntry.target_code == code, TargetEntry.month == month)
        .with_for_update()
    )
    return rows.scalar_one_or_none()


async def progress_for_update(
    session: AsyncSession, measure_no: int, month: date, unit: str
) -> MeasureProgress | None:
    rows = await session.execute(
        select(MeasureProgress)
        .where(
            MeasureProgress.measure_no == measure_no,
            MeasureProgress.month == month,
            MeasureProgress.unit == unit,
        )
        .with_for_update()
    )
    return rows.scalar_one_or_none()


async def progress_of_month(
    session: AsyncSession, month: date
) -> Sequence[Row[MeasureProgress, str]]:
    """The month's entries with the username of whoever entered them, by measure and unit."""
    rows = await session.execute(
        select(MeasureProgress, StaffAccount.username)
        .outerjoin(StaffAccount, StaffAccount.id == MeasureProgress.entered_by)
        .where(MeasureProgress.month == month)
        .order_by(MeasureProgress.measure_no, MeasureProgress.unit)
    )
    return list(rows.all())


async def progress_counts(
    session: AsyncSession, first_day: date, end_day: date
) -> Sequence[Row[str, int, date, int]]:
    """(unit, measure_no, month, entries) for every entered cell of the period."""
    rows = await session.execute(
        select(
            MeasureProgress.unit,
            MeasureProgress.measure_no,
            MeasureProgress.month,
            func.count().label("entries"),
        )
        .where(MeasureProgress.month >= first_day, MeasureProgress.month < end_day)
        .group_by(MeasureProgress.unit, MeasureProgress.measure_no, MeasureProgress.month)
    )
    return list(rows.all())
