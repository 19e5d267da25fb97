"""The plan's targets with the year's figures: computed by the platform or entered by staff,
each figure labelled with its source and never added to a figure of the other source."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.bureau import repository
from app.bureau.errors import MonthInFuture, TargetNotEntered, TargetNotFound
from app.bureau.figures import Window, platform_figures
from app.bureau.models import TargetEntry
from app.bureau.periods import Month
from app.bureau.plan import TARGETS, Target, targets_by_code
from app.bureau.ports import PeopleLedger
from app.bureau.schemas import (
    FigureRead,
    MonthValue,
    TargetEntryPut,
    TargetEntryRead,
    TargetList,
    TargetRead,
)
from app.identity.models import StaffAccount

# Targets the platform computes: target code -> key of app.bureau.figures.
PLATFORM_FIGURE = {
    "recruitment_events": "events_held",
    "youth_job_training": "youth_trainings_started",
}
LEDGER_NOT_YET = "人员清单尚未上线，帮扶就业率暂无数据"


def _read(
    target: Target,
    value: float | None,
    *,
    available: bool = True,
    note: str | None = None,
    months: list[MonthValue] | None = None,
    references: list[FigureRead] | None = None,
) -> TargetRead:
    progress = round(100 * value / target.threshold, 1) if value is not None else None
    return TargetRead(
        code=target.code,
        title=target.title,
        clause=target.clause,
        wording=target.wording,
        threshold=target.threshold,
        unit=target.unit,
        definition=target.definition,
        source=target.source,
        value=value,
        available=available,
        note=note,
        progress_percent=progress,
        met=None if value is None else value >= target.threshold,
        months=months or [],
        references=references or [],
    )


async def _entered(session: AsyncSession, target: Target, through: Month) -> TargetRead:
    first = Month(through.year, 1)
    entries = await repository.entries_between(
        session, target.code, first.first_day, through.end_day
    )
    months = [MonthValue(month=str(Month.of(e.month)), value=e.value) for e in entries]
    value = float(sum(m.value for m in months)) if months else None
    note = None if months else "尚未填报"
    return _read(target, value, note=note, months=months)


async def target_figures(
    session: AsyncSession, ledger: PeopleLedger, through: Month, now: datetime
) -> TargetList:
    """Every target, from 1 January to the end of ``through`` (capped at ``now``)."""
    window = Window(start=Month(through.year, 1).start, end=through.end, now=now)
    figures = await platform_figures(session, window)
    items: list[TargetRead] = []
    for target in TARGETS:
        if target.source == "entered":
            item = await _entered(session, target, through)
            hires = FigureRead(
                key="hires", label="平台内录用人数", value=figures["hires"], source="platform"
            )
            items.append(item.model_copy(update={"references": [hires]}))
        elif target.code in PLATFORM_FIGURE:
            items.append(_read(target, float(figures[PLATFORM_FIGURE[target.code]])))
        else:
            rate = await ledger.assisted_employment_rate(session, until=min(window.end, now))
            if rate is None or rate.percent is None:
                items.append(_read(target, None, available=rate is not None, note=LEDGER_NOT_YET))
            else:
                note = f"人员清单 {rate.total} 人中已就业 {rate.employed} 人"
                items.append(_read(target, rate.percent, note=note))
    return TargetList(year=through.year, through_month=str(through), items=items)


def _entry_read(entry: TargetEntry, username: str | None) -> TargetEntryRead:
    return TargetEntryRead(
        target_code=entry.target_code,
        month=str(Month.of(entry.month)),
        value=entry.value,
        note=entry.note,
        entered_by=username,
        updated_at=entry.updated_at,
    )


async def put_entry(
    session: AsyncSession,
    staff: StaffAccount,
    code: str,
    month: Month,
    body: TargetEntryPut,
    now: datetime,
) -> TargetEntryRead:
    """Enter (or correct) one month's figure of an entered target; audited with before/after."""
    target = targets_by_code().get(code)
    if target is None:
        raise TargetNotFound()
    if target.source != "entered":
        raise TargetNotEntered()
    if month > Month.containing(now):
        raise MonthInFuture()
    entry, created = await repository.claim_entry(session, code, month.first_day, body.value)
    before = None if created else {"value": entry.value, "note": entry.note}
    entry.value, entry.note, entry.entered_by = body.value, body.note, staff.id
    entry.updated_at = now
    await session.flush()
    await session.refresh(entry, ["updated_at"])  # onupdate may have set it in the database
    await audit.record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action="bureau.target_entered",
        subject_kind="target",
        subject_id=f"{code}/{month}",
        details={"before": before, "after": {"value": body.value, "note": body.note}},
    )
    return _entry_read(entry, staff.username)
