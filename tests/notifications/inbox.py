"""Read the inbox rows a test's requests wrote (the Notification table, same transaction)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.notifications.models import Notification


@dataclass(frozen=True)
class Told:
    user_id: uuid.UUID
    kind: str
    title: str
    body: str
    page: str


async def told(session: AsyncSession, kind: str | None = None) -> list[Told]:
    """Every notification written so far (of ``kind``), oldest first."""
    stmt = select(Notification).order_by(Notification.created_at, Notification.id)
    if kind is not None:
        stmt = stmt.where(Notification.kind == kind)
    rows = (await session.execute(stmt)).scalars()
    return [Told(r.user_id, r.kind, r.title, r.body, r.page) for r in rows]


async def keywords_of(session: AsyncSession, kind: str) -> list[dict[str, str]]:
    stmt = select(Notification.keywords).where(Notification.kind == kind)
    return list((await session.execute(stmt)).scalars())
