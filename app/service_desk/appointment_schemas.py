"""Request and response bodies of appointment slots and appointments."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import Field, model_validator

from app.core.schemas import Body, BusinessDateTime, Integer, ReadSchema
from app.service_desk.schemas import ServiceRef, StationRef

AppointmentStatus = Literal["booked", "cancelled", "checked_in", "completed", "no_show"]
OutcomeResult = Literal["served", "referred", "needs_materials", "no_show"]


class SlotCreate(Body):
    service_item_code: str = Field(min_length=1, max_length=40, examples=["career-guidance"])
    starts_at: BusinessDateTime = Field(examples=["2026-12-01T09:00:00+08:00"])
    ends_at: BusinessDateTime = Field(examples=["2026-12-01T09:30:00+08:00"])
    capacity: Integer = Field(ge=1, le=1000, description="可预约人数")

    @model_validator(mode="after")
    def _period(self) -> SlotCreate:
        if self.ends_at <= self.starts_at:
            raise ValueError("结束时间须晚于开始时间")
        if (self.ends_at - self.starts_at).total_seconds() > 12 * 3600:
            raise ValueError("一个预约时段不能超过 12 小时")
        return self


class SlotBatchCreate(Body):
    slots: list[SlotCreate] = Field(min_length=1, max_length=100)


class SlotRead(ReadSchema):
    id: uuid.UUID
    station_id: uuid.UUID
    service_item: ServiceRef
    starts_at: datetime
    ends_at: datetime
    capacity: int
    booked: int
    remaining: int
    bookable: bool = Field(description="此刻能否预约")
    unavailable_reason: str | None = Field(
        description="不能预约的原因（已过 / 已约满 / 闭站），可直接展示"
    )


class DaySlots(ReadSchema):
    station_id: uuid.UUID
    date: date
    items: list[SlotRead]


class DayAvailability(ReadSchema):
    date: date  # the Beijing date
    free_places: int = Field(description="此刻可预约的剩余名额合计")
    bookable_slot_count: int = Field(description="此刻可预约（未过、未满、开放）的时段数")
    slot_count: int = Field(description="当天的全部时段数（含已满、已过、闭站）")


class StationAvailability(ReadSchema):
    station_id: uuid.UUID
    days: list[DayAvailability] = Field(description="从 from 起逐日，每天一项（含无时段的日子）")


class AppointmentCreate(Body):
    slot_id: uuid.UUID
    note: str | None = Field(default=None, max_length=200, description="给工作人员的备注")


class AppointmentRead(ReadSchema):
    id: uuid.UUID
    status: AppointmentStatus
    slot_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    station: StationRef
    service_item: ServiceRef
    note: str | None
    cancel_deadline: datetime = Field(description="在此时间之前可自行取消")
    can_cancel: bool
    created_at: datetime
    cancelled_at: datetime | None
    checked_in_at: datetime | None
    outcome: OutcomeResult | None
    outcome_note: str | None


class StaffAppointmentRead(AppointmentRead):
    user_id: uuid.UUID
    user_nickname: str | None


class StaffCancel(Body):
    reason: str = Field(
        min_length=2,
        max_length=100,
        description="取消原因（写入给预约人的通知），如「服务站临时停电」",
        examples=["服务站临时停电，今日暂停办理"],
    )


class OutcomeCreate(Body):
    result: OutcomeResult = Field(
        description="served 已办结 / referred 已转介 / needs_materials 需补材料 / no_show 未到场"
    )
    note: str | None = Field(default=None, max_length=500)
