"""The console's plumbing: the route class, page rendering, who is signed in, forms and flashes.

Pages are plain FastAPI routes of ``ConsoleRoute``: the API's route class (hostile text refused,
commit at the boundary) wrapped so every failure becomes an HTML page instead of the JSON
envelope — a missing session redirects to the login page, a missing role or a bad CSRF token is a
403 page, a service's ``AppError`` shows its Chinese message.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from sqlalchemy.ext.asyncio import AsyncSession

from app.console.security import (
    PRE_LOGIN_COOKIE,
    SESSION_COOKIE,
    ConsoleSession,
    SessionCodec,
    new_nonce,
)
from app.core.clock import SHANGHAI, ClockDep
from app.core.db import SessionDep
from app.core.errors import AppError
from app.core.routing import CommittingRoute
from app.core.text import text_errors
from app.identity.models import StaffAccount
from app.taxonomy.display import amount_text

HERE = Path(__file__).resolve().parent
FLASH_COOKIE = "ds_console_flash"
PREFIX = "/console"

ROLE_NAMES = {"admin": "管理员", "reviewer": "审核员", "station": "服务站工作人员"}


@dataclass(frozen=True)
class MenuItem:
    key: str
    title: str
    url: str | None  # None: a slot for a page still being built
    roles: tuple[str, ...]  # empty: every staff member; admin is admitted everywhere


MENU = (
    MenuItem("today", "今日待办", "/console", ()),
    MenuItem("subsidies", "补贴申请", "/console/subsidies", ("reviewer",)),
    MenuItem("awards", "发放台账", "/console/subsidies/awards", ("reviewer",)),
    MenuItem("employers", "单位认证", "/console/employers", ("reviewer",)),
    MenuItem("postings", "岗位审核", "/console/postings", ("reviewer",)),
    MenuItem("reports", "举报处理", "/console/reports", ("reviewer",)),
    MenuItem("complaints", "投诉处理", "/console/complaints", ("reviewer",)),
    MenuItem("stations", "服务站", "/console/stations", ("station",)),
    MenuItem("events", "招聘活动", "/console/events", ("station",)),
    MenuItem("training", "培训课程", "/console/training", ("station",)),
    MenuItem("staff", "工作人员", "/console/staff", ("admin",)),
    MenuItem("audit", "审计日志", "/console/audit", ("admin",)),
    MenuItem("ledger", "人员清单", "/console/ledger", ("station", "reviewer")),
    MenuItem("vacancies", "岗位清单", "/console/vacancies", ("station", "reviewer")),
    MenuItem("statistics", "统计报表", "/console/statistics", ("reviewer",)),
)


def may(staff: StaffAccount, roles: tuple[str, ...]) -> bool:
    """The API's rule (app.identity.dependencies.require_staff): admin is admitted everywhere."""
    return not roles or bool({*roles, "admin"}.intersection(staff.roles))


def _fen(value: int | None) -> str:
    return amount_text(value) or "—"


def _datetime(value: Any) -> str:
    if value is None:
        return "—"
    return str(value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M"))


def _highlight(text: str | None, excerpts: list[str]) -> Markup:
    """The text, escaped, with every excerpt a moderation rule matched wrapped in <mark>."""
    html = str(escape(text or ""))
    for excerpt in sorted({e for e in excerpts if e}, key=len, reverse=True):
        found = str(escape(excerpt))
        html = html.replace(found, f"<mark>{found}</mark>")
    return Markup(html.replace("\n", "<br>"))


templates = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.filters["fen"] = _fen
templates.filters["when"] = _datetime
templates.filters["highlight"] = _highlight
templates.filters["pretty"] = lambda value: json.dumps(value, ensure_ascii=False, indent=2)
templates.globals["ROLE_NAMES"] = ROLE_NAMES


# ---- failures that become pages -------------------------------------------------------------


class LoginRequired(Exception):
    """No valid session: the wrapper redirects to the login page."""


class PageError(Exception):
    status_code = 400
    title = "无法完成"

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class PageForbidden(PageError):
    status_code = 403
    title = "没有权限"


class CsrfRefused(PageForbidden):
    title = "表单已失效"

    def __init__(self) -> None:
        super().__init__("表单已失效或来源不明（缺少安全校验码），请返回上一页刷新后重新提交。")


class PageNotFound(PageError):
    status_code = 404
    title = "页面不存在"


# ---- rendering ------------------------------------------------------------------------------


def codec_of(request: Request) -> SessionCodec:
    codec: SessionCodec | None = getattr(request.app.state, "console_codec", None)
    if codec is None:
        codec = SessionCodec.from_settings(request.app.state.settings)
        request.app.state.console_codec = codec
    return codec


def _flash(request: Request) -> dict[str, str] | None:
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except ValueError:
        return None
    return {k: str(v) for k, v in data.items()} if isinstance(data, dict) else None


def _nonce(request: Request) -> str:
    session: ConsoleSession | None = getattr(request.state, "console_session", None)
    if session is not None:
        return session.nonce
    nonce: str | None = getattr(request.state, "pre_nonce", None)
    if nonce is None:
        nonce = request.cookies.get(PRE_LOGIN_COOKIE) or new_nonce()
        request.state.pre_nonce = nonce
    return nonce


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    staff: StaffAccount | None = getattr(request.state, "console_staff", None)
    menu = [item for item in MENU if staff is not None and may(staff, item.roles)]
    body = templates.get_template(name).render(
        request=request,
        me=staff,
        menu=menu,
        path=request.url.path,
        csrf=codec_of(request).csrf_token(_nonce(request)),
        flash=_flash(request),
        query=urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]),
        **context,
    )
    response = HTMLResponse(body, status_code=status_code)
    if FLASH_COOKIE in request.cookies:
        response.delete_cookie(FLASH_COOKIE, path=PREFIX)
    return response


