"""Stations: the day's appointments with check-in and outcome, opening-hours exceptions, slots.

Every action is the API's own service call (``app.service_desk.front_desk``, ``.service``,
``.appointments``): the same state checks, the same audit records.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from app.console import web
from app.core.clock import SHANGHAI, ClockDep, local_date
from app.core.db import SessionDep
from app.core.pagination import CursorParam
from app.service_desk import appointments, front_desk, service
from app.service_desk.appointment_schemas import OutcomeCreate, SlotBatchCreate
from app.service_desk.dependencies import DEFAULT_RULES
from app.service_desk.schemas import StationExceptionPut

router = APIRouter(prefix=web.PREFIX, route_class=web.ConsoleRoute, include_in_schema=False)

APPOINTMENT_STATUS = {
    "booked": "待签到",
    "checked_in": "已签到",
    "completed": "已完成",
    "no_show": "未到场",
    "cancelled": "已取消",
}
OUTCOMES = {
    "served": "已办结",
    "referred": "已转介",
    "needs_materials": "需补材料",
    "no_show": "未到场",
}
WEEKDAYS = "一二三四五六日"


def _problem(error: ValidationError) -> str:
    return "；".join(str(e["msg"]).removeprefix("Value error, ") for e in error.errors())


def _day_url(station_id: uuid.UUID | str, day: date | str) -> str:
    return f"{web.PREFIX}/stations/{station_id}?date={day}"


@router.get("/stations", response_class=HTMLResponse)
async def stations(
    request: Request, staff: web.Station, session: SessionDep, clock: ClockDep
) -> Response:
    page = await service.list_stations(
        session,
        clock,
        lat=None,
        lng=None,
        radius_km=None,
        kind=None,
        area_code=None,
        service_code=None,
        cursor=None,
        limit=100,
    )
    return web.render(
        request, "stations/list.html", stations=page.items, day=local_date(clock()).isoformat()
    )


@router.get("/stations/{station_id}", response_class=HTMLResponse)
async def station_day(
    request: Request,
    station_id: uuid.UUID,
    staff: web.Station,
    session: SessionDep,
    clock: ClockDep,
    date: date | None = None,
    cursor: CursorParam = None,
) -> Response:
    day = date or local_date(clock())
    station = await service.get_station(session, clock, station_id, active_only=False)
    page = await front_desk.station_day(
        session, clock, DEFAULT_RULES, station_id, day, cursor=cursor, limit=50
    )
    return web.render(
        request,
        "stations/day.html",
        station=station,
        page=page,
        day=day,
        prev_day=day - timedelta(days=1),
        next_day=day + timedelta(days=1),
        is_today=day == local_date(clock()),
        today_iso=local_date(clock()).isoformat(),
        statuses=APPOINTMENT_STATUS,
        outcomes=OUTCOMES,
        weekdays=WEEKDAYS,
    )


@router.post("/appointments/{appointment_id}/check-in")
async def check_in(
    appointment_id: uuid.UUID,
    form: web.Form,
    staff: web.Station,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    back = _day_url(form.get("station_id", ""), form.get("date", ""))
    done, refused = await web.attempt(
        session,
        lambda: front_desk.check_in(session, clock, DEFAULT_RULES, staff, appointment_id),
    )
    if refused:
        return web.redirect(back, error=f"未能签到：{refused}")
    who = done.user_nickname or "来访者"
    return web.redirect(
        back,
        done=f"{who} 已签到（{done.service_item.name}）。",
        then="办理结束后，在该预约行登记办理结果。",
    )


@router.post("/appointments/{appointment_id}/outcome")
async def outcome(
    appointment_id: uuid.UUID,
    form: web.Form,
    staff: web.Station,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    back = _day_url(form.get("station_id", ""), form.get("date", ""))
    try:
        body = OutcomeCreate.model_validate(
            {"result": form.get("result", ""), "note": form.get("note") or None}
        )
    except ValidationError as error:
        return web.redirect(back, error=f"未提交：{_problem(error)}")
    _, refused = await web.attempt(
        session,
        lambda: front_desk.record_outcome(
            session, clock, DEFAULT_RULES, staff, appointment_id, body
        ),
    )
    if refused:
        return web.redirect(back, error=f"未能登记：{refused}")
    return web.redirect(
        back,
        done=f"已登记办理结果：{OUTCOMES[body.result]}。",
        then="可继续处理下一位预约。",
    )


@router.post("/stations/{station_id}/exceptions")
async def put_exception(
    station_id: uuid.UUID,
    form: web.Form,
    staff: web.Station,
    session: SessionDep,
) -> Response:
    back = _day_url(station_id, form.get("back_date", ""))
    closed = form.get("closed") == "yes"
    hours = []
    if not closed and form.get("opens") and form.get("closes"):
        hours = [{"opens": form["opens"], "closes": form["closes"]}]
    try:
        day = date.fromisoformat(form.get("day", ""))
        body = StationExceptionPut.model_validate(
            {"closed": closed, "hours": hours, "reason": form.get("reason", "")}
        )
    except ValueError as error:
        message = _problem(error) if isinstance(error, ValidationError) else "日期格式不正确"
        return web.redirect(back, error=f"未保存：{message}")
    _, refused = await web.attempt(
        session, lambda: service.put_exception(session, staff, station_id, day, body)
    )
    if refused:
        return web.redirect(back, error=f"未保存：{refused}")
    what = "全天闭站" if closed else f"开放 {hours[0]['opens']}-{hours[0]['closes']}"
    return web.redirect(
        back,
        done=f"已保存 {day} 的日期调整：{what}（{body.reason}）。",
        then="该日已有的预约不会自动取消，请逐一联系预约人。",
    )


def _slots(form: dict[str, str]) -> SlotBatchCreate:
    """Slots of `minutes` each from `opens` to `closes` on `day`, for one service item."""
    day = date.fromisoformat(form.get("day", ""))
    start = datetime.combine(day, datetime.strptime(form.get("opens", ""), "%H:%M").time())
    end = datetime.combine(day, datetime.strptime(form.get("closes", ""), "%H:%M").time())
    step = timedelta(minutes=int(form.get("minutes") or 30))
    if step <= timedelta(0):
        raise ValueError("时段长度须大于 0")
    slots: list[dict[str, object]] = []
    at = start.replace(tzinfo=SHANGHAI)
    while at + step <= end.replace(tzinfo=SHANGHAI) and len(slots) < 100:
        slots.append(
            {
                "service_item_code": form.get("service_item_code", ""),
                "starts_at": at.isoformat(),
                "ends_at": (at + step).isoformat(),
                "capacity": int(form.get("capacity") or 1),
            }
        )
        at += step
    return SlotBatchCreate.model_validate({"slots": slots})


@router.post("/stations/{station_id}/slots")
async def create_slots(
    station_id: uuid.UUID,
    form: web.Form,
    staff: web.Station,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    back = _day_url(station_id, form.get("day", ""))
    try:
        body = _slots(form)
    except ValidationError as error:
        return web.redirect(back, error=f"未生成：{_problem(error)}")
    except ValueError:
        return web.redirect(
            back, error="未生成：请填写日期、开始和结束时间（如 09:00）及时段长度。"
        )
    created, refused = await web.attempt(
        session, lambda: appointments.create_slots(session, clock, staff, station_id, body)
    )
    if refused:
        return web.redirect(back, error=f"未生成：{refused}")
    return web.redirect(
        back,
        done=f"已生成 {len(created)} 个预约时段。",
        then="群众现在可以在小程序中预约这些时段。",
    )
