"""Public endpoints: the service list (服务清单), stations nearest first, slots, appointments."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query

from app.core.clock import ClockDep, local_date
from app.core.db import SessionDep
from app.core.idempotency import IdempotencyKeyHeader, idempotent
from app.core.pagination import CursorParam, LimitParam, Page
from app.core.routing import APIRouter
from app.core.schemas import BusinessDate
from app.identity.dependencies import CurrentUser
from app.service_desk import appointments, service
from app.service_desk.appointment_schemas import (
    AppointmentCreate,
    AppointmentRead,
    AppointmentStatus,
    DaySlots,
    StationAvailability,
)
from app.service_desk.dependencies import RulesDep
from app.service_desk.schemas import (
    ServiceCategory,
    ServiceItemListItem,
    ServiceItemRead,
    StationKind,
    StationListItem,
    StationRead,
)

router = APIRouter(tags=["services"])

Lat = Annotated[
    float | None, Query(ge=-90, le=90, description="纬度（wx.getLocation 的 latitude）")
]
Lng = Annotated[
    float | None, Query(ge=-180, le=180, description="经度（wx.getLocation 的 longitude）")
]
CODE_PATTERN = r"^[a-z0-9_-]+$"
ServiceCode = Annotated[str, Path(min_length=1, max_length=40, pattern=CODE_PATTERN)]


@router.get("/service-items", response_model=Page[ServiceItemListItem], summary="服务清单")
async def list_service_items(
    session: SessionDep,
    category: ServiceCategory | None = None,
    online: Annotated[bool | None, Query(description="只看可在线办理的")] = None,
    station_kind: Annotated[StationKind | None, Query(description="可在该类服务站办理的")] = None,
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Page[ServiceItemListItem]:
    """服务清单：可办理的标准服务事项（失业登记、就业登记、就业困难人员认定、职业指导……）。

    每项给出办理时限、能否在线办理、可在哪类服务站办理，以及关联政策编码 `policy_code`
    （可用 `GET /policies/{code}` 查看）。按清单顺序排列。
    """
    return await service.list_service_items(
        session,
        category=category,
        online=online,
        station_kind=station_kind,
        cursor=cursor,
        limit=limit,
    )


@router.get("/service-items/{code}", response_model=ServiceItemRead, summary="服务事项详情")
async def get_service_item(code: ServiceCode, session: SessionDep) -> ServiceItemRead:
    """服务事项详情：办理条件、所需材料、办理时限，以及提供该服务的服务站列表。"""
    return await service.get_service_item(session, code)


@router.get("/stations", response_model=Page[StationListItem], summary="就业服务站")
async def list_stations(
    session: SessionDep,
    clock: ClockDep,
    lat: Lat = None,
    lng: Lng = None,
    radius_km: Annotated[
        float | None, Query(gt=0, le=200, description="只返回该半径内的（需 lat、lng）")
    ] = None,
    kind: StationKind | None = None,
    area_code: Annotated[
        str | None, Query(max_length=20, pattern=CODE_PATTERN, description="镇/街道编码")
    ] = None,
    service_item: Annotated[
        str | None,
        Query(max_length=40, pattern=CODE_PATTERN, description="只看提供该服务事项（编码）的"),
    ] = None,
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Page[StationListItem]:
    """就业服务站（"一刻钟就业服务圈"）。

    传入 `lat`、`lng` 时按距离由近到远，返回 `distance_km` 与估计步行时间 `walking_minutes`；
    不传时按镇/街道和名称排序。`open_now` 按北京时间计算，已计入节假日闭站和特殊开放时间；
    `today_hours` 是今天的开放时段。`kind`: street_station 街道/镇服务站、market_station
    人流密集处的市场服务站、gig_station 零工驿站。
    """
    return await service.list_stations(
        session,
        clock,
        lat=lat,
        lng=lng,
        radius_km=radius_km,
        kind=kind,
        area_code=area_code,
        service_code=service_item,
        cursor=cursor,
        limit=limit,
    )


@router.get("/stations/{station_id}", response_model=StationRead, summary="服务站详情")
async def get_station(
    station_id: uuid.UUID, session: SessionDep, clock: ClockDep, lat: Lat = None, lng: Lng = None
) -> StationRead:
    """服务站详情：每周开放时间、今日起 60 天内的节假日调整、提供的服务事项；
    传入 `lat`、`lng` 时附带距离和步行时间。"""
    found = await service.get_station(session, clock, station_id, lat=lat, lng=lng)
    return StationRead.model_validate(found.model_dump(exclude={"is_active"}))


@router.get("/stations/{station_id}/slots", response_model=DaySlots, summary="服务站预约时段")
async def list_station_slots(
    station_id: uuid.UUID,
    session: SessionDep,
    clock: ClockDep,
    day: Annotated[BusinessDate, Query(alias="date", description="北京时间日期，如 2026-12-01")],
    service_item: Annotated[
        str | None, Query(max_length=40, pattern=CODE_PATTERN, description="服务事项编码")
    ] = None,
) -> DaySlots:
    """某服务站某天的预约时段，含剩余名额 `remaining`；`bookable` 为 false 时
    `unavailable_reason` 说明原因（已过预约时间 / 已约满 / 服务站该时段不开放）。"""
    return await appointments.day_slots(session, clock, station_id, day, service_item)


@router.get(
    "/stations/{station_id}/availability",
    response_model=StationAvailability,
    summary="服务站可预约日期",
)
async def get_station_availability(
    station_id: uuid.UUID,
    session: SessionDep,
    clock: ClockDep,
    first_day: Annotated[
        BusinessDate | None,
        Query(alias="from", description="起始日期（北京时间，默认今天），如 2026-12-01"),
    ] = None,
    days: Annotated[int, Query(ge=1, le=31, description="天数（1–31）")] = 14,
    service_item: Annotated[
        str | None, Query(max_length=40, pattern=CODE_PATTERN, description="服务事项编码")
    ] = None,
) -> StationAvailability:
    """哪几天还有名额：从 `from`（默认今天）起 `days` 天，每天一项：剩余名额 `free_places`、
    可预约时段数 `bookable_slot_count`、全部时段数 `slot_count`。规则与时段列表相同（已过、
    已约满、闭站或不在开放时间的时段不计入名额），日历上 `free_places` 为 0 的日子置灰，
    点选有名额的日子再调 `/stations/{station_id}/slots?date=` 取时段。"""
    start = first_day or local_date(clock())
    return await appointments.availability(session, clock, station_id, start, days, service_item)


@router.post("/appointments", response_model=AppointmentRead, status_code=201, summary="预约服务站")
async def create_appointment(
    body: AppointmentCreate,
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    rules: RulesDep,
    key: IdempotencyKeyHeader = None,
) -> AppointmentRead:
    """预约服务站的一个时段（携带 `Idempotency-Key`，重试不会重复预约）。

    拒绝的情形（409，`message` 可直接展示）：`appointment.slot_full` 已约满、
    `appointment.already_booked` 已预约该时段、`appointment.slot_past` 时段已开始或已过、
    `appointment.outside_opening_hours` 服务站该时段不开放（如节假日闭站）。
    """
    return await idempotent(
        session,
        key,
        scope=f"user:{user.id}:create_appointment",
        body=body,
        produce=lambda: appointments.book(session, clock, rules, user, body),
        response_model=AppointmentRead,
    )


@router.get("/me/appointments", response_model=Page[AppointmentRead], summary="我的预约")
async def list_my_appointments(
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    rules: RulesDep,
    status: AppointmentStatus | None = None,
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Page[AppointmentRead]:
    """我的预约，按预约时间由晚到早。

    `can_cancel` 表示此刻能否取消（截止时间 `cancel_deadline`）。"""
    return await appointments.my_appointments(
        session, clock, rules, user, status=status, cursor=cursor, limit=limit
    )


@router.get("/appointments/{appointment_id}", response_model=AppointmentRead, summary="预约详情")
async def get_appointment(
    appointment_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    rules: RulesDep,
) -> AppointmentRead:
    """我的一条预约（他人的预约返回 404）。"""
    return await appointments.get_mine(session, clock, rules, user, appointment_id)


@router.post(
    "/appointments/{appointment_id}/cancel", response_model=AppointmentRead, summary="取消预约"
)
async def cancel_appointment(
    appointment_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    rules: RulesDep,
) -> AppointmentRead:
    """取消预约并释放名额；须在 `cancel_deadline`（默认开始前 2 小时）之前，
    之后返回 409 `appointment.cancel_cutoff_passed`。"""
    return await appointments.cancel(session, clock, rules, user, appointment_id)
