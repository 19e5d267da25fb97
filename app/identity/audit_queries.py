"""Reading the audit log (admins only), newest first with keyset pagination."""

from __future__ import annotations

import uuid

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditRecord
from app.core.keyset import TIME_ID, created_key
from app.core.pagination import Page
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
    after = TIME_ID.decode(cursor)
    if after is not None:
        stmt = stmt.where(tuple_(AuditRecord.created_at, AuditRecord.id) < after)
    stmt = stmt.order_by(AuditRecord.created_at.desc(), AuditRecord.id.desc()).limit(limit + 1)
    rows = list((await session.execute(stmt)).scalars())
    return TIME_ID.page(
        rows,
        limit,
        key=created_key,
        item=lambda r: AuditRecordRead.model_validate(r, from_attributes=True),
    )
