"""Login, logout, the "today" page and the console's static files."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.complaints import service as complaint_service
from app.console import web
from app.console.security import PRE_LOGIN_COOKIE, SESSION_COOKIE
from app.core.clock import ClockDep, local_date
from app.core.db import SessionDep
from app.core.errors import AppError, NotFound
from app.core.ratelimit import RateLimiter
from app.employers import review as employer_review
from app.gigs import listing as gig_listing
from app.identity import service as identity_service
from app.identity.router import STAFF_PER_ACCOUNT, STAFF_PER_CLIENT
from app.jobs import reports as job_reports
from app.jobs import review as job_review
from app.service_desk import front_desk
from app.service_desk import service as desk_service
from app.service_desk.dependencies import DEFAULT_RULES
from app.subsidies import listing as subsidy_listing

router = APIRouter(prefix=web.PREFIX, route_class=web.ConsoleRoute, include_in_schema=False)

STATIC = web.HERE / "static"
MEDIA_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


def _safe_next(raw: str | None) -> str:
    """Only a console path (never another site) is a place to go back to after login."""
    if raw and raw.startswith(web.PREFIX) and not raw.startswith("//") and "\\" not in raw:
        return raw
    return web.PREFIX


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, clock: ClockDep, next: str | None = None) -> Response:
    if web.codec_of(request).decode(request.cookies.get(SESSION_COOKIE), clock()) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return web.render(request, "login.html", next=_safe_next(next))


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, session: SessionDep, clock: ClockDep) -> Response:
    """The identity service's staff login (argon2, lockout per username and address)."""
    form = await web.read_form(request)
    username, password = form.get("username", ""), form.get("password", "")
    target = _safe_next(form.get("next"))
    if not username or not password:
        return web.render(
            request, "login.html", 400, error="请输入用户名和密码", username=username, next=target
        )
    client = request.client.host if request.client else "unknown"
    limiter: RateLimiter = request.app.state.ratelimiter
    settings = request.app.state.settings
    try:
        await limiter.check(STAFF_PER_CLIENT, client)
        await limiter.check(STAFF_PER_ACCOUNT, f"{username.lower()}@{client}")
        result = await identity_service.login_staff(
            session,
            request.app.state.security,
            settings.security,
            identity_service.StaffCredentials(username, password, client),
            clock(),
        )
    except AppError as error:
        if error.keep_changes:  # the failure counts towards the lockout: keep it
            await session.commit()
        return web.render(
            request,
            "login.html",
            error.status_code,
            error=error.message,
            username=username,
            next=target,
        )
    codec = web.codec_of(request)
    token = codec.encode(codec.start(result.staff.id, clock()))
    response = web.redirect(target, done=f"欢迎，{result.staff.display_name}。")
    response.set_cookie(
        SESSION_COOKIE,
        token,
        path=web.PREFIX,
        httponly=True,
        samesite="strict",
        secure=codec.secure,
    )
    response.delete_cookie(PRE_LOGIN_COOKIE, path=web.PREFIX)
    return response


@router.post("/logout")
async def logout(request: Request, form: web.Form) -> Response:
    response = web.redirect(f"{web.PREFIX}/login", done="已退出登录。如需继续工作，请重新登录。")
    response.delete_cookie(SESSION_COOKIE, path=web.PREFIX)
    request.state.console_refresh = None
    return response


@router.get("", response_class=HTMLResponse)
async def today(
    request: Request, staff: web.AnyStaff, session: SessionDep, clock: ClockDep
) -> Response:
    """The queues this staff member has, with counts."""
    cards: list[dict[str, object]] = []
    if web.may(staff, ("reviewer",)):
        counts = await subsidy_listing.queue_counts(session)
        for status, title, hint in (
            ("submitted", "补贴申请·待受理", "点开后先“开始审核”"),
            ("under_review", "补贴申请·审核中", "核对材料后核准、退回或不予通过"),
            ("returned", "补贴申请·待申请人补材料", "申请人补充后回到待受理"),
            ("approved", "补贴申请·待登记发放", "发放后登记凭证号"),
        ):
            url = f"{web.PREFIX}/subsidies?status={status}"
            cards.append({"title": title, "count": counts.get(status, 0), "url": url, "hint": hint})
    if web.may(staff, ("reviewer",)):
        cards += await _review_cards(request, session)
    if web.may(staff, ("station",)):
        day = local_date(clock())
        stations = await desk_service.list_stations(
            session,
            clock,
            lat=None,
            lng=None,
            radius_km=None,
            kind=None,
            area_code=None,
            service_code=None,
            cursor=None,
            limit=20,
        )
        for station in stations.items:
            page = await front_desk.station_day(
                session, clock, DEFAULT_RULES, station.id, day, cursor=None, limit=100
            )
            waiting = sum(1 for a in page.items if a.status == "booked")
            count = f"{waiting}+" if page.next_cursor else waiting
            cards.append(
                {
                    "title": f"{station.name}·今日待签到",
                    "count": count,
                    "url": f"{web.PREFIX}/stations/{station.id}?date={day.isoformat()}",
                    "hint": f"今日预约 {len(page.items)} 人",
                }
            )
    return web.render(request, "today.html", cards=cards)


def _count(items: list[object], more: str | None) -> str | int:
    return f"{len(items)}+" if more else len(items)


async def _review_cards(request: Request, session: SessionDep) -> list[dict[str, object]]:
    """The other reviewer queues, counted through their own list services (up to 50, then "50+")."""
    security = request.app.state.security
    employers = await employer_review.queue(session, security, "pending", None, 50)
    jobs = await job_review.queue(session, None, 50)
    gigs = await gig_listing.review_queue(session, "pending_review", None, 50)
    reports = await job_reports.queue(session, "open", None, 50)
    received = await complaint_service.queue(
        session, status="received", kind=None, cursor=None, limit=50
    )
    return [
        {
            "title": "用人单位·待认证",
            "count": _count(list(employers.items), employers.next_cursor),
            "url": f"{web.PREFIX}/employers",
            "hint": "对照营业执照认证或驳回",
        },
        {
            "title": "岗位·待审核",
            "count": _count(list(jobs.items), jobs.next_cursor),
            "url": f"{web.PREFIX}/postings",
            "hint": "命中规则的原文已高亮",
        },
        {
            "title": "零工·待审核",
            "count": _count(list(gigs.items), gigs.next_cursor),
            "url": f"{web.PREFIX}/postings/gigs",
            "hint": "通过后求职者才能看到",
        },
        {
            "title": "岗位举报·待处理",
            "count": _count(list(reports.items), reports.next_cursor),
            "url": f"{web.PREFIX}/reports",
            "hint": "核实后认定属实或不属实",
        },
        {
            "title": "投诉·新受理",
            "count": _count(list(received.items), received.next_cursor),
            "url": f"{web.PREFIX}/complaints?status=received",
            "hint": "开始处理后联系双方核实",
        },
    ]


@router.get("/static/{name}")
async def static_file(name: str) -> Response:
    path = STATIC / Path(name).name
    media_type = MEDIA_TYPES.get(path.suffix)
    if media_type is None or not path.is_file():
        raise NotFound()
    return Response(
        path.read_bytes(),
        media_type=media_type,
        headers={"Cache-Control": f"public, max-age={int(timedelta(hours=1).total_seconds())}"},
    )
