"""Staff verification of employers: the queue and the decision (with an audit record)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.core.clock import Clock
from app.core.keyset import TIME_ID, created_key
from app.core.pagination import Page
from app.core.security import Security
from app.employers import errors, notices, repository
from app.employers.contact import admin_read
from app.employers.schemas import EmployerAdminRead, VerificationDecision
from app.identity.models import StaffAccount

# Which statuses each decision may start from: a rejected employer may be approved after it
# sent the right papers; a verified one is not silently re-rejected here.
_ALLOWED_FROM = {"approve": {"pending", "rejected"}, "reject": {"pending"}}


async def queue(
    session: AsyncSession, security: Security, status: str, cursor: str | None, limit: int
) -> Page[EmployerAdminRead]:
    rows = await repository.review_queue(session, status, TIME_ID.decode(cursor), limit + 1)
    return TIME_ID.page(rows, limit, key=created_key, item=lambda row: admin_read(security, row))


async def decide(
    session: AsyncSession,
    clock: Clock,
    security: Security,
    staff: StaffAccount,
    employer_id: uuid.UUID,
    body: VerificationDecision,
) -> EmployerAdminRead:
    """Approve or reject a pending employer; the row lock serialises two reviewers."""
    reason = (body.reason or "").strip() or None
    if body.decision == "reject" and reason is None:
        raise errors.ReasonRequired()
    employer = await repository.get_for_update(session, employer_id)
    if employer is None:
        raise errors.EmployerNotFound()
    if employer.status not in _ALLOWED_FROM[body.decision]:
        raise errors.NotPending(details={"status": employer.status})
    previous = employer.status
    employer.status = "verified" if body.decision == "approve" else "rejected"
    employer.reviewed_by = staff.id
    employer.reviewed_at = now = clock()
    employer.review_reason = reason
    await session.flush()
    await notices.verification_decided(session, now, employer)
    await audit.record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action=f"employer.{body.decision}",
        subject_kind="employer",
        subject_id=employer.id,
        details={"from": previous, "to": employer.status, "reason": reason},
    )
    await session.refresh(employer)
    return admin_read(security, employer)
