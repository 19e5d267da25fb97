"""Events: fairs with their booth decisions and registrations, a live stream's featured jobs,
and the check-in desk that takes the QR payload (typed, pasted, or from a USB scanner acting as
a keyboard).

Every action is the API's own service call (``app.events.booths``, ``app.events.registrations``,
``app.events.service.put_featured_jobs``).
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from app.console import web
from app.core.clock import ClockDep, local_date
from app.core.db import SessionDep
from app.core.pagination import CursorParam
from app.events import booths, registrations, service
from app.events.dependencies import get_checkin_codec
from app.events.schemas import BoothDecision, FeaturedJobsPut

router = APIRouter(prefix=web.PREFIX, route_class=web.ConsoleRoute, include_in_schema=False)

KINDS = {
    "fair": "招聘会",
    "special_fair": "专场招聘",
    "campus_trip": "校园行",
    "livestream": "直播带岗",
}
BOOTH_STATUS = {"pending": "待确认", "confirmed": "已确认", "rejected": "已拒绝"}
REGISTRATION_STATUS = {"registered": "已报名", "cancelled": "已取消", "checked_in": "已签到"}


@router.get("/events", response_class=HTMLResponse)
async def events(
    request: Request,
    staff: web.Station,
    session: SessionDep,
    clock: ClockDep,
    cursor: CursorParam = None,
) -> Response:
    """Events from a week ago on, soonest first."""
    page = await service.list_events(
        session,
        first_day=local_date(clock()) - timedelta(days=7),
        last_day=None,
        kind=None,
        target_group=None,
        cursor=cursor,
        limit=30,
    )
    return web.render(request, "events/list.html", page=page, kinds=KINDS)


@router.get("/events/{event_id}", response_class=HTMLResponse)
async def event(
    request: Request,
    event_id: uuid.UUID,
    staff: web.Station,
    session: SessionDep,
    cursor: CursorParam = None,
) -> Response:
    read = await service.read_event(session, event_id, include_cancelled=True)
    booth_list = await booths.event_booths(session, event_id)
    people = await registrations.event_registrations(session, event_id, cursor=cursor, limit=50)
    return web.render(
        request,
        "events/event.html",
        event=read,
        booths=booth_list,
        people=people,
        kinds=KINDS,
        booth_status=BOOTH_STATUS,
        registration_status=REGISTRATION_STATUS,
    )


@router.post("/event-booths/{booth_id}/decision")
async def decide_booth(
    booth_id: uuid.UUID,
    form: web.Form,
    staff: web.Station,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    back = f"{web.PREFIX}/events/{web.parse_uuid(form.get('event_id'))}"
    try:
        body = BoothDecision.model_validate(
            {
                "decision": form.get("decision", ""),
                "booth_no": form.get("booth_no") or None,
                "reason": form.get("reason") or None,
            }
        )
    except ValidationError:
        return web.redirect(back, error="未提交：请选择确认或拒绝，展位号不超过 20 字。")
    done, refused = await web.attempt(
        session, lambda: booths.decide(session, clock, staff, booth_id, body)
    )
    if refused:
        return web.redirect(back, error=f"未能完成：{refused}")
    if body.decision == "confirm":
        where = f"，展位号 {done.booth_no}" if done.booth_no else ""
        return web.redirect(
            back,
            done=f"已确认 {done.employer_name} 的展位{where}。",
            then="单位会在小程序中看到确认结果；可继续处理下一家。",
        )
    return web.redirect(
        back, done=f"已拒绝 {done.employer_name} 的展位申请。", then="展位名额已释放。"
    )


@router.post("/events/{event_id}/featured-jobs")
async def put_featured_jobs(
    event_id: uuid.UUID,
    form: web.Form,
    staff: web.Station,
    session: SessionDep,
) -> Response:
    """A live stream's featured jobs, replaced as a whole by the ids typed one per line (or
    separated by commas or spaces), in that order; an empty field clears them."""
    back = f"{web.PREFIX}/events/{event_id}"
    ids: list[uuid.UUID] = []
    for raw in re.split(r"[\s,，、]+", form.get("job_ids", "")):
        if not raw:
            continue
        parsed = web.parse_uuid(raw)
        if parsed is None:
            return web.redirect(back, error=f"未保存：“{raw[:40]}”不是岗位编号。")
        if parsed not in ids:
            ids.append(parsed)
    try:
        body = FeaturedJobsPut.model_validate({"job_ids": ids})
    except ValidationError:
        return web.redirect(back, error="未保存：推介岗位最多 50 个。")
    done, refused = await web.attempt(
        session, lambda: service.put_featured_jobs(session, staff, event_id, body)
    )
    if refused:
        return web.redirect(
            back, error=f"未能保存：{refused}", then="请核对岗位编号（须为已发布岗位）。"
        )
    if not done.featured_jobs:
        return web.redirect(back, done="已清空推介岗位。", then="直播间暂不展示岗位。")
    return web.redirect(
        back,
        done=f"已设置 {len(done.featured_jobs)} 个推介岗位。",
        then="求职者在直播间即可按顺序看到并投递这些岗位。",
    )


@router.get("/events/{event_id}/check-in", response_class=HTMLResponse)
async def check_in_desk(
    request: Request, event_id: uuid.UUID, staff: web.Station, session: SessionDep
) -> Response:
    read = await service.read_event(session, event_id, include_cancelled=True)
    return web.render(request, "events/check_in.html", event=read)


@router.post("/events/{event_id}/check-in")
async def check_in(
    request: Request,
    event_id: uuid.UUID,
    form: web.Form,
    staff: web.Station,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    back = f"{web.PREFIX}/events/{event_id}/check-in"
    token = form.get("token", "")
    if not token:
        return web.redirect(back, error="请扫描或粘贴签到码。")
    codec = get_checkin_codec(request)
    done, refused = await web.attempt(
        session,
        lambda: registrations.check_in(session, clock, codec, staff, event_id, token[:400]),
    )
    if refused:
        return web.redirect(back, error=f"未能签到：{refused}", then="请核对后扫描下一位。")
    who = done.user_nickname or "求职者"
    return web.redirect(back, done=f"{who} 已签到入场。", then="请扫描下一位的签到码。")
