"""The outbox: notifications are written and their delivery enqueued with the change itself."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.notifications.kinds import KINDS, NotificationKind
from app.notifications.models import Notification
from app.notifications.outbox import DELIVER_TASK, Message, notify, unread_count, wechat_send_time
from tests.support.clock import local
from tests.support.factories import make_user

MESSAGE = Message(
    kind=NotificationKind.APPLICATION_STATUS,
    title="投递进度更新",
    body="您投递的「快递员」已进入面试环节",
    page="pages/applications/detail?id=1",
    keywords={"job": "快递员", "status": "面试"},
    dedupe_key="application:1:interview",
)


async def _queued(session: AsyncSession) -> list[tuple[str, dict[str, str]]]:
    rows = await session.execute(text("SELECT task_name, args FROM procrastinate_jobs ORDER BY id"))
    return [(row[0], row[1]) for row in rows]


def test_every_kind_has_a_chinese_label() -> None:
    assert set(KINDS) == set(NotificationKind)
    assert all(info.label for info in KINDS.values())


async def test_notify_writes_the_inbox_row_and_enqueues_its_delivery(
    session: AsyncSession, app: FastAPI
) -> None:
    user = await make_user(session, app)
    now = local(2026, 12, 3, 10, 0)
    [notification_id] = await notify(session, now, [user.id], MESSAGE)
    row = await session.get(Notification, notification_id)
    assert row is not None and row.kind == "application_status" and row.read_at is None
    assert row.wechat_state == "pending"
    assert await _queued(session) == [(DELIVER_TASK, {"notification_id": str(notification_id)})]
    assert await unread_count(session, user.id) == 1


async def test_a_rolled_back_change_tells_no_one(session: AsyncSession, app: FastAPI) -> None:
    user = await make_user(session, app)
    savepoint = await session.begin_nested()
    await notify(session, local(2026, 12, 3, 10, 0), [user.id], MESSAGE)
    await savepoint.rollback()
    assert await _queued(session) == []
    assert await session.scalar(select(func.count()).select_from(Notification)) == 0


async def test_the_same_key_tells_a_person_once(session: AsyncSession, app: FastAPI) -> None:
    first, second = await make_user(session, app), await make_user(session, app)
    now = local(2026, 12, 3, 10, 0)
    assert len(await notify(session, now, [first.id], MESSAGE)) == 1
    assert await notify(session, now, [first.id, first.id], MESSAGE) == []
    assert len(await notify(session, now, [first.id, second.id], MESSAGE)) == 1
    assert len(await _queued(session)) == 2


async def test_fan_out_to_many_people_is_one_call(session: AsyncSession, app: FastAPI) -> None:
    users = [await make_user(session, app) for _ in range(40)]
    message = Message(
        kind=NotificationKind.EVENT_CANCELLED, title="活动取消", body="招聘会取消", page="p"
    )
    ids = await notify(session, local(2026, 12, 3, 10, 0), [u.id for u in users], message)
    assert len(ids) == 40
    assert len(await _queued(session)) == 40


def test_quiet_hours_hold_ordinary_kinds_until_eight() -> None:
    status = NotificationKind.APPLICATION_STATUS
    assert wechat_send_time(status, local(2026, 12, 3, 21, 59)) == local(2026, 12, 3, 21, 59)
    assert wechat_send_time(status, local(2026, 12, 3, 22, 0)) == local(2026, 12, 4, 8, 0)
    assert wechat_send_time(status, local(2026, 12, 4, 7, 30)) == local(2026, 12, 4, 8, 0)
    reminder = NotificationKind.APPOINTMENT_REMINDER
    assert wechat_send_time(reminder, local(2026, 12, 3, 23, 0)) == local(2026, 12, 3, 23, 0)


async def test_delivery_waits_for_the_morning(session: AsyncSession, app: FastAPI) -> None:
    user = await make_user(session, app)
    await notify(session, local(2026, 12, 3, 23, 0), [user.id], MESSAGE)
    scheduled = await session.scalar(text("SELECT scheduled_at FROM procrastinate_jobs"))
    assert scheduled == local(2026, 12, 4, 8, 0)
