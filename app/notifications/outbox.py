"""The transactional outbox: ``notify`` writes the inbox rows and enqueues their WeChat delivery
in the caller's transaction, so a change that rolls back tells no one and a committed one always
tells, once.

    await notify(session, now, [applicant_id], Message(
        kind=NotificationKind.APPLICATION_STATUS,
        title="投递进度更新",
        body=f"您投递的「{job.title}」已进入面试环节",
        page=f"pages/applications/detail?id={application.id}",
        keywords={"job": job.title, "status": "面试", "time": "12月5日 09:30"},
        dedupe_key=f"application:{application.id}:status:interview",
    ))

``keywords`` are the template's values by *field name*, from one small vocabulary shared by all
kinds (the kind's template mapping in settings turns them into ``thing1``/``time2``… and cuts
them to WeChat's limits at send time):

=========  ==========================================================  ==================
field      meaning                                                     WeChat type
=========  ==========================================================  ==================
subject    what it is about: a job title, event, course, policy name   thing (≤ 20 chars)
status     the new state in a word or two: 已录用, 面试, 已通过          phrase (≤ 5 chars)
time       when: an interview, a start, a slot ("2026-12-05 09:30")    time / date
place      where: an address, a station, a hall                        thing (≤ 20 chars)
note       a reason, a remark, what to do next                         thing (≤ 20 chars)
amount     money, as displayed ("3,000元")                              amount
name       a person's or a unit's name                                 name / thing
=========  ==========================================================  ==================
One call may address many people (an event cancelled: thousands of recipients): one INSERT and
one enqueue round trip whatever their number.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import DateTime, String, func, literal, select
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, insert
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import SHANGHAI, local_midnight
from app.core.queue import JobSpec, defer
from app.notifications.kinds import KINDS, NotificationKind
from app.notifications.models import Notification

DELIVER_TASK = "notifications:deliver"
DELIVERY_QUEUE = "notifications"
QUIET_START = time(22, 0)
QUIET_END = time(8, 0)


@dataclass(frozen=True)
class Message:
    kind: NotificationKind
    title: str
    body: str
    page: str
    keywords: Mapping[str, str] = field(default_factory=dict)
    # "Told once": a person never gets two notifications with the same key.
    dedupe_key: str | None = None
    # Deliver to WeChat no earlier than this (a reminder prepared in advance); None: now.
    send_at: datetime | None = None


def wechat_send_time(kind: NotificationKind, at: datetime) -> datetime:
    """When a WeChat message may go: ``at``, or 08:00 Beijing time after a quiet night."""
    if KINDS[kind].time_critical:
        return at
    local = at.astimezone(SHANGHAI)
    if QUIET_END <= local.time() < QUIET_START:
        return at
    morning = local_midnight(local.date()) + timedelta(hours=QUIET_END.hour)
    return morning if local.time() < QUIET_END else morning + timedelta(days=1)


async def notify(
    session: AsyncSession, now: datetime, user_ids: Sequence[uuid.UUID], message: Message
) -> list[uuid.UUID]:
    """Tell ``user_ids``; the ids of the notifications written (a repeated key writes none)."""
    if not user_ids:
        return []
    recipients = select(
        func.unnest(literal(list(dict.fromkeys(user_ids)), ARRAY(PG_UUID))).label("user_id")
    ).subquery()
    source = select(
        func.gen_random_uuid(),
        recipients.c.user_id,
        literal(message.kind.value, String),
        literal(message.title, String),
        literal(message.body, String),
        literal(message.page, String),
        literal(dict(message.keywords), JSONB),
        literal(message.dedupe_key, String),
        literal(now, DateTime(timezone=True)),
    )
    columns = ["id", "user_id", "kind", "title", "body", "page", "keywords", "dedupe_key"]
    stmt = (
        insert(Notification)
        .from_select([*columns, "created_at"], source)
        .on_conflict_do_nothing(index_elements=["user_id", "dedupe_key"])
        .returning(Notification.id)
    )
    ids = list((await session.execute(stmt)).scalars())
    send_at = wechat_send_time(message.kind, max(message.send_at or now, now))
    await defer(
        session,
        [
            JobSpec(
                task=DELIVER_TASK,
                args={"notification_id": str(notification_id)},
                queue=DELIVERY_QUEUE,
                scheduled_at=send_at if send_at > now else None,
            )
            for notification_id in ids
        ],
    )
    return ids


async def unread_count(session: AsyncSession, user_id: uuid.UUID) -> int:
    stmt = select(func.count()).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    return int((await session.execute(stmt)).scalar_one())
