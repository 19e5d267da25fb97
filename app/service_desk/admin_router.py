"""Staff endpoints: manage stations, hours exceptions and slots; check people in; outcomes."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Response

from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.pagination import CursorParam, LimitParam, Page
from app.core.routing import APIRouter
from app.core.schemas import BusinessDate, ReadSchema
from app.identity.dependencies import StationStaff
from app.service_desk import appointments, front_desk, service
from app.service_desk.appointment_schemas import (
    OutcomeCreate,
    SlotBatchCreate,
    SlotRead,
    StaffAppointmentRead,
    StaffCancel,
)
from app.service_desk.dependencies import RulesDep
from app.service_desk.schemas import (
    AdminStationRead,
    StationCreate,
    StationExceptionPut,
    StationExceptionRead,
    StationUpdate,
)

router = APIRouter(prefix="/admin", tags=["services"])

Day = Annotated[BusinessDate, Path(description="北京时间日期，如 2026-10-01")]


class SlotBatchRead(ReadSchema):
    items: list[SlotRead]


@router.post("/stations", response_model=AdminStationRead, status_code=201, summary="新建服务站")
async def create_station(
    body: StationCreate, staff: StationStaff, session: SessionDep, clock: ClockDep
) -> AdminStationRead:
    """新建服务站（工作人员：station 或 admin 角色）。`service_codes` 不传时按服务站类型
    提供清单中适用的服务事项。`weekly_hours` 的 `closes` 可为 24:00 或早于 `opens`（跨夜）。"""
    return await service.create_station(session, clock, staff, body)


@router.get(
    "/stations/{station_id}", response_model=AdminStationRead, summary="服务站详情（工作人员）"
)
async def admin_get_station(
    station_id: uuid.UUID, staff: StationStaff, session: SessionDep, clock: ClockDep
) -> AdminStationRead:
    """服务站详情（含已停用的服务站）。"""
    return await service.get_station(session, clock, station_id, active_only=False)


@router.put("/stations/{station_id}", response_model=AdminStationRead, summary="修改服务站")
async def update_station(
    station_id: uuid.UUID,
    body: StationUpdate,
    staff: StationStaff,
    session: SessionDep,
    clock: ClockDep,
) -> AdminStationRead:
    """修改服务站（整体替换：请求体同新建，另加 `is_active`；未传的可选字段取默认值）；
    `is_active=false` 停用后不再出现在列表中。留审计记录。"""
    return await service.update_station(session, clock, staff, station_id, body)


@router.put(
    "/stations/{station_id}/exceptions/{day}",
    response_model=StationExceptionRead,
    summary="设置开放调整",
)
async def put_station_exception(
    station_id: uuid.UUID,
    day: Day,
    body: StationExceptionPut,
    staff: StationStaff,
    session: SessionDep,
) -> StationExceptionRead:
    """设置某日的开放调整：`closed=true` 全天闭站（如国庆节），或 `hours` 特殊开放时段。
    同一日期再次设置会覆盖。已有预约时段若不再在开放时间内，将不能再被预约。"""
    return await service.put_exception(session, staff, station_id, day, body)


@router.delete(
    "/stations/{station_id}/exceptions/{day}",
    status_code=204,
    response_class=Response,
    summary="删除开放调整",
)
async def delete_station_exception(
    station_id: uuid.UUID, day: Day, staff: StationStaff, session: SessionDep
) -> Response:
    """删除某日的开放调整，恢复每周开放时间。"""
    await service.delete_exception(session, staff, station_id, day)
    return Response(status_code=204)


@router.post(
    "/stations/{station_id}/slots",
    response_model=SlotBatchRead,
    status_code=201,
    summary="新建预约时段",
)
async def create_station_slots(
    station_id: uuid.UUID,
    body: SlotBatchCreate,
    staff: StationStaff,
    session: SessionDep,
    clock: ClockDep,
) -> SlotBatchRead:
    """批量新建预约时段（全部成功或全部不建）。每个时段须：服务站提供该服务事项、在未来、
    完整落在某个开放时段内、不在闭站日；同一服务站同一服务事项同一开始时间只能有一个时段。"""
    created = await appointments.create_slots(session, clock, staff, station_id, body)
    return SlotBatchRead(items=created)


@router.get(
    "/stations/{station_id}/appointments",
    response_model=Page[StaffAppointmentRead],
    summary="服务站当天预约",
)
async def list_station_appointments(
    station_id: uuid.UUID,
    staff: StationStaff,
    session: SessionDep,
    clock: ClockDep,
    rules: RulesDep,
    day: Annotated[BusinessDate, Query(alias="date", description="北京时间日期")],
    cursor: CursorParam = None,
    limit: LimitParam = 50,
) -> Page[StaffAppointmentRead]:
    """某服务站某天的预约（前台用），按时间先后。"""
    return await front_desk.station_day(
        session, clock, rules, station_id, day, cursor=cursor, limit=limit
    )


@router.post(
    "/appointments/{appointment_id}/check-in",
    response_model=StaffAppointmentRead,
    summary="预约到场签到",
)
async def check_in_appointment(
    appointment_id: uuid.UUID,
    staff: StationStaff,
    session: SessionDep,
    clock: ClockDep,
    rules: RulesDep,
) -> StaffAppointmentRead:
    """到场签到（仅限预约当天、状态为 booked）。留审计记录。"""
    return await front_desk.check_in(session, clock, rules, staff, appointment_id)


@router.post(
    "/appointments/{appointment_id}/cancel",
    response_model=StaffAppointmentRead,
    summary="工作人员取消预约",
)
async def cancel_appointment_by_staff(
    appointment_id: uuid.UUID,
    body: StaffCancel,
    staff: StationStaff,
    session: SessionDep,
    clock: ClockDep,
    rules: RulesDep,
) -> StaffAppointmentRead:
    """服务站无法接待时取消一条 booked 状态的预约（不受个人取消截止时间限制），释放名额，
    并立即通知预约人（含 `reason`）。其他状态 409 `appointment.not_cancellable`。留审计记录。"""
    return await front_desk.cancel_by_staff(session, clock, rules, staff, appointment_id, body)


@router.post(
    "/appointments/{appointment_id}/outcome",
    response_model=StaffAppointmentRead,
    summary="登记预约办理结果",
)
async def record_appointment_outcome(
    appointment_id: uuid.UUID,
    body: OutcomeCreate,
    staff: StationStaff,
    session: SessionDep,
    clock: ClockDep,
    rules: RulesDep,
) -> StaffAppointmentRead:
    """登记办理结果：已签到的预约可记 served / referred / needs_materials（状态变为 completed）；
    预约时间已到仍未签到的可记 no_show。留审计记录。"""
    return await front_desk.record_outcome(session, clock, rules, staff, appointment_id, body)
