"""Errors of service items, stations and appointments (codes are stable; messages are shown)."""

from __future__ import annotations

from app.core import errors


class ServiceItemNotFound(errors.NotFound):
    code = "service_item.not_found"
    message = "未找到该服务事项"


class UnknownServiceCodes(errors.ValidationFailed):
    code = "service_item.unknown_codes"
    message = "服务事项编码不存在"


class StationNotFound(errors.NotFound):
    code = "station.not_found"
    message = "未找到该服务站"


class LocationIncomplete(errors.ValidationFailed):
    code = "station.location_incomplete"
    message = "请同时提供纬度 lat 和经度 lng"


class UnknownArea(errors.ValidationFailed):
    code = "station.unknown_area"
    message = "所属镇/街道编码不存在"


class ServiceNotOffered(errors.ValidationFailed):
    code = "station.service_not_offered"
    message = "该服务站不提供此服务事项"


class SlotOutsideHours(errors.ValidationFailed):
    code = "station.slot_outside_hours"
    message = "预约时段须在服务站开放时间内"


class SlotOnClosedDay(errors.ValidationFailed):
    code = "station.closed_on_date"
    message = "该日期服务站闭站，不能设置预约时段"


class SlotInPastCreate(errors.ValidationFailed):
    code = "station.slot_in_past"
    message = "不能设置已经过去的预约时段"


class SlotExists(errors.Conflict):
    code = "station.slot_exists"
    message = "该服务站此服务事项在该开始时间已有预约时段"


class SlotNotFound(errors.NotFound):
    code = "appointment.slot_not_found"
    message = "未找到该预约时段"


class SlotInPast(errors.Conflict):
    code = "appointment.slot_past"
    message = "该时段已开始或已结束，不能再预约，请选择之后的时段"


class SlotOutsideOpeningHours(errors.Conflict):
    code = "appointment.outside_opening_hours"
    message = "该时段不在服务站开放时间内（可能因节假日闭站或调整），请选择其他时段"


class StationClosed(errors.Conflict):
    code = "appointment.station_inactive"
    message = "该服务站已暂停服务，请选择其他服务站"


class SlotFull(errors.Conflict):
    code = "appointment.slot_full"
    message = "该时段已约满，请选择其他时段"


class AlreadyBooked(errors.Conflict):
    code = "appointment.already_booked"
    message = "您已预约该时段，无需重复预约"


class AppointmentNotFound(errors.NotFound):
    code = "appointment.not_found"
    message = "未找到该预约"


class NotCancellable(errors.Conflict):
    code = "appointment.not_cancellable"
    message = "该预约当前状态不能取消"


class CancelCutoffPassed(errors.Conflict):
    code = "appointment.cancel_cutoff_passed"
    message = "已过取消截止时间，不能取消；如无法到场请致电服务站"


class CheckInNotAllowed(errors.Conflict):
    code = "appointment.check_in_not_allowed"
    message = "该预约当前状态不能签到"


class CheckInWrongDay(errors.Conflict):
    code = "appointment.check_in_wrong_day"
    message = "只能在预约当天签到"


class OutcomeNotAllowed(errors.Conflict):
    code = "appointment.outcome_not_allowed"
    message = "该预约当前状态不能登记办理结果"
