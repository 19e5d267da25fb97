"""Postings: the job moderation queue with the findings highlighted in the text, the gigs (零工)
held by moderation, and the reports (举报) queue with decisions — through ``app.jobs.review``,
``app.gigs.listing``/``posting_service`` and ``app.jobs.reports``, as the API."""

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
from app.gigs import listing as gig_listing
from app.gigs import posting_service as gig_posting
from app.gigs.booking_schemas import GigReview
from app.jobs import reports, review
from app.jobs.schemas import ModerationDecision, ReportDecision

router = APIRouter(prefix=web.PREFIX, route_class=web.ConsoleRoute, include_in_schema=False)

REPORT_STATUS = {"open": "待处理", "upheld": "属实", "dismissed": "不属实"}
REPORT_REASONS = {
    "fake_job": "虚假招聘",
    "discrimination": "就业歧视",
    "wage_arrears": "拖欠工资",
    "other": "其他",
}


@router.get("/postings", response_class=HTMLResponse)
async def moderation_queue(
    request: Request, staff: web.Reviewer, session: SessionDep, cursor: CursorParam = None
) -> Response:
    page = await review.queue(session, cursor, 20)
    return web.render(request, "postings/queue.html", page=page)


@router.post("/postings/{job_id}/moderation")
async def moderate(
    job_id: uuid.UUID,
    form: web.Form,
    staff: web.Reviewer,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    back = f"{web.PREFIX}/postings"
    try:
        body = ModerationDecision.model_validate(
            {"decision": form.get("decision", ""), "reason": form.get("reason") or None}
        )
    except ValidationError:
        return web.redirect(back, error="未提交：请选择通过或驳回，理由不超过 500 字。")
    _, refused = await web.attempt(
        session, lambda: review.decide(session, clock, staff, job_id, body)
    )
    if refused:
        return web.redirect(back, error=f"未能完成：{refused}")
    if body.decision == "approve":
        return web.redirect(back, done="岗位已通过审核并发布。", then="继续审核下一条。")
    return web.redirect(back, done="岗位已驳回。", then="发布者会看到驳回理由，修改后可重新提交。")


@router.get("/postings/gigs", response_class=HTMLResponse)
async def gig_queue(
    request: Request, staff: web.Reviewer, session: SessionDep, cursor: CursorParam = None
) -> Response:
    """Gigs held by moderation, oldest first (the API's ``GET /api/v1/admin/gigs``)."""
    page = await gig_listing.review_queue(session, "pending_review", cursor, 20)
    return web.render(request, "postings/gigs.html", page=page)


@router.post("/postings/gigs/{gig_id}/review")
async def review_gig(
    gig_id: uuid.UUID,
    form: web.Form,
    staff: web.Reviewer,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    back = f"{web.PREFIX}/postings/gigs"
    try:
        body = GigReview.model_validate(
            {"decision": form.get("decision", ""), "reason": form.get("reason") or None}
        )
    except ValidationError:
        return web.redirect(back, error="未提交：请选择通过或驳回，理由 2–500 字。")
    done, refused = await web.attempt(
        session,
        lambda: gig_posting.review_gig(
            session, staff, gig_id, body.decision == "approve", body.reason, clock()
        ),
    )
    if refused:
        return web.redirect(back, error=f"未能完成：{refused}")
    if body.decision == "reject":
        return web.redirect(
            back, done="零工已驳回。", then="发布者会看到驳回理由，修改后可重新发布。"
        )
    if done.status == "cancelled":
        return web.redirect(
            back, done="已通过，但开工时间已过，零工已自动取消。", then="继续审核下一条。"
        )
    return web.redirect(back, done="零工已通过审核并上线。", then="继续审核下一条。")


@router.get("/reports", response_class=HTMLResponse)
async def report_queue(
    request: Request,
    staff: web.Reviewer,
    session: SessionDep,
    status: Literal["open", "upheld", "dismissed"] = "open",
    cursor: CursorParam = None,
) -> Response:
    page = await reports.queue(session, status, cursor, 20)
    return web.render(
        request,
        "postings/reports.html",
        page=page,
        status=status,
        statuses=REPORT_STATUS,
        reasons=REPORT_REASONS,
    )


@router.post("/reports/{report_id}/decision")
async def handle_report(
    report_id: uuid.UUID,
    form: web.Form,
    staff: web.Reviewer,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    back = f"{web.PREFIX}/reports"
    try:
        body = ReportDecision.model_validate(
            {
                "decision": form.get("decision", ""),
                "resolution": form.get("resolution", ""),
                "close_job": form.get("close_job") == "on",
            }
        )
    except ValidationError:
        return web.redirect(back, error="未提交：请选择属实或不属实，并填写处理说明。")
    _, refused = await web.attempt(
        session, lambda: reports.handle(session, clock, staff, report_id, body)
    )
    if refused:
        return web.redirect(back, error=f"未能完成：{refused}")
    closed = "，岗位已下架" if body.decision == "uphold" and body.close_job else ""
    verdict = "属实" if body.decision == "uphold" else "不属实"
    return web.redirect(
        back, done=f"举报已处理：{verdict}{closed}。", then="举报人会收到处理结果；继续处理下一条。"
    )
