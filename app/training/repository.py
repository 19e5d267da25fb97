"""SQL for training courses, enrolments (seats in one conditional UPDATE) and attendance."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, func, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications.models import EmploymentEvent
from app.identity.models import User
from app.training.models import TrainingAttendance, TrainingCourse, TrainingEnrolment

ACTIVE = "status <> 'cancelled'"


async def list_courses(
    session: AsyncSession,
    *,
    occupation_code: str | None,
    subsidised: bool | None,
    starting_from: date | None,
    after: tuple[date, uuid.UUID] | None,
    limit: int,
) -> Sequence[TrainingCourse]:
    stmt = select(TrainingCourse).where(TrainingCourse.status == "open")
    if occupation_code is not None:
        stmt = stmt.where(TrainingCourse.occupation_code == occupation_code)
    if subsidised is not None:
        stmt = stmt.where(TrainingCourse.subsidised == subsidised)
    if starting_from is not None:
        stmt = stmt.where(TrainingCourse.starts_on >= starting_from)
    if after is not None:
        stmt = stmt.where(tuple_(TrainingCourse.starts_on, TrainingCourse.id) > tuple_(*after))
    stmt = stmt.order_by(TrainingCourse.starts_on, TrainingCourse.id).limit(limit)
    return (await session.scalars(stmt)).all()


async def get_course(
    session: AsyncSession, course_id: uuid.UUID, *, lock: bool = False
) -> TrainingCourse | None:
    stmt = select(TrainingCourse).where(TrainingCourse.id == course_id)
    if lock:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt, execution_options={"populate_existing": True})


async def take_seat(session: AsyncSession, course_id: uuid.UUID) -> bool:
    stmt = (
        update(TrainingCourse)
        .where(
            TrainingCourse.id == course_id,
            TrainingCourse.enrolled_count < TrainingCourse.seats,
        )
        .values(enrolled_count=TrainingCourse.enrolled_count + 1)
        .returning(TrainingCourse.id)
    )
    return (await session.scalar(stmt)) is not None


async def free_seat(session: AsyncSession, course_id: uuid.UUID) -> None:
    stmt = (
        update(TrainingCourse)
        .where(TrainingCourse.id == course_id, TrainingCourse.enrolled_count > 0)
        .values(enrolled_count=TrainingCourse.enrolled_count - 1)
    )
    await session.execute(stmt)


async def has_active(session: AsyncSession, course_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    stmt = select(TrainingEnrolment.id).where(
        TrainingEnrolment.course_id == course_id,
        TrainingEnrolment.user_id == user_id,
        text(ACTIVE),
    )
    return (await session.scalar(stmt)) is not None


async def insert_enrolment(
    session: AsyncSession, course_id: uuid.UUID, user_id: uuid.UUID
) -> uuid.UUID | None:
    stmt = (
        insert(TrainingEnrolment)
        .values(course_id=course_id, user_id=user_id, status="enrolled")
        .on_conflict_do_nothing(index_elements=["course_id", "user_id"], index_where=text(ACTIVE))
        .returning(TrainingEnrolment.id)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def get_enrolment(
    session: AsyncSession, enrolment_id: uuid.UUID, *, user_id: uuid.UUID | None
) -> Row[TrainingEnrolment, TrainingCourse] | None:
    stmt = (
        select(TrainingEnrolment, TrainingCourse)
        .join(TrainingCourse, TrainingCourse.id == TrainingEnrolment.course_id)
        .where(TrainingEnrolment.id == enrolment_id)
    )
    if user_id is not None:
        stmt = stmt.where(TrainingEnrolment.user_id == user_id)
    result = await session.execute(stmt, execution_options={"populate_existing": True})
    return result.one_or_none()


async def user_enrolments(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    before: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> Sequence[Row[TrainingEnrolment, TrainingCourse]]:
    stmt = (
        select(TrainingEnrolment, TrainingCourse)
        .join(TrainingCourse, TrainingCourse.id == TrainingEnrolment.course_id)
        .where(TrainingEnrolment.user_id == user_id)
    )
    if before is not None:
        stmt = stmt.where(
            tuple_(TrainingEnrolment.created_at, TrainingEnrolment.id) < tuple_(*before)
        )
    stmt = stmt.order_by(TrainingEnrolment.created_at.desc(), TrainingEnrolment.id.desc())
    return (await session.execute(stmt.limit(limit))).all()


async def course_enrolments(
    session: AsyncSession,
    course_id: uuid.UUID,
    *,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> Sequence[Row[TrainingEnrolment, TrainingCourse, User]]:
    stmt = (
        select(TrainingEnrolment, TrainingCourse, User)
        .join(TrainingCourse, TrainingCourse.id == TrainingEnrolment.course_id)
        .join(User, User.id == TrainingEnrolment.user_id)
        .where(TrainingEnrolment.course_id == course_id)
    )
    if after is not None:
        stmt = stmt.where(
            tuple_(TrainingEnrolment.created_at, TrainingEnrolment.id) > tuple_(*after)
        )
    stmt = stmt.order_by(TrainingEnrolment.created_at, TrainingEnrolment.id).limit(limit)
    return (await session.execute(stmt)).all()


async def set_status(
    session: AsyncSession,
    enrolment_id: uuid.UUID,
    *,
    expected: Sequence[str],
    values: dict[str, Any],
) -> bool:
    stmt = (
        update(TrainingEnrolment)
        .where(TrainingEnrolment.id == enrolment_id, TrainingEnrolment.status.in_(expected))
        .values(**values)
        .returning(TrainingEnrolment.id)
    )
    return (await session.scalar(stmt)) is not None


async def put_attendance(
    session: AsyncSession, enrolment_id: uuid.UUID, day: date, hours: int, staff_id: uuid.UUID
) -> int:
    """Record a day's hours (replacing that day's figure); returns the new total."""
    stmt = insert(TrainingAttendance).values(
        enrolment_id=enrolment_id, day=day, hours=hours, recorded_by=staff_id
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["enrolment_id", "day"],
        set_={"hours": hours, "recorded_by": staff_id, "recorded_at": func.now()},
    )
    await session.execute(stmt)
    total = select(func.coalesce(func.sum(TrainingAttendance.hours), 0)).where(
        TrainingAttendance.enrolment_id == enrolment_id
    )
    hours_total = int(await session.scalar(total) or 0)
    await session.execute(
        update(TrainingEnrolment)
        .where(TrainingEnrolment.id == enrolment_id)
        .values(attended_hours=hours_total)
    )
    return hours_total


async def completed_trainees(
    session: AsyncSession, course_id: uuid.UUID
) -> Sequence[Row[TrainingEnrolment, User]]:
    stmt = (
        select(TrainingEnrolment, User)
        .join(User, User.id == TrainingEnrolment.user_id)
        .where(TrainingEnrolment.course_id == course_id, TrainingEnrolment.status == "completed")
        .order_by(TrainingEnrolment.created_at, TrainingEnrolment.id)
    )
    return (await session.execute(stmt)).all()


async def first_hire_after(
    session: AsyncSession, user_id: uuid.UUID, day: date
) -> EmploymentEvent | None:
    stmt = (
        select(EmploymentEvent)
        .where(EmploymentEvent.user_id == user_id, EmploymentEvent.start_date >= day)
        .order_by(EmploymentEvent.start_date, EmploymentEvent.id)
        .limit(1)
    )
    return await session.scalar(stmt)
