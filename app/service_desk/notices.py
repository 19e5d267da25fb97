"""What people with a station appointment are told (written through the outbox).

Reminder: when a visit is booked, one job is scheduled for 18:00 the evening before
(``service_desk:remind_appointment``); it re-reads the appointment when it runs and tells only
if it is still booked, so a cancelled visit gets no reminder. A visit booked after that evening
has passed gets none: the booking confirmation was just sent.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.notices import evening_before, moment_keyword, moment_text
from app.core.queue import JobSpec, defer
from app.notifications.kinds import NotificationKind
from app.notifications.outbox import Message, notify
from app.service_desk.models import Appointment, AppointmentSlot, ServiceItem, Station

REMIND_TASK = "service_desk:remind_appointment"


def page_of(appointment_id: uuid.UUID) -> str:
    return f"pages/appointments/detail?id={appointment_id}"


def _keywords(slot: AppointmentSlot, station: Station, item: ServiceItem) -> dict[str, str]:
    return {
        "subject": item.name,
        "time": moment_keyword(slot.starts_at),
        "place": station.name,
    }


async def booked(
    session: AsyncSession,
    now: datetime,
    appointment_id: uuid.UUID,
    user_id: uuid.UUID,
    slot: AppointmentSlot,
    station: Station,
    item: ServiceItem,
) -> None:
    """The person hears the booking, and the reminder of the evening before is scheduled."""
    await notify(
        session,
        now,
        [user_id],
        Message(
            kind=NotificationKind.APPOINTMENT_BOOKED,
            title="预约成功",
            body=(
                f"您已预约{station.name}「{item.name}」，时间{moment_text(slot.starts_at)}，"
                f"地址{station.address}。如不能前往请提前取消。"
            ),
            page=page_of(appointment_id),
            keywords={**_keywords(slot, station, item), "status": "预约成功"},
            dedupe_key=f"appointment:{appointment_id}:booked",
        ),
    )
    remind_at = evening_before(slot.starts_at)
    if remind_at > now:
        await defer(
            session,
            [
                JobSpec(
                    task=REMIND_TASK,
                    args={"appointment_id": str(appointment_id)},
                    scheduled_at=remind_at,
                )
            ],
        )


async def cancelled_by_staff(
    session: AsyncSession,
    now: datetime,
    appointment: Appointment,
    slot: AppointmentSlot,
    station: Station,
    item: ServiceItem,
    reason: str,
) -> None:
    await notify(
        session,
        now,
        [appointment.user_id],
        Message(
            kind=NotificationKind.APPOINTMENT_CANCELLED,
            title="预约已取消",
            body=(
                f"很抱歉，您在{station.name}{moment_text(slot.starts_at)}的「{item.name}」预约"
                f"已被工作人员取消，原因：{reason}。可重新预约其他时段。"
            ),
            page=page_of(appointment.id),
            keywords={**_keywords(slot, station, item), "status": "已取消", "note": reason},
            dedupe_key=f"appointment:{appointment.id}:cancelled",
        ),
    )


async def reminder(
    session: AsyncSession,
    now: datetime,
    appointment: Appointment,
    slot: AppointmentSlot,
    station: Station,
    item: ServiceItem,
) -> bool:
    told = await notify(
        session,
        now,
        [appointment.user_id],
        Message(
            kind=NotificationKind.APPOINTMENT_REMINDER,
            title="预约提醒",
            body=(
                f"您预约了{moment_text(slot.starts_at)}到{station.name}（{station.address}）"
                f"办理「{item.name}」，请按时前往，记得携带身份证件。"
            ),
            page=page_of(appointment.id),
            keywords=_keywords(slot, station, item),
            dedupe_key=f"appointment:{appointment.id}:reminder",
        ),
    )
    return bool(told)
