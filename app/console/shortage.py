"""急需紧缺职业目录: drafts by the plan's rule, staff review, publishing — the same functions as
``/api/v1/admin/shortage-catalogue`` (``app.bureau.shortage``). Reviewers read; admins act."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.bureau import shortage
from app.bureau.dependencies import LedgerDep
from app.bureau.periods import Month, PeriodInvalid
from app.console import web
from app.core.clock import ClockDep
from app.core.db import SessionDep

router = APIRouter(
    prefix=f"{web.PREFIX}/statistics/shortage",
    route_class=web.ConsoleRoute,
    include_in_schema=False,
)

STATUS = {"draft": "草稿", "published": "已发布", "superseded": "已被替代"}
KEEP = "keep:"  # a checkbox per drafted occupation: keep:<code>


@router.get("", response_class=HTMLResponse)
async def catalogues(
    request: Request, staff: web.Reviewer, session: SessionDep, clock: ClockDep
) -> Response:
    return web.render(
        request,
        "shortage/list.html",
        catalogues=await shortage.recent_catalogues(session),
        statuses=STATUS,
        last_month=str(Month.containing(clock()).shift(-1)),
        may_act=web.may(staff, ("admin",)),
    )


@router.get("/{catalogue_id}", response_class=HTMLResponse)
async def catalogue(
    request: Request, catalogue_id: uuid.UUID, staff: web.Reviewer, session: SessionDep
) -> Response:
    found = await shortage.get_catalogue(session, catalogue_id)  # 404: the route's error page
    return web.render(
        request,
        "shortage/catalogue.html",
        catalogue=found,
        statuses=STATUS,
        may_act=web.may(staff, ("admin",)) and found.status == "draft",
    )


@router.post("/drafts")
async def draft(
    form: web.Form, staff: web.Admin, session: SessionDep, clock: ClockDep, ledger: LedgerDep
) -> Response:
    back = f"{web.PREFIX}/statistics/shortage"
    try:
        month = Month.parse(form.get("month", ""))
    except PeriodInvalid as error:
        return web.redirect(back, error=f"未生成：{error.message}")
    made, refused = await web.attempt(
        session, lambda: shortage.create_draft(session, staff, ledger, month, clock())
    )
    if refused:
        return web.redirect(back, error=f"未生成：{refused}")
    return web.redirect(
        f"{back}/{made.id}",
        done=f"已按规则生成截至 {month} 的目录草稿，共 {len(made.items)} 个职业。",
        then="逐项审核：取消勾选不列入的职业并保存，然后发布。",
    )


@router.post("/{catalogue_id}/items")
async def review(
    catalogue_id: uuid.UUID, form: web.Form, staff: web.Admin, session: SessionDep
) -> Response:
    back = f"{web.PREFIX}/statistics/shortage/{catalogue_id}"
    codes = [key.removeprefix(KEEP) for key in form if key.startswith(KEEP)]
    kept, refused = await web.attempt(
        session, lambda: shortage.keep_items(session, staff, catalogue_id, codes)
    )
    if refused:
        return web.redirect(back, error=f"未保存：{refused}")
    return web.redirect(
        back, done=f"已保存审核结果：保留 {len(kept.items)} 个职业。", then="确认无误后发布。"
    )


@router.post("/{catalogue_id}/publish")
async def publish(
    catalogue_id: uuid.UUID, form: web.Form, staff: web.Admin, session: SessionDep, clock: ClockDep
) -> Response:
    back = f"{web.PREFIX}/statistics/shortage/{catalogue_id}"
    published, refused = await web.attempt(
        session, lambda: shortage.publish(session, staff, catalogue_id, clock())
    )
    if refused:
        return web.redirect(back, error=f"未发布：{refused}")
    return web.redirect(
        back,
        done=f"已发布 {published.month} 急需紧缺职业目录（{len(published.items)} 个职业）。",
        then="小程序即刻显示这份目录，此前发布的目录已被替代。",
    )
