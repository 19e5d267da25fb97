"""Staff accounts and roles, the audit log (admin), and the audited unmasking of a person."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from app.console import web
from app.core.db import SessionDep
from app.core.pagination import CursorParam
from app.identity import staff as staff_service
from app.identity.audit_queries import list_audit_records
from app.identity.schemas import StaffCreate, StaffUpdate

router = APIRouter(prefix=web.PREFIX, route_class=web.ConsoleRoute, include_in_schema=False)


def _problem(error: ValidationError) -> str:
    return "；".join(str(e["msg"]).removeprefix("Value error, ") for e in error.errors())


@router.get("/staff", response_class=HTMLResponse)
async def staff_list(request: Request, staff: web.Admin, session: SessionDep) -> Response:
    accounts = await staff_service.list_staff(session)
    return web.render(request, "admin/staff.html", accounts=accounts)


@router.post("/staff")
async def staff_create(form: web.Form, staff: web.Admin, session: SessionDep) -> Response:
    back = f"{web.PREFIX}/staff"
    roles = [r for r in ("admin", "reviewer", "station") if form.get(f"role_{r}") == "on"]
    try:
        body = StaffCreate.model_validate(
            {
                "username": form.get("username", ""),
                "display_name": form.get("display_name", ""),
                "password": form.get("password", ""),
                "roles": roles,
            }
        )
    except ValidationError as error:
        return web.redirect(back, error=f"未创建：{_problem(error)}")
    created, refused = await web.attempt(
        session, lambda: staff_service.create_staff(session, body, actor=staff)
    )
    if refused:
        return web.redirect(back, error=f"未创建：{refused}")
    return web.redirect(
        back,
        done=f"已创建工作人员账号 {created.username}。",
        then="请把初始密码当面交给本人，登录后即可使用。",
    )


@router.post("/staff/{staff_id}")
async def staff_update(
    staff_id: uuid.UUID, form: web.Form, staff: web.Admin, session: SessionDep
) -> Response:
    back = f"{web.PREFIX}/staff"
    accounts = {a.id: a for a in await staff_service.list_staff(session)}
    account = accounts.get(staff_id)
    if account is None:
        raise web.PageNotFound("没有这个工作人员账号。")
    roles = [r for r in ("admin", "reviewer", "station") if form.get(f"role_{r}") == "on"]
    try:
        body = StaffUpdate.model_validate(
            {
                "display_name": account.display_name,
                "roles": roles,
                "is_active": form.get("is_active") == "on",
                "user_id": account.user_id,
            }
        )
    except ValidationError as error:
        return web.redirect(back, error=f"未保存：{_problem(error)}")
    _, refused = await web.attempt(
        session, lambda: staff_service.update_staff(session, staff_id, body, actor=staff)
    )
    if refused:
        return web.redirect(back, error=f"未保存：{refused}")
    return web.redirect(
        back, done=f"已保存 {account.username} 的角色与状态。", then="变更在对方下一次操作时生效。"
    )


@router.get("/audit", response_class=HTMLResponse)
async def audit(
    request: Request,
    staff: web.Admin,
    session: SessionDep,
    action: str | None = None,
    actor_id: str | None = None,
    subject_id: str | None = None,
    cursor: CursorParam = None,
) -> Response:
    page = await list_audit_records(
        session,
        cursor=cursor,
        limit=50,
        action=action or None,
        actor_id=web.parse_uuid(actor_id),
        subject_id=(subject_id or None) and subject_id[:64],
    )
    names = {a.id: a.display_name for a in await staff_service.list_staff(session)}
    return web.render(
        request,
        "admin/audit.html",
        page=page,
        names=names,
        filters={
            "action": action or "",
            "actor_id": actor_id or "",
            "subject_id": subject_id or "",
        },
    )


@router.post("/people/{user_id}/identity", response_class=HTMLResponse)
async def unmask(
    request: Request,
    user_id: uuid.UUID,
    form: web.Form,
    staff: web.Reviewer,
    session: SessionDep,
) -> Response:
    """A deliberate, audited read of a person's name, ID number and phone, with a reason."""
    reason = form.get("reason", "")
    if len(reason) < 2:
        raise web.PageError("查看完整身份信息须填写理由（如：核对申请人身份）。")
    identity = await staff_service.read_identity(
        session, request.app.state.security, user_id, actor=staff, reason=reason[:200]
    )
    return web.render(
        request, "identity.html", identity=identity, reason=reason, back=form.get("back", "")
    )
