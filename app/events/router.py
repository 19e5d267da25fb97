"""Public and seeker/employer endpoints of recruitment events and live-stream hiring."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Request

from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.idempotency import IdempotencyKeyHeader, idempotent
from app.core.pagination import CursorParam, LimitParam, Page
from app.core.routing import APIRouter
from app.core.schemas import BusinessDate
from app.core.security import Security
from app.events import booths, livestream, registrations, service
from app.events.dependencies import CodecDep
from app.events.schemas import (
    BoothCreate,
    BoothList,
    BoothRead,
    EventKind,
    EventListItem,
    EventRead,
    LivestreamApplicationRead,
    RegistrationRead,
    TargetGroup,
)
from app.identity.dependencies import CurrentUser

router = APIRouter(tags=["events"])


@router.get("/events", response_model=Page[EventListItem], summary="招聘活动日历")
async def list_events(
    session: SessionDep,
    first_day: Annotated[
        BusinessDate | None,
        Query(alias="from", description="起始日期（北京时间，含），如 2026-12-01"),
    ] = None,
    last_day: Annotated[
        BusinessDate | None, Query(alias="to", description="截止日期（北京时间，含）")
    ] = None,
    kind: EventKind | None = None,
    target_group: Annotated[TargetGroup | None, Query(description="面向人群")] = None,
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Page[EventListItem]:
    """招聘活动日历：综合招聘会、小精专专场、校园行、直播带岗（"暖城·暖岗"）。

    按开始时间先后排列；`from`/`to` 筛选在该日期范围内举办（含跨日）的活动。
    `registered_count`/`registration_limit` 可用于显示剩余名额。
    """
    return await service.list_events(
        session,
        first_day=first_day,
        last_day=last_day,
        kind=kind,
        target_group=target_group,
        cursor=cursor,
        limit=limit,
    )


@router.get("/events/{event_id}", response_model=EventRead, summary="活动详情")
async def get_event(event_id: uuid.UUID, session: SessionDep) -> EventRead:
    """活动详情：已确认的参会单位及其岗位；直播带岗另有平台、视频号 ID 和推介岗位。"""
    return await service.read_event(session, event_id)


@router.post(
    "/events/{event_id}/registrations",
    response_model=RegistrationRead,
    status_code=201,
    summary="报名活动",
)
async def register_for_event(
    event_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    codec: CodecDep,
    key: IdempotencyKeyHeader = None,
) -> RegistrationRead:
    """求职者报名参加活动（携带 `Idempotency-Key`）。

    返回的 `check_in_code` 是入场签到码，请生成二维码展示给现场工作人员扫描；
    可随时通过 `GET /me/event-registrations` 重新获取。报名满额返回 409
    `event.registration_full`，重复报名返回 409 `event.already_registered`。
    """
    return await idempotent(
        session,
        key,
        scope=f"user:{user.id}:register_for_event:{event_id}",
        body=None,
        produce=lambda: registrations.register(session, clock, codec, user, event_id),
        response_model=RegistrationRead,
    )


@router.get(
    "/me/event-registrations", response_model=Page[RegistrationRead], summary="我的活动报名"
)
async def list_my_event_registrations(
    user: CurrentUser,
    session: SessionDep,
    codec: CodecDep,
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Page[RegistrationRead]:
    """我的活动报名（含签到码），按活动时间由晚到早。"""
    return await registrations.my_registrations(session, codec, user, cursor=cursor, limit=limit)


@router.get(
    "/event-registrations/{registration_id}", response_model=RegistrationRead, summary="报名详情"
)
async def get_my_event_registration(
    registration_id: uuid.UUID, user: CurrentUser, session: SessionDep, codec: CodecDep
) -> RegistrationRead:
    """我的一条报名（含签到码）；他人的报名返回 404。"""
    return await registrations.get_mine(session, codec, user, registration_id)


@router.post(
    "/event-registrations/{registration_id}/cancel",
    response_model=RegistrationRead,
    summary="取消活动报名",
)
async def cancel_event_registration(
    registration_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    codec: CodecDep,
) -> RegistrationRead:
    """活动开始前可取消报名，名额释放给他人。"""
    return await registrations.cancel(session, clock, codec, user, registration_id)


@router.post(
    "/events/{event_id}/booths", response_model=BoothRead, status_code=201, summary="申请展位"
)
async def register_booth(
    event_id: uuid.UUID,
    body: BoothCreate,
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    key: IdempotencyKeyHeader = None,
) -> BoothRead:
    """招聘单位申请展位并填写携带的岗位（须为该单位成员、单位已通过审核、岗位已发布）。

    申请后为 `pending`，工作人员确认后为 `confirmed` 并分配展位号。展位满额返回 409
    `event.booths_full`；非单位成员返回 403 `event.not_employer_member`。
    """
    return await idempotent(
        session,
        key,
        scope=f"user:{user.id}:register_booth:{event_id}",
        body=body,
        produce=lambda: booths.register_booth(session, clock, user, event_id, body),
        response_model=BoothRead,
    )


@router.get("/me/event-booths", response_model=BoothList, summary="我单位的展位申请")
async def list_my_event_booths(user: CurrentUser, session: SessionDep) -> BoothList:
    """我所在单位的展位申请及审核结果。"""
    return BoothList(items=await booths.member_booths(session, user))


@router.post(
    "/events/{event_id}/featured-jobs/{job_id}/applications",
    response_model=LivestreamApplicationRead,
    status_code=201,
    summary="直播带岗投递",
)
async def apply_from_livestream(
    event_id: uuid.UUID,
    job_id: uuid.UUID,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    key: IdempotencyKeyHeader = None,
) -> LivestreamApplicationRead:
    """在直播带岗中投递推介岗位（与普通投递相同的规则：须绑定手机号、有简历）。

    投递记录来源为本场直播，计入本场投递数 `application_count`；此前已投递过该岗位的，
    返回原投递且 `from_this_session` 为 false。
    """
    security: Security = request.app.state.security
    return await idempotent(
        session,
        key,
        scope=f"user:{user.id}:apply_from_livestream:{event_id}:{job_id}",
        body=None,
        produce=lambda: livestream.apply_from_session(
            session, clock, security, user, event_id, job_id
        ),
        response_model=LivestreamApplicationRead,
    )
