"""The plan's measures and the liaisons' monthly progress on them (月调度 input)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.bureau import repository
from app.bureau.errors import LiaisonWithoutUnit, MeasureNotFound, MeasureNotOfUnit, MonthInFuture
from app.bureau.models import MeasureProgress
from app.bureau.periods import Month
from app.bureau.plan import Measure, measures, measures_by_no, units
from app.bureau.schemas import MeasureList, MeasureRead, ProgressPut, ProgressRead
from app.identity.models import StaffAccount


def measure_read(measure: Measure) -> MeasureRead:
    return MeasureRead(
        no=measure.no,
        title=measure.title,
        text=measure.text,
        responsibility=measure.responsibility,
        lead=measure.lead,
        units=list(measure.units),
    )


def list_measures() -> MeasureList:
    return MeasureList(items=[measure_read(m) for m in measures()], units=list(units()))


def progress_read(progress: MeasureProgress, username: str | None) -> ProgressRead:
    return ProgressRead(
        measure_no=progress.measure_no,
        month=str(Month.of(progress.month)),
        unit=progress.unit,
        summary=progress.summary,
        entered_by=username,
        updated_at=progress.updated_at,
    )


async def put_progress(
    session: AsyncSession,
    staff: StaffAccount,
    measure_no: int,
    month: Month,
    body: ProgressPut,
    now: datetime,
) -> ProgressRead:
    """A liaison enters (or corrects) their unit's progress on a measure their unit leads or
    shares; audited with the text before and after."""
    measure = measures_by_no().get(measure_no)
    if measure is None:
        raise MeasureNotFound()
    if staff.unit is None:
        raise LiaisonWithoutUnit()
    if not measure.involves(staff.unit):
        raise MeasureNotOfUnit(details={"unit": staff.unit, "measure_no": measure_no})
    if month > Month.containing(now):
        raise MonthInFuture()
    progress, created = await repository.claim_progress(
        session, measure_no, month.first_day, staff.unit, body.summary
    )
    before = None if created else progress.summary
    progress.summary, progress.entered_by, progress.updated_at = body.summary, staff.id, now
    await session.flush()
    await session.refresh(progress, ["updated_at"])  # onupdate may have set it in the database
    await audit.record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action="bureau.progress_entered",
        subject_kind="measure",
        subject_id=f"{measure_no}/{month}/{staff.unit}",
        details={"before": before, "after": body.summary},
    )
    return progress_read(progress, staff.username)
