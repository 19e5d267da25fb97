"""SQL of the WeChat integration's push events."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.integrations.wechat.models import WeChatPushEvent

if TYPE_CHECKING:
    from app.integrations.wechat.push import PushEvent


async def insert_push_event(session: AsyncSession, event: PushEvent) -> bool:
    """Insert unless the same push was stored before; True when a row was added."""
    statement = (
        pg_insert(WeChatPushEvent)
        .values(
            id=uuid.uuid4(),
            event_type=event.event_type,
            openid=event.openid,
            payload=event.payload,
            dedup_key=event.dedup_key,
        )
        .on_conflict_do_nothing(index_elements=[WeChatPushEvent.dedup_key])
        .returning(WeChatPushEvent.id)
    )
    result = await session.execute(statement)
    return result.first() is not None


async def list_push_events(
    session: AsyncSession,
    *,
    event_type: str | None = None,
    openid: str | None = None,
    limit: int = 100,
) -> Sequence[WeChatPushEvent]:
    """The most recent push events, newest first (for consumers such as notifications)."""
    statement = select(WeChatPushEvent).order_by(WeChatPushEvent.received_at.desc()).limit(limit)
    if event_type is not None:
        statement = statement.where(WeChatPushEvent.event_type == event_type)
    if openid is not None:
        statement = statement.where(WeChatPushEvent.openid == openid)
    return (await session.scalars(statement)).all()