def redirect(
    url: str, *, done: str | None = None, error: str | None = None, then: str | None = None
) -> RedirectResponse:
    """303 to ``url`` with a one-time message: what was done (or what failed) and what is next."""
    response = RedirectResponse(url, status_code=303)
    if done or error:
        data = {"kind": "error" if error else "ok", "text": error or done or "", "next": then or ""}
        raw = base64.urlsafe_b64encode(json.dumps(data, ensure_ascii=False).encode()).decode()
        response.set_cookie(
            FLASH_COOKIE, raw.rstrip("="), path=PREFIX, httponly=True, samesite="strict"
        )
    return response


def error_page(request: Request, status_code: int, title: str, message: str) -> HTMLResponse:
    return render(request, "error.html", status_code, title=title, message=message)


# ---- the route class ------------------------------------------------------------------------


def _set_session_cookie(request: Request, response: Response, token: str) -> None:
    codec = codec_of(request)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=codec.secure,
    )


def _finish(request: Request, response: Response) -> Response:
    """Slide the session's idle expiry; keep the pre-login nonce the page's form was signed with."""
    refreshed: str | None = getattr(request.state, "console_refresh", None)
    sets = [v for k, v in response.raw_headers if k == b"set-cookie"]
    if refreshed and not any(v.startswith(SESSION_COOKIE.encode() + b"=") for v in sets):
        _set_session_cookie(request, response, refreshed)
    if codec_of(request).secure:  # the flash cookie too carries Secure in production
        response.raw_headers[:] = [
            (k, v + b"; Secure" if k == b"set-cookie" and b"secure" not in v.lower() else v)
            for k, v in response.raw_headers
        ]
    pre: str | None = getattr(request.state, "pre_nonce", None)
    if pre and request.cookies.get(PRE_LOGIN_COOKIE) != pre:
        response.set_cookie(
            PRE_LOGIN_COOKIE,
            pre,
            path=PREFIX,
            httponly=True,
            samesite="strict",
            secure=codec_of(request).secure,
            max_age=3600,
        )
    return response


class ConsoleRoute(CommittingRoute):
    """The API's route class, with every failure rendered as a page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            response: Response
            try:
                response = await handler(request)
            except LoginRequired:
                target = quote(request.url.path, safe="/")
                response = RedirectResponse(f"{PREFIX}/login?next={target}", status_code=303)
                response.delete_cookie(SESSION_COOKIE, path=PREFIX)
                return response
            except PageError as error:
                response = error_page(request, error.status_code, error.title, error.message)
            except AppError as error:
                title = "未找到" if error.status_code == 404 else "无法完成"
                response = error_page(request, error.status_code, title, error.message)
            except RequestValidationError:
                response = error_page(
                    request, 422, "输入有误", "请求中的内容格式不正确，请检查后重试。"
                )
            return _finish(request, response)

        return page_handler


# ---- who is signed in -----------------------------------------------------------------------


async def signed_in(request: Request, session: SessionDep, clock: ClockDep) -> StaffAccount:
    codec = codec_of(request)
    now = clock()
    console = codec.decode(request.cookies.get(SESSION_COOKIE), now)
    if console is None:
        raise LoginRequired()
    staff = await session.get(StaffAccount, console.staff_id)
    if staff is None or not staff.is_active:
        raise LoginRequired()
    request.state.console_session = console
    request.state.console_staff = staff
    touched = codec.touched(console, now)
    if touched is not None:
        request.state.console_refresh = codec.encode(touched)
    return staff


def require(*roles: str) -> Callable[..., Awaitable[StaffAccount]]:
    """A page for staff holding any of ``roles`` (admin everywhere); others get the 403 page."""

    async def dependency(staff: Annotated[StaffAccount, Depends(signed_in)]) -> StaffAccount:
        if not may(staff, roles):
            raise PageForbidden("当前账号没有使用此页面的权限。如需开通，请联系管理员。")
        return staff

    return dependency


AnyStaff = Annotated[StaffAccount, Depends(signed_in)]
Reviewer = Annotated[StaffAccount, Depends(require("reviewer"))]
Station = Annotated[StaffAccount, Depends(require("station"))]
Admin = Annotated[StaffAccount, Depends(require("admin"))]


# ---- forms ----------------------------------------------------------------------------------


async def read_form(request: Request) -> dict[str, str]:
    """The posted form after its CSRF token and the hostile-text rule; 403 page without a token."""
    form = await request.form()
    fields = {key: value for key, value in form.multi_items() if isinstance(value, str)}
    if not codec_of(request).csrf_valid(_nonce(request), fields.pop("csrf_token", None)):
        raise CsrfRefused()
    if text_errors(fields, ("form",)):
        raise RequestValidationError(text_errors(fields, ("form",)))
    return {key: value.strip() for key, value in fields.items()}


async def posted(request: Request, staff: AnyStaff) -> dict[str, str]:
    """A form posted by a signed-in staff member (the session is checked before the token)."""
    return await read_form(request)


Form = Annotated[dict[str, str], Depends(posted)]


def parse_uuid(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError:
        return None


async def attempt(
    session: AsyncSession, action: Callable[[], Awaitable[Any]]
) -> tuple[Any, str | None]:
    """Run a service call in a savepoint; on its refusal undo what it did (only that) and return
    the Chinese reason, so the page can say it and the request still ends cleanly."""
    try:
        async with session.begin_nested():
            return await action(), None
    except AppError as error:
        return None, error.message
