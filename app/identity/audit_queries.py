"""Reading the audit log (admins only), newest first with keyset pagination."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditRecord
from app.core.pagination import InvalidCursor, Page, decode_cursor, encode_cursor
from app.identity.schemas import AuditRecordRead


async def list_audit_records(
    session: AsyncSession,
    *,
    cursor: str | None,
    limit: int,
    action: str | None,
    actor_id: uuid.UUID | None,
    subject_id: str | None,
) -> Page[AuditRecordRead]:
    stmt = select(AuditRecord)
    if action:
        stmt = stmt.where(AuditRecord.action == action)
    if actor_id:
        stmt = stmt.where(AuditRecord.actor_id == actor_id)
    if subject_id:
        stmt = stmt.where(AuditRecord.subject_id == subject_id)
    if cursor:
        try:
            created, last_id = decode_cursor(cursor)
            key = (datetime.fromisoformat(created), uuid.UUID(last_id))
        except (TypeError, ValueError):
            raise InvalidCursor() from None
        stmt = stmt.where(tuple_(AuditRecord.created_at, AuditRecord.id) < key)
    stmt = stmt.order_by(AuditRecord.created_at.desc(), AuditRecord.id.desc()).limit(limit + 1)
    rows = list((await session.execute(stmt)).scalars())
    items = [AuditRecordRead.model_validate(r, from_attributes=True) for r in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = encode_cursor([last.created_at.isoformat(), str(last.id)])
    return Page[AuditRecordRead](items=items, next_cursor=next_cursor)
