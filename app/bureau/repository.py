"""SQL of the bureau's own tables (entered figures and liaison progress)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import Row, func, select
from sqlalchemy.dialects.postgresql import insert
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


async def claim_entry(
    session: AsyncSession, code: str, month: date, value: int
) -> tuple[TargetEntry, bool]:
    """The month's entry, locked, and whether this call created it. INSERT … ON CONFLICT DO
    NOTHING first, so two first entries at once meet at the lock instead of a unique error."""
    created = await session.scalar(
        insert(TargetEntry)
        .values(id=uuid.uuid4(), target_code=code, month=month, value=value)
        .on_conflict_do_nothing(index_elements=["target_code", "month"])
        .returning(TargetEntry.id)
    )
    entry = await entry_for_update(session, code, month)
    assert entry is not None
    return entry, created is not None


async def claim_progress(
    session: AsyncSession, measure_no: int, month: date, unit: str, summary: str
) -> tuple[MeasureProgress, bool]:
    """The (measure, month, unit) progress row, locked, and whether this call created it."""
    created = await session.scalar(
        insert(MeasureProgress)
        .values(id=uuid.uuid4(), measure_no=measure_no, month=month, unit=unit, summary=summary)
        .on_conflict_do_nothing(index_elements=["measure_no", "month", "unit"])
        .returning(MeasureProgress.id)
    )
    progress = await progress_for_update(session, measure_no, month, unit)
    assert progress is not None
    return progress, created is not None


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
