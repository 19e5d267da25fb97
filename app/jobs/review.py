"""Staff moderation of held postings: the queue and approve / reject (audited)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.core.clock import Clock
from app.core.keyset import TIME_ID
from app.core.pagination import Page
from app.identity.models import StaffAccount
from app.jobs import errors, notices, repository
from app.jobs.schemas import JobReviewItem, ModerationDecision, ModerationRead


async def queue(session: AsyncSession, cursor: str | None, limit: int) -> Page[JobReviewItem]:
    rows = await repository.review_queue(session, TIME_ID.decode(cursor), limit + 1)
    shown, next_cursor = TIME_ID.cut(rows, limit, key=lambda row: (row[0].created_at, row[0].id))
    items = []
    for row in shown:
        job, employer_name = row[0], row[1]
        data = {
            name: getattr(job, name) for name in JobReviewItem.model_fields if hasattr(job, name)
        }
        data.update(
            employer_name=employer_name, moderation=ModerationRead.model_validate(job.moderation)
        )
        items.append(JobReviewItem.model_validate(data))
    return Page(items=items, next_cursor=next_cursor)


async def decide(
    session: AsyncSession,
    clock: Clock,
    staff: StaffAccount,
    job_id: uuid.UUID,
    body: ModerationDecision,
) -> uuid.UUID:
    """Publish or reject a held posting; the poster sees the reason in ``moderation``."""
    reason = (body.reason or "").strip() or None
    if body.decision == "reject" and reason is None:
        raise errors.ReasonRequired()
    job = await repository.get_for_update(session, job_id)
    if job is None:
        raise errors.JobNotFound()
    if job.status != "pending_review":
        raise errors.JobNotPendingReview(details={"status": job.status})
    now = clock()
    outcome = "published" if body.decision == "approve" else "rejected"
    job.status = outcome
    if outcome == "published":
        job.published_at = now
    job.moderation = {
        **job.moderation,
        "outcome": outcome,
        "staff_reason": reason,
        "reviewed_by": str(staff.id),
        "reviewed_at": now.isoformat(),
    }
    await session.flush()
    await notices.job_moderated(session, now, job, reason)
    await audit.record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action=f"job.moderation_{body.decision}",
        subject_kind="job",
        subject_id=job.id,
        details={"reason": reason, "findings": [f["rule"] for f in job.moderation["findings"]]},
    )
    return job.id
