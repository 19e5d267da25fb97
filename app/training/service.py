"""Training courses: staff publish them, people enrol (seats never exceeded), staff record
attendance and the result; finished courses yield the facts of the clause 17 training bonus."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.clock import Clock, local_date
from app.core.keyset import DATE_ID, TIME_ID, created_key
from app.core.pagination import Page
from app.events.errors import AddressRequired, InvalidPeriod
from app.identity.models import StaffAccount, User
from app.taxonomy import get_occupation
from app.training import errors, notices
from app.training import repository as repo
from app.training.models import TrainingCourse, TrainingEnrolment
from app.training.schemas import (
    CompletionCreate,
    CourseCreate,
    CourseFacts,
    CourseListItem,
    CourseRead,
    CourseUpdate,
    EnrolmentRead,
    StaffEnrolmentRead,
    TraineeFacts,
)


def person_key(user: User) -> str:
    """The keyed hash of the ID number (as the policy engine expects), else the user id."""
    return user.id_number_hash or f"user:{user.id}"


def course_item(course: TrainingCourse) -> CourseListItem:
    occupation = get_occupation(course.occupation_code)
    return CourseListItem.model_validate(
        {
            **{k: getattr(course, k) for k in CourseListItem.model_fields if hasattr(course, k)},
            "occupation_name": occupation.name if occupation else None,
        }
    )


def course_read(course: TrainingCourse) -> CourseRead:
    return CourseRead(**course_item(course).model_dump(), description=course.description)


def enrolment_read(enrolment: TrainingEnrolment, course: TrainingCourse) -> EnrolmentRead:
    return EnrolmentRead(
        id=enrolment.id,
        course_id=course.id,
        course_title=course.title,
        course_hours=course.hours,
        starts_on=course.starts_on,
        ends_on=course.ends_on,
        status=enrolment.status,
        attended_hours=enrolment.attended_hours,
        completed_on=enrolment.completed_on,
        certificate_no=enrolment.certificate_no,
        created_at=enrolment.created_at,
        cancelled_at=enrolment.cancelled_at,
    )


async def list_courses(
    session: AsyncSession,
    *,
    occupation_code: str | None,
    subsidised: bool | None,
    starting_from: date | None,
    cursor: str | None,
    limit: int,
) -> Page[CourseListItem]:
    rows = await repo.list_courses(
        session,
        occupation_code=occupation_code,
        subsidised=subsidised,
        starting_from=starting_from,
        after=DATE_ID.decode(cursor),
        limit=limit + 1,
    )
    return DATE_ID.page(rows, limit, key=lambda c: (c.starts_on, c.id), item=course_item)


async def get_course(session: AsyncSession, course_id: uuid.UUID) -> CourseRead:
    course = await repo.get_course(session, course_id)
    if course is None:
        raise errors.CourseNotFound()
    return course_read(course)


async def create_course(
    session: AsyncSession, staff: StaffAccount, body: CourseCreate
) -> CourseRead:
    if get_occupation(body.occupation_code) is None:
        raise errors.UnknownOccupation(details={"occupation_code": body.occupation_code})
    course = TrainingCourse(**body.model_dump(), created_by=staff.id)
    session.add(course)
    await session.flush()
    await _audit(session, staff, "training.course_create", course.id, {"title": course.title})
    return course_read(course)


async def update_course(
    session: AsyncSession, staff: StaffAccount, course_id: uuid.UUID, body: CourseUpdate
) -> CourseRead:
    course = await repo.get_course(session, course_id, lock=True)
    if course is None:
        raise errors.CourseNotFound()
    changes = body.model_dump()
    if body.seats < course.enrolled_count:
        raise errors.SeatsBelowEnrolled(details={"enrolled_count": course.enrolled_count})
    if body.ends_on < body.starts_on:
        raise InvalidPeriod(message="结束日期不能早于开始日期")
    if not course.online and not body.address:
        raise AddressRequired(message="线下课程须填写地址")
    changed = sorted(name for name, value in changes.items() if getattr(course, name) != value)
    for name, value in changes.items():
        setattr(course, name, value)
    await session.flush()
    await _audit(session, staff, "training.course_update", course.id, {"changed": changed})
    return course_read(course)


async def enrol(
    session: AsyncSession, clock: Clock, user: User, course_id: uuid.UUID
) -> EnrolmentRead:
    """One seat per person; ``enrolled_count < seats`` is checked in the UPDATE itself."""
    course = await repo.get_course(session, course_id)
    if course is None:
        raise errors.CourseNotFound()
    if course.status != "open" or local_date(clock()) >= course.starts_on:
        raise errors.CourseClosed()
    if await repo.has_active(session, course.id, user.id):
        raise errors.AlreadyEnrolled()
    if not await repo.take_seat(session, course.id):
        raise errors.SeatsFull(details={"seats": course.seats})
    enrolment_id = await repo.insert_enrolment(session, course.id, user.id)
    if enrolment_id is None:
        raise errors.AlreadyEnrolled()
    await notices.enrolled(session, clock(), enrolment_id, user.id, course)
    return await get_enrolment(session, enrolment_id, user_id=user.id)


async def get_enrolment(
    session: AsyncSession, enrolment_id: uuid.UUID, *, user_id: uuid.UUID | None
) -> EnrolmentRead:
    row = await repo.get_enrolment(session, enrolment_id, user_id=user_id)
    if row is None:
        raise errors.EnrolmentNotFound()
    return enrolment_read(*row)


async def my_enrolments(
    session: AsyncSession, user: User, *, cursor: str | None, limit: int
) -> Page[EnrolmentRead]:
    rows = await repo.user_enrolments(
        session, user.id, before=TIME_ID.decode(cursor), limit=limit + 1
    )
    return TIME_ID.page(
        rows, limit, key=lambda row: created_key(row[0]), item=lambda row: enrolment_read(*row)
    )


async def cancel(
    session: AsyncSession, clock: Clock, user: User, enrolment_id: uuid.UUID
) -> EnrolmentRead:
    row = await repo.get_enrolment(session, enrolment_id, user_id=user.id)
    if row is None:
        raise errors.EnrolmentNotFound()
    enrolment, course = row
    now = clock()
    if local_date(now) >= course.starts_on:
        raise errors.EnrolmentNotActive(message="课程已开课，不能取消报名")
    values = {"status": "cancelled", "cancelled_at": now}
    if not await repo.set_status(session, enrolment.id, expected=["enrolled"], values=values):
        raise errors.EnrolmentNotActive()
    await repo.free_seat(session, course.id)
    return await get_enrolment(session, enrolment.id, user_id=user.id)


async def record_attendance(
    session: AsyncSession, staff: StaffAccount, enrolment_id: uuid.UUID, day: date, hours: int
) -> EnrolmentRead:
    row = await repo.get_enrolment(session, enrolment_id, user_id=None)
    if row is None:
        raise errors.EnrolmentNotFound()
    enrolment, course = row
    if enrolment.status != "enrolled":
        raise errors.EnrolmentNotActive(details={"status": enrolment.status})
    if not course.starts_on <= day <= course.ends_on:
        raise errors.AttendanceOutsideCourse()
    total = await repo.put_attendance(session, enrolment.id, day, hours, staff.id)
    details = {"day": day.isoformat(), "hours": hours, "total": total}
    await _audit(session, staff, "training.attendance", enrolment.id, details)
    return await get_enrolment(session, enrolment.id, user_id=None)


async def record_completion(
    session: AsyncSession,
    clock: Clock,
    staff: StaffAccount,
    enrolment_id: uuid.UUID,
    body: CompletionCreate,
) -> EnrolmentRead:
    row = await repo.get_enrolment(session, enrolment_id, user_id=None)
    if row is None:
        raise errors.EnrolmentNotFound()
    enrolment, course = row
    values = {
        "status": "completed" if body.passed else "failed",
        "completed_on": (body.completed_on or course.ends_on) if body.passed else None,
        "certificate_no": body.certificate_no if body.passed else None,
        "result_by": staff.id,
    }
    if not await repo.set_status(session, enrolment.id, expected=["enrolled"], values=values):
        raise errors.EnrolmentNotActive(details={"status": enrolment.status})
    await _audit(session, staff, "training.completion", enrolment.id, {"passed": body.passed})
    await session.refresh(enrolment)
    await notices.completed(session, clock(), enrolment, course)
    return await get_enrolment(session, enrolment.id, user_id=None)


async def course_facts(session: AsyncSession, course_id: uuid.UUID) -> CourseFacts:
    """Completed trainees and their first hire after the course (clause 17)."""
    course = await repo.get_course(session, course_id)
    if course is None:
        raise errors.CourseNotFound()
    trainees = []
    for enrolment, user in await repo.completed_trainees(session, course.id):
        hire = await repo.first_hire_after(
            session, user.id, enrolment.completed_on or course.ends_on
        )
        trainees.append(
            TraineeFacts(
                person_key=person_key(user),
                contract_signed_on=hire.start_date if hire else None,
                contract_months=hire.contract_months if hire else None,
                insured=None,
            )
        )
    return CourseFacts(
        course_key=str(course.id), hours=course.hours, ended_on=course.ends_on, trainees=trainees
    )


async def _audit(
    session: AsyncSession,
    staff: StaffAccount,
    action: str,
    subject_id: uuid.UUID,
    details: dict[str, object],
) -> None:
    await record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action=action,
        subject_kind="training",
        subject_id=subject_id,
        details=details,
    )


async def course_enrolments(
    session: AsyncSession, course_id: uuid.UUID, *, cursor: str | None, limit: int
) -> Page[StaffEnrolmentRead]:
    if await repo.get_course(session, course_id) is None:
        raise errors.CourseNotFound()
    rows = await repo.course_enrolments(
        session, course_id, after=TIME_ID.decode(cursor), limit=limit + 1
    )
    shown, next_cursor = TIME_ID.cut(rows, limit, key=lambda row: created_key(row[0]))
    items = [
        StaffEnrolmentRead(
            **enrolment_read(e, c).model_dump(), user_id=u.id, user_nickname=u.nickname
        )
        for e, c, u in shown
    ]
    return Page[StaffEnrolmentRead](items=items, next_cursor=next_cursor)
