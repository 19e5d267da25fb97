"""Subsidy applications: the queue, one application with the engine's trace, review, the ledger.

Every action goes through ``app.subsidies.review.review`` — the API's own path, with its
transitions, the ledger locks, the caps and the audit records.
"""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from app.console import web
from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.pagination import CursorParam
from app.policies.catalogue import load_catalogue
from app.subsidies import listing, review, views
from app.subsidies.schemas import SubsidyReview

router = APIRouter(
    prefix=f"{web.PREFIX}/subsidies", route_class=web.ConsoleRoute, include_in_schema=False
)

STATUS_NAMES = {
    "submitted": "已提交·待受理",
    "under_review": "审核中",
    "returned": "已退回·待补材料",
    "approved": "已核准",
    "rejected": "未通过",
    "paid": "已发放",
}
ACTION_DONE = {
    "start_review": ("已开始审核。", "请核对事实与材料，然后核准、退回补充材料或不予通过。"),
    "return": ("已退回申请人补充材料。", "申请人补充后，申请会回到“待受理”队列。"),
    "approve": ("已核准，发放记录已写入台账。", "发放后请在本页“登记发放”。"),
    "reject": ("已作出不予通过的决定。", "申请人会在小程序中看到理由。"),
    "mark_paid": ("已登记发放。", "本申请办结。可回到队列处理下一件。"),
}
PAGE_SIZE = 20


def _policies() -> list[tuple[str, str]]:
    return [(p.code, p.title) for p in load_catalogue().policies]


def _yuan_to_fen(raw: str) -> int | None:
    if not raw:
        return None
    try:
        yuan, _, cents = raw.replace(",", "").partition(".")
        return int(yuan) * 100 + int((cents + "00")[:2] or 0)
    except ValueError:
        return None


@router.get("", response_class=HTMLResponse)
async def queue(
    request: Request,
    staff: web.Reviewer,
    session: SessionDep,
    status: str | None = None,
    policy: str | None = None,
    submitted_from: date | None = None,
    submitted_to: date | None = None,
    cursor: CursorParam = None,
) -> Response:
    status = status if status in STATUS_NAMES else None
    policy = policy or None
    page = await listing.queue(
        session,
        status=status,
        policy_code=policy,
        first_day=submitted_from,
        last_day=submitted_to,
        cursor=cursor,
        limit=PAGE_SIZE,
    )
    return web.render(
        request,
        "subsidies/queue.html",
        page=page,
        statuses=STATUS_NAMES,
        policies=_policies(),
        filters={
            "status": status or "",
            "policy": policy or "",
            "submitted_from": submitted_from.isoformat() if submitted_from else "",
            "submitted_to": submitted_to.isoformat() if submitted_to else "",
        },
    )


@router.get("/awards", response_class=HTMLResponse)
async def awards(
    request: Request,
    staff: web.Reviewer,
    session: SessionDep,
    policy: str | None = None,
    cursor: CursorParam = None,
) -> Response:
    rows, next_cursor = await listing.awards(
        session, policy_code=policy or None, cursor=cursor, limit=50
    )
    titles = dict(_policies())
    return web.render(
        request,
        "subsidies/awards.html",
        rows=rows,
        next_cursor=next_cursor,
        titles=titles,
        policy=policy or "",
        policies=_policies(),
    )


@router.get("/{application_id}", response_class=HTMLResponse)
async def application(
    request: Request, application_id: uuid.UUID, staff: web.Reviewer, session: SessionDep
) -> Response:
    found = await listing.for_staff(session, application_id)
    read = await views.full(session, found)
    decision = read.approval_decision or read.decision
    outcome = next((o for o in decision.outcomes if o.policy_code == read.policy_code), None)
    return web.render(
        request,
        "subsidies/application.html",
        app=read,
        outcome=outcome,
        statuses=STATUS_NAMES,
        facts=read.facts.model_dump(mode="json", exclude_none=True),
    )


@router.post("/{application_id}/review")
async def decide(
    application_id: uuid.UUID,
    form: web.Form,
    staff: web.Reviewer,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    here = f"{web.PREFIX}/subsidies/{application_id}"
    action = form.get("action", "")
    amount = form.get("amount_yuan", "")
    fields = {
        "action": action,
        "note": form.get("note") or None,
        "amount_fen": _yuan_to_fen(amount) if amount else None,
        "override_reason": form.get("override_reason") or None,
        "paid_on": form.get("paid_on") or None,
        "payment_reference": form.get("payment_reference") or None,
    }
    if amount and fields["amount_fen"] is None:
        return web.redirect(here, error="核准金额格式不正确，请填写如 3000 或 3000.50 的数字。")
    try:
        body = SubsidyReview.model_validate({k: v for k, v in fields.items() if v is not None})
    except ValidationError as error:
        message = "；".join(str(e["msg"]).removeprefix("Value error, ") for e in error.errors())
        return web.redirect(here, error=f"未提交：{message}")
    _, refused = await web.attempt(
        session,
        lambda: review.review(session, staff, application_id, body, clock()),
    )
    if refused:
        return web.redirect(here, error=f"未能完成：{refused}")
    done, then = ACTION_DONE[body.action]
    return web.redirect(here, done=done, then=then)
