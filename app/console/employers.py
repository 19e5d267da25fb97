"""Employers: the verification queue with the licence shown beside the facts to check."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from app.console import web
from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.pagination import CursorParam
from app.employers import repository as employers
from app.employers import review
from app.employers.schemas import VerificationDecision
from app.internships import service as internships

router = APIRouter(prefix=web.PREFIX, route_class=web.ConsoleRoute, include_in_schema=False)

STATUS = {"pending": "待认证", "verified": "已认证", "rejected": "已驳回"}


@router.get("/employers", response_class=HTMLResponse)
async def queue(
    request: Request,
    staff: web.Reviewer,
    session: SessionDep,
    status: Literal["pending", "verified", "rejected"] = "pending",
    cursor: CursorParam = None,
) -> Response:
    page = await review.queue(session, request.app.state.security, status, cursor, 20)
    return web.render(request, "employers/queue.html", page=page, status=status, statuses=STATUS)


@router.post("/employers/{employer_id}/verification")
async def decide(
    request: Request,
    employer_id: uuid.UUID,
    form: web.Form,
    staff: web.Reviewer,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    back = f"{web.PREFIX}/employers"
    try:
        body = VerificationDecision.model_validate(
            {"decision": form.get("decision", ""), "reason": form.get("reason") or None}
        )
    except ValidationError:
        return web.redirect(back, error="未提交：请选择认证通过或驳回，理由不超过 500 字。")
    security = request.app.state.security
    done, refused = await web.attempt(
        session, lambda: review.decide(session, clock, security, staff, employer_id, body)
    )
    if refused:
        return web.redirect(back, error=f"未能完成：{refused}")
    if body.decision == "approve":
        return web.redirect(
            back, done=f"{done.name} 已认证通过。", then="该单位现在可以发布岗位；继续审核下一家。"
        )
    return web.redirect(
        back, done=f"已驳回 {done.name} 的认证。", then="单位成员会在单位主页看到驳回理由。"
    )


@router.get("/employers/{employer_id}/internships", response_class=HTMLResponse)
async def internship_facts(
    request: Request,
    employer_id: uuid.UUID,
    staff: web.Reviewer,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    """A unit's interns and the clause 11 facts (same functions as ``GET
    /api/v1/admin/employers/{id}/internship-facts``), for reviewing an internship subsidy."""
    employer = await employers.get(session, employer_id)
    if employer is None:
        return web.render(
            request, "error.html", status_code=404, title="未找到", message="未找到该单位。"
        )
    facts = await internships.facts(session, clock, employer)
    return web.render(request, "employers/internships.html", facts=facts)
