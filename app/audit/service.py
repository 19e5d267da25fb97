"""Write audit records inside the caller's transaction (so they commit or roll back with it)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditRecord
from app.core.context import current_request_id


async def record(
    session: AsyncSession,
    *,
    actor_kind: str,
    actor_id: uuid.UUID | None,
    action: str,
    subject_kind: str | None = None,
    subject_id: str | uuid.UUID | None = None,
    details: dict[str, Any] | None = None,
) -> AuditRecord:
    entry = AuditRecord(
        actor_kind=actor_kind,
        actor_id=actor_id,
        action=action,
        subject_kind=subject_kind,
        subject_id=str(subject_id) if subject_id is not None else None,
        details=details or {},
        request_id=current_request_id(),
    )
    session.add(entry)
    await session.flush()
    return entry
