"""Staff endpoints of recruitment events: create and change them, decide booths, check in."""

from __future__ import annotations

import uuid

from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.pagination import CursorParam, LimitParam, Page
from app.core.routing import APIRouter
from app.events import booths, registrations, service
from app.events.dependencies import CodecDep
from app.events.schemas import (
    BoothDecision,
    BoothList,
    BoothRead,
    CheckInCreate,
    CheckInRead,
    EventCreate,
    EventRead,
    EventUpdate,
    FeaturedJobsPut,
    StaffRegistrationRead,
)
from app.identity.dependencies import StationStaff

router = APIRouter(prefix="/admin", tags=["events"])


@router.post("/events", response_model=EventRead, status_code=201, summary="新建招聘活动")
async def create_event(
    body: EventCreate, staff: StationStaff, session: SessionDep, clock: ClockDep
) -> EventRead:
    """新建招聘活动或直播带岗（工作人员）。直播带岗须填写平台和主持人，不设展位。
    活动前一天 18:00 向已报名者发送活动提醒。"""
    return await service.create_event(session, clock, staff, body)


@router.get("/events/{event_id}", response_model=EventRead, summary="活动详情（工作人员）")
async def admin_get_event(
    event_id: uuid.UUID, staff: StationStaff, session: SessionDep
) -> EventRead:
    """活动详情（含已取消的活动）。"""
    return await service.read_event(session, event_id, include_cancelled=True)


@router.put("/events/{event_id}", response_model=EventRead, summary="修改活动")
async def update_event(
    event_id: uuid.UUID,
    body: EventUpdate,
    staff: StationStaff,
    session: SessionDep,
    clock: ClockDep,
) -> EventRead:
    """修改活动（整体替换：未传的可选字段为 null，上限为 0）；`status=cancelled` 取消活动，
    并通知全部已报名者。上限不能低于已占用数。"""
    return await service.update_event(session, clock, staff, event_id, body)


@router.put(
    "/events/{event_id}/featured-jobs", response_model=EventRead, summary="设置直播推介岗位"
)
async def put_featured_jobs(
    event_id: uuid.UUID, body: FeaturedJobsPut, staff: StationStaff, session: SessionDep
) -> EventRead:
    """设置直播带岗的推介岗位（整体替换，按传入顺序展示）。"""
    return await service.put_featured_jobs(session, staff, event_id, body)


@router.get("/events/{event_id}/booths", response_model=BoothList, summary="活动展位申请")
async def list_event_booths(
    event_id: uuid.UUID, staff: StationStaff, session: SessionDep
) -> BoothList:
    """本场活动的全部展位申请（待确认、已确认、已拒绝），按申请时间先后。"""
    return BoothList(items=await booths.event_booths(session, event_id))


@router.post("/event-booths/{booth_id}/decision", response_model=BoothRead, summary="审核展位申请")
async def decide_booth(
    booth_id: uuid.UUID,
    body: BoothDecision,
    staff: StationStaff,
    session: SessionDep,
    clock: ClockDep,
) -> BoothRead:
    """确认（`confirm`，可分配展位号）或拒绝（`reject`，释放展位名额）展位申请。留审计记录。"""
    return await booths.decide(session, clock, staff, booth_id, body)


@router.get(
    "/events/{event_id}/registrations",
    response_model=Page[StaffRegistrationRead],
    summary="活动报名名单",
)
async def list_event_registrations(
    event_id: uuid.UUID,
    staff: StationStaff,
    session: SessionDep,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
) -> Page[StaffRegistrationRead]:
    """本场活动的报名名单，按报名时间先后。"""
    return await registrations.event_registrations(session, event_id, cursor=cursor, limit=limit)


@router.post("/events/{event_id}/check-ins", response_model=CheckInRead, summary="活动签到")
async def check_in_at_event(
    event_id: uuid.UUID,
    body: CheckInCreate,
    staff: StationStaff,
    session: SessionDep,
    clock: ClockDep,
    codec: CodecDep,
) -> CheckInRead:
    """扫描求职者的签到码入场。

    拒绝的情形：`event.check_in_code_invalid`（伪造或被篡改，422）、
    `event.check_in_other_event`（其他活动的签到码）、`event.check_in_code_expired`（已过期）、
    `event.check_in_code_used`（已签到过）、`event.check_in_registration_cancelled`（已取消报名）、
    `event.check_in_not_open`（活动开始前 2 小时起才能签到）。
    """
    return await registrations.check_in(session, clock, codec, staff, event_id, body.token)
