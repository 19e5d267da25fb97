"""What registrants and exhibitors are told about events (written through the outbox).

The day-before reminder is one scheduled job per event (``events:remind_event``), deferred when
the event is created or its start moves: at run time it re-reads the event and tells the people
registered *then*, so a cancelled registration or event gets no reminder and a moved start
leaves the old job with nothing to do (its ``starts_at`` no longer matches).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.notices import evening_before, moment_keyword, moment_text
from app.core.queue import JobSpec, defer
from app.employers.repository import member_ids
from app.events.models import EventBooth, EventRegistration, RecruitmentEvent
from app.notifications.kinds import NotificationKind
from app.notifications.outbox import Message, notify

REMIND_TASK = "events:remind_event"


def event_page(event_id: uuid.UUID) -> str:
    return f"pages/events/detail?id={event_id}"


def registration_page(registration_id: uuid.UUID) -> str:
    return f"pages/events/registration?id={registration_id}"


def place_of(event: RecruitmentEvent) -> str:
    if event.online:
        return "线上直播"
    return event.venue or event.address or "详见活动页面"


async def registered_users(session: AsyncSession, event_id: uuid.UUID) -> list[uuid.UUID]:
    stmt = select(EventRegistration.user_id).where(
        EventRegistration.event_id == event_id, EventRegistration.status == "registered"
    )
    return list((await session.execute(stmt)).scalars())


async def registration_confirmed(
    session: AsyncSession, now: datetime, registration_id: uuid.UUID, event: RecruitmentEvent
) -> None:
    registration = await session.get(EventRegistration, registration_id)
    assert registration is not None
    when, place = moment_text(event.starts_at), place_of(event)
    await notify(
        session,
        now,
        [registration.user_id],
        Message(
            kind=NotificationKind.EVENT_REGISTERED,
            title="活动报名成功",
            body=f"您已报名「{event.title}」，时间{when}，地点{place}。入场时请出示签到码。",
            page=registration_page(registration_id),
            keywords={
                "subject": event.title,
                "time": moment_keyword(event.starts_at),
                "place": place,
                "status": "报名成功",
            },
            dedupe_key=f"event_registration:{registration_id}:registered",
        ),
    )


async def event_cancelled(session: AsyncSession, now: datetime, event: RecruitmentEvent) -> None:
    """Everyone registered hears it at once (one call, however many they are)."""
    await notify(
        session,
        now,
        await registered_users(session, event.id),
        Message(
            kind=NotificationKind.EVENT_CANCELLED,
            title="活动已取消",
            body=f"您报名的「{event.title}」（{moment_text(event.starts_at)}）已取消，请勿前往。",
            page=event_page(event.id),
            keywords={
                "subject": event.title,
                "time": moment_keyword(event.starts_at),
                "status": "已取消",
            },
            dedupe_key=f"event:{event.id}:cancelled",
        ),
    )


async def event_reminder(session: AsyncSession, now: datetime, event: RecruitmentEvent) -> int:
    """The evening before: everyone still registered; how many were told."""
    when, place = moment_text(event.starts_at), place_of(event)
    told = await notify(
        session,
        now,
        await registered_users(session, event.id),
        Message(
            kind=NotificationKind.EVENT_REMINDER,
            title="活动提醒",
            body=f"您报名的「{event.title}」将于{when}开始，地点{place}，请准时参加。",
            page=event_page(event.id),
            keywords={
                "subject": event.title,
                "time": moment_keyword(event.starts_at),
                "place": place,
            },
            dedupe_key=f"event:{event.id}:reminder:{event.starts_at.isoformat()}",
        ),
    )
    return len(told)


async def schedule_reminder(session: AsyncSession, now: datetime, event: RecruitmentEvent) -> None:
    """One reminder job for the event's current start (none when that evening has passed)."""
    at = evening_before(event.starts_at)
    if event.status == "cancelled" or at <= now:
        return
    await defer(
        session,
        [
            JobSpec(
                task=REMIND_TASK,
                args={"event_id": str(event.id), "starts_at": event.starts_at.isoformat()},
                scheduled_at=at,
            )
        ],
    )


async def booth_decided(session: AsyncSession, now: datetime, booth_id: uuid.UUID) -> None:
    """Every member of the exhibiting employer hears the staff decision on its booth."""
    booth = await session.get(EventBooth, booth_id, populate_existing=True)
    assert booth is not None
    event = await session.get(RecruitmentEvent, booth.event_id)
    assert event is not None
    if booth.status == "confirmed":
        body = f"您在「{event.title}」的展位申请已确认，展位号{booth.booth_no}。"
        status = "已确认"
    else:
        body = f"您在「{event.title}」的展位申请未通过"
        body += f"，原因：{booth.decision_reason}。" if booth.decision_reason else "。"
        status = "未通过"
    keywords = {"subject": event.title, "status": status, "time": moment_keyword(event.starts_at)}
    if booth.decision_reason:
        keywords["note"] = booth.decision_reason
    await notify(
        session,
        now,
        await member_ids(session, booth.employer_id),
        Message(
            kind=NotificationKind.BOOTH_DECIDED,
            title="展位申请结果",
            body=body,
            page=f"pages/employer/booths/detail?id={booth.id}",
            keywords=keywords,
            dedupe_key=f"event_booth:{booth.id}:{booth.status}",
        ),
    )
