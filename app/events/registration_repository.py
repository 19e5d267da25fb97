"""SQL for seekers' event registrations and live-stream applications."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.events.models import (
    ACTIVE_REGISTRATION,
    EventRegistration,
    LivestreamApplication,
    RecruitmentEvent,
)
from app.identity.models import User


async def has_active(session: AsyncSession, event_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    stmt = select(EventRegistration.id).where(
        EventRegistration.event_id == event_id,
        EventRegistration.user_id == user_id,
        text(ACTIVE_REGISTRATION),
    )
    return (await session.scalar(stmt)) is not None


async def insert_registration(
    session: AsyncSession, event_id: uuid.UUID, user_id: uuid.UUID
) -> uuid.UUID | None:
    """None when the person is already registered (partial unique index)."""
    stmt = (
        insert(EventRegistration)
        .values(event_id=event_id, user_id=user_id, status="registered")
        .on_conflict_do_nothing(
            index_elements=["event_id", "user_id"], index_where=text(ACTIVE_REGISTRATION)
        )
        .returning(EventRegistration.id)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def get_registration(
    session: AsyncSession, registration_id: uuid.UUID, *, user_id: uuid.UUID | None
) -> Row[EventRegistration, RecruitmentEvent] | None:
    """A registration with its event; with ``user_id`` only that person's."""
    stmt = (
        select(EventRegistration, RecruitmentEvent)
        .join(RecruitmentEvent, RecruitmentEvent.id == EventRegistration.event_id)
        .where(EventRegistration.id == registration_id)
    )
    if user_id is not None:
        stmt = stmt.where(EventRegistration.user_id == user_id)
    result = await session.execute(stmt, execution_options={"populate_existing": True})
    return result.one_or_none()


async def user_registrations(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    before: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> Sequence[Row[EventRegistration, RecruitmentEvent]]:
    stmt = (
        select(EventRegistration, RecruitmentEvent)
        .join(RecruitmentEvent, RecruitmentEvent.id == EventRegistration.event_id)
        .where(EventRegistration.user_id == user_id)
    )
    if before is not None:
        stmt = stmt.where(
            tuple_(RecruitmentEvent.starts_at, EventRegistration.id) < tuple_(*before)
        )
    stmt = stmt.order_by(RecruitmentEvent.starts_at.desc(), EventRegistration.id.desc())
    return (await session.execute(stmt.limit(limit))).all()


async def event_registrations(
    session: AsyncSession,
    event_id: uuid.UUID,
    *,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> Sequence[Row[EventRegistration, User]]:
    stmt = (
        select(EventRegistration, User)
        .join(User, User.id == EventRegistration.user_id)
        .where(EventRegistration.event_id == event_id)
    )
    if after is not None:
        stmt = stmt.where(
            tuple_(EventRegistration.created_at, EventRegistration.id) > tuple_(*after)
        )
    stmt = stmt.order_by(EventRegistration.created_at, EventRegistration.id).limit(limit)
    return (await session.execute(stmt)).all()


async def set_status(
    session: AsyncSession,
    registration_id: uuid.UUID,
    *,
    expected: str,
    values: dict[str, Any],
) -> bool:
    """Move from ``expected`` only: of two scans of one code, exactly one wins."""
    stmt = (
        update(EventRegistration)
        .where(EventRegistration.id == registration_id, EventRegistration.status == expected)
        .values(**values)
        .returning(EventRegistration.id)
    )
    return (await session.scalar(stmt)) is not None


async def link_application(session: AsyncSession, values: dict[str, Any]) -> bool:
    """Record that an application came from a live stream; False if already recorded."""
    stmt = (
        insert(LivestreamApplication)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["application_id"])
        .returning(LivestreamApplication.id)
    )
    return (await session.scalar(stmt)) is not None


async def application_source(session: AsyncSession, application_id: uuid.UUID) -> uuid.UUID | None:
    stmt = select(LivestreamApplication.event_id).where(
        LivestreamApplication.application_id == application_id
    )
    return await session.scalar(stmt)
