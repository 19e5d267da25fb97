"""Complaints (欠薪等): the queue, one complaint with its exchange, and the transitions
(``app.complaints.service``, as the API). The complainant's contact is an audited read with a
reason (the identity unmasking form), never shown by default."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from app.complaints import service, views
from app.complaints.schemas import ComplaintTransition
from app.console import web
from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.pagination import CursorParam

router = APIRouter(
    prefix=f"{web.PREFIX}/complaints", route_class=web.ConsoleRoute, include_in_schema=False
)

STATUS = {
    "received": "已受理",
    "handling": "处理中",
    "resolved": "已办结",
    "transferred": "已移交劳动保障监察",
}
KINDS = {
    "wage_arrears": "欠薪",
    "fake_recruitment": "虚假招聘",
    "discrimination": "就业歧视",
    "unsafe_work": "不安全作业",
}
NEXT = {"received": ("handling",), "handling": ("resolved", "transferred")}


@router.get("", response_class=HTMLResponse)
async def queue(
    request: Request,
    staff: web.Reviewer,
    session: SessionDep,
    status: str | None = None,
    kind: str | None = None,
    cursor: CursorParam = None,
) -> Response:
    status = status if status in STATUS else None
    kind = kind if kind in KINDS else None
    page = await service.queue(session, status=status, kind=kind, cursor=cursor, limit=20)
    return web.render(
        request,
        "complaints/queue.html",
        page=page,
        statuses=STATUS,
        kinds=KINDS,
        filters={"status": status or "", "kind": kind or ""},
    )


@router.get("/{complaint_id}", response_class=HTMLResponse)
async def complaint(
    request: Request, complaint_id: uuid.UUID, staff: web.Reviewer, session: SessionDep
) -> Response:
    found = await service.get_for_staff(session, complaint_id)
    (item,) = await views.queue_items(session, [found])
    return web.render(
        request,
        "complaints/complaint.html",
        c=item,
        statuses=STATUS,
        kinds=KINDS,
        moves=NEXT.get(item.status, ()),
    )


@router.post("/{complaint_id}/transition")
async def transition(
    complaint_id: uuid.UUID,
    form: web.Form,
    staff: web.Reviewer,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    back = f"{web.PREFIX}/complaints/{complaint_id}"
    try:
        body = ComplaintTransition.model_validate(
            {
                "status": form.get("status", ""),
                "reply": form.get("reply") or None,
                "note": form.get("note") or None,
            }
        )
    except ValidationError:
        return web.redirect(back, error="未提交：答复须 2–1000 字，内部备注不超过 500 字。")
    _, refused = await web.attempt(
        session, lambda: service.transition(session, staff, complaint_id, body, clock())
    )
    if refused:
        return web.redirect(back, error=f"未能完成：{refused}")
    then = {
        "handling": "请联系双方核实；办结或移交时须给投诉人答复。",
        "resolved": "投诉人会在小程序中看到答复。本件办结。",
        "transferred": "请按移交流程把材料送劳动保障监察。",
    }[body.status]
    return web.redirect(back, done=f"投诉已转为“{STATUS[body.status]}”。", then=then)
