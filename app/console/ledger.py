"""人员清单: the ledger's people (masked), its figures and the 帮扶就业率, one person with the
follow-ups, and a follow-up recorded from the page — the same functions as
``/api/v1/admin/people-ledger`` (``app.people_ledger.service``). Station and reviewer staff read;
station staff record follow-ups (the API's rule). Imports stay in the API for now."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from app.console import web
from app.core.clock import ClockDep, local_date
from app.core.db import SessionDep
from app.core.pagination import CursorParam
from app.identity.models import StaffAccount
from app.people_ledger import service
from app.people_ledger.codes import (
    CATEGORY_LABELS,
    FOLLOW_UP_LABELS,
    STATUS_LABELS,
    Category,
    PersonStatus,
)
from app.people_ledger.schemas import FollowUpCreate

router = APIRouter(
    prefix=f"{web.PREFIX}/ledger", route_class=web.ConsoleRoute, include_in_schema=False
)

Reader = Annotated[StaffAccount, Depends(web.require("station", "reviewer"))]


@router.get("", response_class=HTMLResponse)
async def people(
    request: Request,
    staff: Reader,
    session: SessionDep,
    clock: ClockDep,
    category: Category | Literal[""] = "",  # "": every category (the form's 全部)
    status: PersonStatus | Literal[""] = "",
    year: Annotated[int | None, Query(ge=2000, le=2099)] = None,
    cursor: CursorParam = None,
) -> Response:
    chosen_year = year or local_date(clock()).year
    page = await service.list_people(
        session,
        request.app.state.security,
        clock,
        category=category or None,
        status=status or None,
        area_code=None,
        id_number=None,
        year=chosen_year,
        cursor=cursor,
        limit=20,
    )
    return web.render(
        request,
        "ledger/people.html",
        page=page,
        stats=await service.stats(session, chosen_year),
        year=chosen_year,
        category=category,
        status=status,
        categories=CATEGORY_LABELS,
        statuses=STATUS_LABELS,
    )


@router.get("/{person_id}", response_class=HTMLResponse)
async def person(
    request: Request, person_id: uuid.UUID, staff: Reader, session: SessionDep, clock: ClockDep
) -> Response:
    found = await service.read_person(session, request.app.state.security, clock, person_id)
    return web.render(
        request,
        "ledger/person.html",
        person=found,
        kinds=FOLLOW_UP_LABELS,
        statuses=STATUS_LABELS,
        may_follow_up=web.may(staff, ("station",)),
    )


@router.post("/{person_id}/follow-ups")
async def follow_up(
    person_id: uuid.UUID,
    form: web.Form,
    staff: web.Station,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    back = f"{web.PREFIX}/ledger/{person_id}"
    try:
        body = FollowUpCreate.model_validate(
            {
                "kind": form.get("kind", ""),
                "note": form.get("note", ""),
                "status": form.get("status") or None,
            }
        )
    except ValidationError:
        return web.redirect(back, error="未记录：请选择跟进方式，并写明做了什么（不超过 500 字）。")
    done, refused = await web.attempt(
        session, lambda: service.add_follow_up(session, clock, person_id, body, actor=staff)
    )
    if refused:
        return web.redirect(back, error=f"未能记录：{refused}")
    return web.redirect(
        back,
        done=f"已记录跟进：{done.kind_name}，就业状态：{STATUS_LABELS[done.status_after]}。",
        then="跟进记录按时间倒序显示在下方。",
    )
