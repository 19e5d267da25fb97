"""Endpoints of training courses: list and enrol; staff publish courses and record results."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query

from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.idempotency import IdempotencyKeyHeader, idempotent
from app.core.pagination import CursorParam, LimitParam, Page
from app.core.routing import APIRouter
from app.core.schemas import BusinessDate
from app.identity.dependencies import CurrentUser, StationStaff
from app.training import service as training
from app.training.schemas import (
    AttendancePut,
    CompletionCreate,
    CourseCreate,
    CourseFacts,
    CourseListItem,
    CourseRead,
    CourseUpdate,
    EnrolmentRead,
    StaffEnrolmentRead,
)

router = APIRouter(tags=["training"])
admin_router = APIRouter(prefix="/admin", tags=["training"])


@router.get("/training-courses", response_model=Page[CourseListItem], summary="培训课程")
async def list_training_courses(
    session: SessionDep,
    occupation_code: Annotated[
        str | None, Query(max_length=20, pattern=r"^[a-z0-9_]+$", description="职业编码")
    ] = None,
    subsidised: Annotated[bool | None, Query(description="只看补贴性培训")] = None,
    starting_from: Annotated[
        BusinessDate | None, Query(alias="from", description="开课日期不早于（北京时间）")
    ] = None,
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Page[CourseListItem]:
    """职业技能培训课程，按开课日期先后；`seats - enrolled_count` 为剩余名额。"""
    return await training.list_courses(
        session,
        occupation_code=occupation_code,
        subsidised=subsidised,
        starting_from=starting_from,
        cursor=cursor,
        limit=limit,
    )


@router.get("/training-courses/{course_id}", response_model=CourseRead, summary="课程详情")
async def get_training_course(course_id: uuid.UUID, session: SessionDep) -> CourseRead:
    """课程详情：培训机构、职业、课时、名额、日期、地点、是否补贴及依据政策。"""
    return await training.get_course(session, course_id)


@router.post(
    "/training-courses/{course_id}/enrolments",
    response_model=EnrolmentRead,
    status_code=201,
    summary="报名培训课程",
)
async def enrol_in_training_course(
    course_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    key: IdempotencyKeyHeader = None,
) -> EnrolmentRead:
    """报名培训课程（携带 `Idempotency-Key`）。开课前可报名；名额已满返回 409
    `training.seats_full`，重复报名返回 409 `training.already_enrolled`。"""
    return await idempotent(
        session,
        key,
        scope=f"user:{user.id}:enrol_in_training_course:{course_id}",
        body=None,
        produce=lambda: training.enrol(session, clock, user, course_id),
        response_model=EnrolmentRead,
    )


@router.get("/me/training-enrolments", response_model=Page[EnrolmentRead], summary="我的培训报名")
async def list_my_training_enrolments(
    user: CurrentUser, session: SessionDep, cursor: CursorParam = None, limit: LimitParam = 20
) -> Page[EnrolmentRead]:
    """我的培训报名，含出勤课时与结业情况，最新的在前。"""
    return await training.my_enrolments(session, user, cursor=cursor, limit=limit)


@router.post(
    "/training-enrolments/{enrolment_id}/cancel",
    response_model=EnrolmentRead,
    summary="取消培训报名",
)
async def cancel_training_enrolment(
    enrolment_id: uuid.UUID, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> EnrolmentRead:
    """开课前取消报名，名额释放。"""
    return await training.cancel(session, clock, user, enrolment_id)


@admin_router.post(
    "/training-courses", response_model=CourseRead, status_code=201, summary="发布培训课程"
)
async def create_training_course(
    body: CourseCreate, staff: StationStaff, session: SessionDep
) -> CourseRead:
    """发布培训课程（工作人员）。补贴性培训须填写政策编码。"""
    return await training.create_course(session, staff, body)


@admin_router.put("/training-courses/{course_id}", response_model=CourseRead, summary="修改课程")
async def update_training_course(
    course_id: uuid.UUID, body: CourseUpdate, staff: StationStaff, session: SessionDep
) -> CourseRead:
    """修改课程（整体替换：未传的可选字段为 null）；`status=cancelled` 取消课程；
    名额不能少于已报名人数。"""
    return await training.update_course(session, staff, course_id, body)


@admin_router.put(
    "/training-enrolments/{enrolment_id}/attendance/{day}",
    response_model=EnrolmentRead,
    summary="登记出勤课时",
)
async def record_training_attendance(
    enrolment_id: uuid.UUID,
    day: Annotated[BusinessDate, Path(description="上课日期")],
    body: AttendancePut,
    staff: StationStaff,
    session: SessionDep,
) -> EnrolmentRead:
    """登记某天的出勤课时（同一天再次登记会覆盖）；返回累计出勤课时。"""
    return await training.record_attendance(session, staff, enrolment_id, day, body.hours)


@admin_router.post(
    "/training-enrolments/{enrolment_id}/completion",
    response_model=EnrolmentRead,
    summary="登记结业结果",
)
async def record_training_completion(
    enrolment_id: uuid.UUID,
    body: CompletionCreate,
    staff: StationStaff,
    session: SessionDep,
    clock: ClockDep,
) -> EnrolmentRead:
    """登记结业结果：合格（completed，可填证书编号）或不合格（failed）。留审计记录，
    并通知学员。"""
    return await training.record_completion(session, clock, staff, enrolment_id, body)


@admin_router.get(
    "/training-courses/{course_id}/facts", response_model=CourseFacts, summary="培训就业补贴事实"
)
async def get_training_course_facts(
    course_id: uuid.UUID, staff: StationStaff, session: SessionDep
) -> CourseFacts:
    """培训就业补贴（第 17 条）所需事实：结业合格学员及其结业后的首次入职（来自录用记录）。"""
    return await training.course_facts(session, course_id)


@admin_router.get(
    "/training-courses/{course_id}/enrolments",
    response_model=Page[StaffEnrolmentRead],
    summary="课程报名名单",
)
async def list_training_course_enrolments(
    course_id: uuid.UUID,
    staff: StationStaff,
    session: SessionDep,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
) -> Page[StaffEnrolmentRead]:
    """课程报名名单（用于登记出勤和结业），按报名时间先后。"""
    return await training.course_enrolments(session, course_id, cursor=cursor, limit=limit)
