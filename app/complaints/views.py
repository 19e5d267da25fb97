"""Response bodies built from complaint rows, with their subjects' titles."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.complaints import repository
from app.complaints.models import Complaint
from app.complaints.schemas import ComplaintAdminRead, ComplaintQueueItem, ComplaintRead
from app.core.security import Security
from app.identity.models import User
from app.identity.profile import phone_of, real_name_of


def _fields(complaint: Complaint, titles: dict[uuid.UUID, str]) -> dict[str, Any]:
    return {
        "id": complaint.id,
        "kind": complaint.kind,
        "subject_kind": complaint.subject_kind,
        "subject_id": complaint.subject_id,
        "subject_title": titles.get(complaint.subject_id),
        "description": complaint.description,
        "amount_fen": complaint.amount_fen,
        "source": complaint.source,
        "status": complaint.status,
        "reply": complaint.reply,
        "replied_at": complaint.replied_at,
        "closed_at": complaint.closed_at,
        "created_at": complaint.created_at,
        "updated_at": complaint.updated_at,
    }


async def reads(session: AsyncSession, rows: Sequence[Complaint]) -> list[ComplaintRead]:
    """Complaints as their complainant sees them."""
    titles = await repository.subject_titles(session, rows)
    return [ComplaintRead(**_fields(c, titles)) for c in rows]


async def read(session: AsyncSession, complaint: Complaint) -> ComplaintRead:
    return (await reads(session, [complaint]))[0]


async def queue_items(session: AsyncSession, rows: Sequence[Complaint]) -> list[ComplaintQueueItem]:
    """Complaints as the staff queue lists them (contact details only in the detail view)."""
    titles = await repository.subject_titles(session, rows)
    return [
        ComplaintQueueItem(
            **_fields(c, titles), complainant_id=c.complainant_id, handled_by=c.handled_by
        )
        for c in rows
    ]


async def admin_read(
    session: AsyncSession, security: Security, complaint: Complaint
) -> ComplaintAdminRead:
    """A complaint for staff, with the complainant's name and phone decrypted."""
    item = (await queue_items(session, [complaint]))[0]
    user = await session.get(User, complaint.complainant_id)
    name = phone = None
    if user is not None:
        name = real_name_of(security, user) or user.nickname
        phone = phone_of(security, user)
    return ComplaintAdminRead(**item.model_dump(), complainant_name=name, complainant_phone=phone)
