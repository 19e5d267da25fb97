"""Filing complaints, reading them, and the staff workflow (every staff action is audited)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.complaints import errors, notices, repository, views
from app.complaints.models import Complaint
from app.complaints.schemas import (
    ComplaintCreate,
    ComplaintQueueItem,
    ComplaintRead,
    ComplaintTransition,
)
from app.core.keyset import TIME_ID, created_key
from app.core.pagination import Page
from app.identity.models import StaffAccount, User

# Which status may follow which (staff only).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "received": ("handling",),
    "handling": ("resolved", "transferred"),
    "resolved": (),
    "transferred": (),
}
FINAL = ("resolved", "transferred")


async def file_complaint(session: AsyncSession, user: User, body: ComplaintCreate) -> Complaint:
    """A person complains about a gig booking they are party to, a job or an employer."""
    title = await repository.subject_title(session, body.subject_kind, body.subject_id, user.id)
    if title is None:
        raise errors.SubjectNotFound()
    values: dict[str, Any] = body.model_dump()
    if body.kind != "wage_arrears":
        values["amount_fen"] = None
    created = await repository.insert_complaint(
        session, {**values, "complainant_id": user.id, "source": "user"}
    )
    if created is None:
        raise errors.DuplicateComplaint()
    return created


async def open_wage_complaint(
    session: AsyncSession,
    worker_id: uuid.UUID,
    booking_id: uuid.UUID,
    description: str,
    amount_fen: int | None,
) -> uuid.UUID:
    """The wage-arrears complaint a pay dispute opens (or the one already open for it): its id.

    Gigs call this through ``app.gigs.ports.WageComplaintOpener`` (wired in ``app.main``).
    """
    values = {
        "complainant_id": worker_id,
        "kind": "wage_arrears",
        "subject_kind": "gig_booking",
        "subject_id": booking_id,
        "description": description,
        "amount_fen": amount_fen,
        "source": "gig_dispute",
    }
    created = await repository.insert_complaint(session, values)
    if created is not None:
        return created.id
    existing = await repository.find_open(
        session, worker_id, "wage_arrears", "gig_booking", booking_id
    )
    assert existing is not None
    return existing.id


async def get_own(session: AsyncSession, user: User, complaint_id: uuid.UUID) -> Complaint:
    complaint = await repository.get_own(session, complaint_id, user.id)
    if complaint is None:
        raise errors.ComplaintNotFound()
    return complaint


async def my_complaints(
    session: AsyncSession, user: User, cursor: str | None, limit: int
) -> Page[ComplaintRead]:
    """The person's complaints, newest first."""
    rows = await repository.list_own(session, user.id, TIME_ID.decode(cursor), limit + 1)
    shown, next_cursor = TIME_ID.cut(rows, limit, key=created_key)
    return Page(items=await views.reads(session, shown), next_cursor=next_cursor)


async def queue(
    session: AsyncSession,
    *,
    status: str | None,
    kind: str | None,
    cursor: str | None,
    limit: int,
) -> Page[ComplaintQueueItem]:
    """The staff queue, oldest first."""
    rows = await repository.list_queue(
        session, status=status, kind=kind, after=TIME_ID.decode(cursor), limit=limit + 1
    )
    shown, next_cursor = TIME_ID.cut(rows, limit, key=created_key)
    return Page(items=await views.queue_items(session, shown), next_cursor=next_cursor)


async def get_for_staff(session: AsyncSession, complaint_id: uuid.UUID) -> Complaint:
    """A complaint for staff, read without the complainant's contact (so not audited: the
    console shows the contact only through the separate, audited identity read)."""
    complaint = await repository.get(session, complaint_id)
    if complaint is None:
        raise errors.ComplaintNotFound()
    return complaint


async def view_as_staff(
    session: AsyncSession, staff: StaffAccount, complaint_id: uuid.UUID
) -> Complaint:
    """Staff open a complaint (with the complainant's contact): the read is audited."""
    complaint = await repository.get(session, complaint_id)
    if complaint is None:
        raise errors.ComplaintNotFound()
    await record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action="complaint.view",
        subject_kind="complaint",
        subject_id=complaint.id,
    )
    return complaint


async def transition(
    session: AsyncSession,
    staff: StaffAccount,
    complaint_id: uuid.UUID,
    body: ComplaintTransition,
    now: datetime,
) -> Complaint:
    complaint = await repository.lock(session, complaint_id)
    if complaint is None:
        raise errors.ComplaintNotFound()
    if body.status not in TRANSITIONS[complaint.status]:
        raise errors.TransitionInvalid(
            details={
                "from": complaint.status,
                "to": body.status,
                "allowed": list(TRANSITIONS[complaint.status]),
            }
        )
    if body.status in FINAL and not (body.reply or complaint.reply):
        raise errors.ReplyRequired()
    previous = complaint.status
    complaint.status, complaint.handled_by = body.status, staff.id
    if body.reply:
        complaint.reply, complaint.replied_at = body.reply, now
    if body.status in FINAL:
        complaint.closed_at = now
    await session.flush()
    await session.refresh(complaint)
    await record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action="complaint.transition",
        subject_kind="complaint",
        subject_id=complaint.id,
        details={"from": previous, "to": body.status, "reply": body.reply, "note": body.note},
    )
    if body.reply:
        await notices.replied(session, now, complaint)
    return complaint
