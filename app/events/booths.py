"""Employers' booths at fairs: members register with the jobs they bring; staff decide."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.clock import Clock
from app.employers import repository as employers
from app.employers.models import Employer
from app.events import errors, notices
from app.events import repository as repo
from app.events.models import EventBooth, RecruitmentEvent
from app.events.schemas import BoothCreate, BoothDecision, BoothRead, JobRef
from app.identity.models import StaffAccount, User
from app.jobs.models import Job


def _read(
    booth: EventBooth, event: RecruitmentEvent, employer: Employer, jobs: Sequence[Job]
) -> BoothRead:
    return BoothRead(
        id=booth.id,
        event_id=event.id,
        event_title=event.title,
        employer_id=employer.id,
        employer_name=employer.name,
        status=booth.status,
        booth_no=booth.booth_no,
        contact_name=booth.contact_name,
        note=booth.note,
        jobs=[JobRef(id=j.id, title=j.title) for j in jobs],
        decision_reason=booth.decision_reason,
        created_at=booth.created_at,
        decided_at=booth.decided_at,
    )


async def read_booth(session: AsyncSession, booth_id: uuid.UUID) -> BoothRead:
    row = await repo.get_booth(session, booth_id)
    if row is None:
        raise errors.BoothNotFound()
    booth, event, employer = row
    jobs = await repo.booth_jobs(session, [booth.id])
    return _read(booth, event, employer, jobs.get(booth.id, []))


async def _check_jobs(
    session: AsyncSession, employer_id: uuid.UUID, job_ids: Sequence[uuid.UUID]
) -> None:
    found = {j.id for j in await repo.published_jobs(session, job_ids, employer_id)}
    missing = [str(j) for j in job_ids if j not in found]
    if missing:
        raise errors.BoothJobsInvalid(details={"job_ids": missing})


async def register_booth(
    session: AsyncSession, clock: Clock, user: User, event_id: uuid.UUID, body: BoothCreate
) -> BoothRead:
    """A member of a verified employer asks for a booth; the booth limit is a conditional UPDATE."""
    if not await employers.is_member(session, body.employer_id, user.id):
        raise errors.NotEmployerMember()
    employer = await employers.get(session, body.employer_id)
    if employer is None or not employer.is_verified:
        raise errors.EmployerNotVerified()
    event = await repo.get_event(session, event_id)
    if event is None or event.status == "cancelled":
        raise errors.EventNotFound()
    if event.booth_limit == 0:
        raise errors.BoothsNotOffered()
    if clock() >= event.starts_at:
        raise errors.BoothRegistrationClosed()
    await _check_jobs(session, employer.id, body.job_ids)
    if not await repo.take_booth(session, event.id):
        raise errors.BoothsFull(details={"booth_limit": event.booth_limit})
    booth_id = await repo.insert_booth(
        session,
        {
            "event_id": event.id,
            "employer_id": employer.id,
            "registered_by": user.id,
            "contact_name": body.contact_name,
            "note": body.note,
            "status": "pending",
        },
    )
    if booth_id is None:  # the whole transaction, with the counter, rolls back
        raise errors.BoothAlreadyRegistered()
    await repo.add_booth_jobs(session, booth_id, body.job_ids)
    return await read_booth(session, booth_id)


async def member_booths(session: AsyncSession, user: User) -> list[BoothRead]:
    rows = await repo.booths(session, member_id=user.id)
    jobs = await repo.booth_jobs(session, [b.id for b, _, _ in rows])
    return [_read(b, e, m, jobs.get(b.id, [])) for b, e, m in rows]


async def event_booths(session: AsyncSession, event_id: uuid.UUID) -> list[BoothRead]:
    if await repo.get_event(session, event_id) is None:
        raise errors.EventNotFound()
    rows = await repo.booths(session, event_id=event_id)
    jobs = await repo.booth_jobs(session, [b.id for b, _, _ in rows])
    return [_read(b, e, m, jobs.get(b.id, [])) for b, e, m in rows]


async def decide(
    session: AsyncSession,
    clock: Clock,
    staff: StaffAccount,
    booth_id: uuid.UUID,
    body: BoothDecision,
) -> BoothRead:
    """Confirm a pending booth (with a number), or reject a pending/confirmed one (frees it)."""
    row = await repo.get_booth(session, booth_id)
    if row is None:
        raise errors.BoothNotFound()
    booth = row[0]
    now = clock()
    values = {"decided_by": staff.id, "decided_at": now, "decision_reason": body.reason}
    if body.decision == "confirm":
        values |= {"status": "confirmed", "booth_no": body.booth_no}
        changed = await repo.set_booth_status(
            session, booth.id, expected=["pending"], values=values
        )
    else:
        values |= {"status": "rejected"}
        changed = await repo.set_booth_status(
            session, booth.id, expected=["pending", "confirmed"], values=values
        )
        if changed:
            await repo.free_booth(session, booth.event_id)
    if not changed:
        raise errors.BoothDecisionNotAllowed(details={"status": booth.status})
    await notices.booth_decided(session, now, booth.id)
    await record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action=f"event.booth_{body.decision}",
        subject_kind="event_booth",
        subject_id=booth.id,
        details={"event_id": str(booth.event_id), "employer_id": str(booth.employer_id)},
    )
    return await read_booth(session, booth.id)
