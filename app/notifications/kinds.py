"""What the service tells people: every kind of notification, with its Chinese label.

A kind is *time-critical* when it is useless after a night's delay (a reminder of something that
starts soon, a booking cancelled for today): those may reach WeChat between 22:00 and 08:00
Beijing time; every other kind waits for 08:00 (the inbox has it at once).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class NotificationKind(StrEnum):
    # seekers
    APPLICATION_VIEWED = "application_viewed"
    APPLICATION_STATUS = "application_status"
    JOB_CLOSED = "job_closed"
    SAVED_SEARCH_DIGEST = "saved_search_digest"
    # employers
    APPLICATION_RECEIVED = "application_received"
    JOB_MODERATED = "job_moderated"
    EMPLOYER_VERIFIED = "employer_verified"
    BOOTH_DECIDED = "booth_decided"
    # gig workers and posters
    GIG_APPLICATION_DECIDED = "gig_application_decided"
    GIG_BOOKING_CANCELLED = "gig_booking_cancelled"
    GIG_REMINDER = "gig_reminder"
    GIG_PAY = "gig_pay"
    COMPLAINT_REPLY = "complaint_reply"
    # stations, events, training
    APPOINTMENT_BOOKED = "appointment_booked"
    APPOINTMENT_CANCELLED = "appointment_cancelled"
    APPOINTMENT_REMINDER = "appointment_reminder"
    EVENT_REGISTERED = "event_registered"
    EVENT_REMINDER = "event_reminder"
    EVENT_CANCELLED = "event_cancelled"
    TRAINING_ENROLLED = "training_enrolled"
    TRAINING_COMPLETED = "training_completed"
    # subsidies
    SUBSIDY_STATUS = "subsidy_status"
    SUBSIDY_OFFER = "subsidy_offer"


@dataclass(frozen=True)
class KindInfo:
    label: str
    time_critical: bool = False


KINDS: dict[NotificationKind, KindInfo] = {
    NotificationKind.APPLICATION_VIEWED: KindInfo("简历被查看"),
    NotificationKind.APPLICATION_STATUS: KindInfo("投递进度"),
    NotificationKind.JOB_CLOSED: KindInfo("岗位关闭"),
    NotificationKind.SAVED_SEARCH_DIGEST: KindInfo("订阅岗位每日推荐"),
    NotificationKind.APPLICATION_RECEIVED: KindInfo("收到新投递"),
    NotificationKind.JOB_MODERATED: KindInfo("岗位审核结果"),
    NotificationKind.EMPLOYER_VERIFIED: KindInfo("单位认证结果"),
    NotificationKind.BOOTH_DECIDED: KindInfo("展位申请结果"),
    NotificationKind.GIG_APPLICATION_DECIDED: KindInfo("零工报名结果"),
    NotificationKind.GIG_BOOKING_CANCELLED: KindInfo("零工预约取消", time_critical=True),
    NotificationKind.GIG_REMINDER: KindInfo("零工开工提醒", time_critical=True),
    NotificationKind.GIG_PAY: KindInfo("零工报酬"),
    NotificationKind.COMPLAINT_REPLY: KindInfo("投诉回复"),
    NotificationKind.APPOINTMENT_BOOKED: KindInfo("预约成功"),
    NotificationKind.APPOINTMENT_CANCELLED: KindInfo("预约取消", time_critical=True),
    NotificationKind.APPOINTMENT_REMINDER: KindInfo("预约提醒", time_critical=True),
    NotificationKind.EVENT_REGISTERED: KindInfo("活动报名成功"),
    NotificationKind.EVENT_REMINDER: KindInfo("活动提醒", time_critical=True),
    NotificationKind.EVENT_CANCELLED: KindInfo("活动取消", time_critical=True),
    NotificationKind.TRAINING_ENROLLED: KindInfo("培训报名"),
    NotificationKind.TRAINING_COMPLETED: KindInfo("培训结业"),
    NotificationKind.SUBSIDY_STATUS: KindInfo("补贴申请进度"),
    NotificationKind.SUBSIDY_OFFER: KindInfo("免申即享补贴"),
}
