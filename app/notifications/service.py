"""The person's side of notifications: the inbox, subscription credits, per-kind switches."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings
from app.core.keyset import TIME_ID, created_key
from app.core.pagination import Page
from app.notifications.errors import NothingToMark, UnknownKind, UnknownTemplate
from app.notifications.kinds import KINDS, NotificationKind
from app.notifications.models import (
    SUBSCRIPTION_ANSWERS,
    Notification,
    NotificationPreference,
    SubscriptionCredit,
)
from app.notifications.outbox import unread_count
from app.notifications.schemas import (
    KindSetting,
    MarkRead,
    MarkReadResult,
    NotificationRead,
    NotificationSettingsRead,
    NotificationSettingsUpdate,
    SubscriptionResult,
    SubscriptionsRead,
)
from app.notifications.templates import templates

# WeChat lets credits pile up one per accept; more than this is a client looping, not a person.
MAX_CREDITS = 100
# wx.requestSubscribeMessage's success result carries this key beside the template ids.
_WX_RESULT_KEYS = frozenset({"errMsg"})


async def inbox(
    session: AsyncSession, user_id: uuid.UUID, *, unread_only: bool, cursor: str | None, limit: int
) -> Page[NotificationRead]:
    """The person's notifications, newest first."""
    stmt = (
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit + 1)
    )
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    after = TIME_ID.decode(cursor)
    if after is not None:
        stmt = stmt.where(tuple_(Notification.created_at, Notification.id) < after)
    rows = list((await session.execute(stmt)).scalars())
    return TIME_ID.page(rows, limit, created_key, NotificationRead.model_validate)


async def mark_read(
    session: AsyncSession, user_id: uuid.UUID, body: MarkRead, now: datetime
) -> MarkReadResult:
    """Mark the person's own notifications read; ids of others and repeated ids change nothing."""
    if not body.all and not body.ids:
        raise NothingToMark()
    stmt = (
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=now)
        .returning(Notification.id)
    )
    if not body.all:
        stmt = stmt.where(Notification.id.in_(body.ids))
    marked = len((await session.execute(stmt)).all())
    return MarkReadResult(marked=marked, unread_count=await unread_count(session, user_id))


async def record_subscriptions(
    session: AsyncSession,
    settings: Settings,
    user_id: uuid.UUID,
    answers: Mapping[str, Any],
    now: datetime,
) -> SubscriptionsRead:
    """Store what ``wx.requestSubscribeMessage`` answered: each ``accept`` is one credit."""
    known = {template.template_id for template in templates(settings).values()}
    given = {key: value for key, value in answers.items() if key not in _WX_RESULT_KEYS}
    unknown = sorted(key for key in given if key not in known)
    if unknown:
        raise UnknownTemplate(details={"template_ids": unknown})
    wrong = sorted(key for key, value in given.items() if value not in SUBSCRIPTION_ANSWERS)
    if wrong:
        raise UnknownTemplate(
            "订阅结果应为 accept、reject、ban 或 filter", details={"template_ids": wrong}
        )
    items = []
    for template_id, answer in sorted(given.items()):
        added = 1 if answer == "accept" else 0
        stmt = (
            insert(SubscriptionCredit)
            .values(
                user_id=user_id,
                template_id=template_id,
                credits=added,
                last_answer=answer,
                updated_at=now,
            )
            .on_conflict_do_update(
                index_elements=[SubscriptionCredit.user_id, SubscriptionCredit.template_id],
                set_={
                    "credits": func.least(SubscriptionCredit.credits + added, MAX_CREDITS),
                    "last_answer": answer,
                    "updated_at": now,
                },
            )
            .returning(SubscriptionCredit.credits)
        )
        credits = (await session.execute(stmt)).scalar_one()
        items.append(SubscriptionResult(template_id=template_id, answer=answer, credits=credits))
    return SubscriptionsRead(items=items)


async def read_settings(
    session: AsyncSession,
    settings: Settings,
    user_id: uuid.UUID,
    contact_preferences: Mapping[str, Any],
) -> NotificationSettingsRead:
    disabled = set(
        await session.scalar(
            select(NotificationPreference.disabled_kinds).where(
                NotificationPreference.user_id == user_id
            )
        )
        or ()
    )
    configured = templates(settings)
    return NotificationSettingsRead(
        allow_subscribe_messages=contact_preferences.get("allow_subscribe_messages", True)
        is not False,
        kinds=[
            KindSetting(
                kind=kind.value,
                label=info.label,
                enabled=kind.value not in disabled,
                time_critical=info.time_critical,
                template_id=configured[kind].template_id if kind in configured else None,
            )
            for kind, info in KINDS.items()
        ],
    )


async def replace_settings(
    session: AsyncSession, user_id: uuid.UUID, body: NotificationSettingsUpdate, now: datetime
) -> None:
    """Store the kinds turned off (PUT: the kinds left out are on)."""
    names = {kind.value for kind in NotificationKind}
    unknown = sorted(name for name in body.kinds if name not in names)
    if unknown:
        raise UnknownKind(details={"kinds": unknown})
    disabled = sorted(name for name, enabled in body.kinds.items() if not enabled)
    stmt = insert(NotificationPreference).values(
        user_id=user_id, disabled_kinds=disabled, updated_at=now
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[NotificationPreference.user_id],
            set_={"disabled_kinds": disabled, "updated_at": now},
        )
    )
