"""Training courses: the roll with attendance and completion (``app.training.service``)."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from app.console import web
from app.core.clock import ClockDep, local_date
from app.core.db import SessionDep
from app.core.pagination import CursorParam
from app.training import service as training
from app.training.schemas import AttendancePut, CompletionCreate

router = APIRouter(
    prefix=f"{web.PREFIX}/training", route_class=web.ConsoleRoute, include_in_schema=False
)

STATUS = {"enrolled": "在读", "cancelled": "已取消", "completed": "结业合格", "failed": "未合格"}


@router.get("", response_class=HTMLResponse)
async def courses(
    request: Request, staff: web.Station, session: SessionDep, cursor: CursorParam = None
) -> Response:
    page = await training.list_courses(
        session,
        occupation_code=None,
        subsidised=None,
        starting_from=None,
        cursor=cursor,
        limit=30,
    )
    return web.render(request, "training/list.html", page=page)


@router.get("/{course_id}", response_class=HTMLResponse)
async def course(
    request: Request,
    course_id: uuid.UUID,
    staff: web.Station,
    session: SessionDep,
    clock: ClockDep,
    cursor: CursorParam = None,
) -> Response:
    read = await training.get_course(session, course_id)
    roll = await training.course_enrolments(session, course_id, cursor=cursor, limit=50)
    return web.render(
        request,
        "training/course.html",
        course=read,
        roll=roll,
        statuses=STATUS,
        today=local_date(clock()),
    )


@router.post("/enrolments/{enrolment_id}/attendance")
async def attendance(
    enrolment_id: uuid.UUID,
    form: web.Form,
    staff: web.Station,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    back = f"{web.PREFIX}/training/{web.parse_uuid(form.get('course_id'))}"
    try:
        day = date.fromisoformat(form.get("day", ""))
        body = AttendancePut.model_validate({"hours": int(form.get("hours") or 0)})
    except ValueError:
        return web.redirect(back, error="未登记：请填写上课日期和 1–12 的课时数。")
    done, refused = await web.attempt(
        session, lambda: training.record_attendance(session, staff, enrolment_id, day, body.hours)
    )
    if refused:
        return web.redirect(back, error=f"未登记：{refused}")
    return web.redirect(
        back,
        done=f"已登记 {day} 出勤 {body.hours} 课时，累计 {done.attended_hours} 课时。",
        then="课程结束后登记结业结果。",
    )


@router.post("/enrolments/{enrolment_id}/completion")
async def completion(
    enrolment_id: uuid.UUID,
    form: web.Form,
    staff: web.Station,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    back = f"{web.PREFIX}/training/{web.parse_uuid(form.get('course_id'))}"
    try:
        body = CompletionCreate.model_validate(
            {
                "passed": form.get("passed") == "yes",
                "completed_on": form.get("completed_on") or None,
                "certificate_no": form.get("certificate_no") or None,
            }
        )
    except ValidationError:
        return web.redirect(back, error="未登记：结业日期或证书编号格式不正确。")
    _, refused = await web.attempt(
        session, lambda: training.record_completion(session, clock, staff, enrolment_id, body)
    )
    if refused:
        return web.redirect(back, error=f"未登记：{refused}")
    verdict = "结业合格" if body.passed else "未合格"
    return web.redirect(
        back, done=f"已登记结业结果：{verdict}。", then="合格学员会计入培训就业补贴的事实。"
    )
