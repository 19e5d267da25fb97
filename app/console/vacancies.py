"""岗位清单（有活没人干）: the postings nobody fills, grouped, and the follow-ups staff record —
the same functions as ``/api/v1/admin/vacancies`` (``app.bureau.vacancies``)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from app.bureau import vacancies
from app.bureau.schemas import VacancyFollowUpCreate
from app.console import web
from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.identity.models import StaffAccount

router = APIRouter(
    prefix=f"{web.PREFIX}/vacancies", route_class=web.ConsoleRoute, include_in_schema=False
)

# The API's rule for recording a follow-up (station or reviewer; admin everywhere).
FieldStaff = Annotated[StaffAccount, Depends(web.require("station", "reviewer"))]

ACTIONS = {
    "fair": "推送招聘会",
    "livestream": "推送直播带岗",
    "recommendation": "人岗推荐",
    "other": "其他",
}
REASONS = {"long_unfilled": "久未招满", "few_applicants": "投递少"}
KINDS = {"job": "岗位", "gig": "零工"}


@router.get("", response_class=HTMLResponse)
async def vacancy_list(
    request: Request,
    staff: FieldStaff,
    session: SessionDep,
    clock: ClockDep,
    unfilled_days: Annotated[int, Query(ge=1, le=365)] = 30,
    max_applicants: Annotated[int, Query(ge=0, le=100)] = 2,
    kind: Literal["job", "gig", ""] = "",
) -> Response:
    found = await vacancies.vacancy_list(
        session,
        clock(),
        unfilled_days=unfilled_days,
        max_applicants=max_applicants,
        kind=kind or None,
        occupation=None,
        area=None,
        limit=200,
    )
    return web.render(
        request,
        "vacancies/list.html",
        found=found,
        kind=kind,
        kinds=KINDS,
        actions=ACTIONS,
        reasons=REASONS,
    )


@router.post("/{posting_kind}/{posting_id}/follow-ups")
async def follow_up(
    request: Request,
    posting_kind: Literal["job", "gig"],
    posting_id: uuid.UUID,
    form: web.Form,
    staff: FieldStaff,
    session: SessionDep,
) -> Response:
    back = f"{web.PREFIX}/vacancies"
    try:
        body = VacancyFollowUpCreate.model_validate(
            {"action": form.get("action", ""), "note": form.get("note") or None}
        )
    except ValidationError:
        return web.redirect(back, error="未记录：请选择跟进方式，情况说明不超过 500 字。")
    _, refused = await web.attempt(
        session, lambda: vacancies.add_follow_up(session, staff, posting_kind, posting_id, body)
    )
    if refused:
        return web.redirect(back, error=f"未能记录：{refused}")
    return web.redirect(
        back,
        done=f"已记录跟进：{ACTIONS[body.action]}。",
        then="该岗位招满或不再符合条件后会离开清单；继续跟进下一条。",
    )
