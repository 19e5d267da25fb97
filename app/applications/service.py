"""Applying to jobs, withdrawing, moving applications along the pipeline, recording hires."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.applications import notices, repository, views
from app.applications.errors import (
    ApplicationNotFound,
    JobClosed,
    JobExpired,
    JobNotPublished,
    OwnEmployerJob,
    ResumeRequired,
)
from app.applications.models import JobApplication
from app.applications.pipeline import Actor, check_transition
from app.applications.resume_service import snapshot_of
from app.applications.schemas import ApplicationDetail, StatusUpdate
from app.core.clock import Clock, local_date
from app.core.security import Security
from app.employers.repository import is_member
from app.identity.errors import PhoneRequired
from app.identity.models import User
from app.jobs.errors import JobNotFound
from app.jobs.models import Job


async def _check_can_apply(session: AsyncSession, user: User, job: Job, today: date) -> None:
    if user.phone_encrypted is None:
        raise PhoneRequired("请先绑定手机号再投递，方便招聘方与您联系")
    if job.status == "closed":
        raise JobClosed()
    if job.status != "published":
        raise JobNotPublished()
    if job.valid_until < today:
        raise JobExpired(details={"valid_until": job.valid_until.isoformat()})
    if await is_member(session, job.employer_id, user.id):
        raise OwnEmployerJob()


async def apply(
    session: AsyncSession, clock: Clock, security: Security, user: User, job_id: uuid.UUID
) -> tuple[ApplicationDetail, bool]:
    """Apply once per job; returns the application and whether this call created it."""
    now = clock()
    today = local_date(now)
    job = await repository.get_job(session, job_id)
    if job is None:
        raise JobNotFound()
    existing = await repository.get_by_job_and_user(session, job_id, user.id)
    if existing is not None and existing.status != "withdrawn":
        return await read_detail(session, security, existing, "applicant", today), False
    await _check_can_apply(session, user, job, today)
    resume = await repository.get_resume(session, user.id)
    if resume is None:
        raise ResumeRequired()
    snapshot = snapshot_of(resume, now)
    if existing is not None:
        reopened = await _reapply(session, user, job, snapshot, now)
        return await read_detail(session, security, reopened, "applicant", today), False
    new_id = await repository.insert_application(
        session,
        {
            "job_id": job.id,
            "employer_id": job.employer_id,
            "user_id": user.id,
            "status": "submitted",
            "resume_snapshot": snapshot,
            "created_at": now,
            "status_changed_at": now,
        },
    )
    if new_id is None:  # a concurrent twin committed first: answer with its application
        twin = await repository.get_by_job_and_user(session, job_id, user.id)
        assert twin is not None
        return await read_detail(session, security, twin, "applicant", today), False
    await _record(session, new_id, user.id, "applicant", None, "submitted", None, now)
    created = await session.get(JobApplication, new_id)
    assert created is not None
    await notices.application_received(session, now, created, job)
    return await read_detail(session, security, created, "applicant", today), True


async def _reapply(
    session: AsyncSession, user: User, job: Job, snapshot: dict[str, object], now: datetime
) -> JobApplication:
    """Applying again after withdrawing reopens the same application with a fresh snapshot."""
    application = await repository.get_by_job_and_user(session, job.id, user.id, lock=True)
    assert application is not None
    if application.status == "withdrawn":
        application.resume_snapshot = snapshot
        await _move(session, application, user.id, "applicant", "submitted", "重新投递", now)
        await notices.application_received(session, now, application, job)
    return application


async def withdraw(
    session: AsyncSession,
    clock: Clock,
    security: Security,
    user: User,
    application_id: uuid.UUID,
    note: str | None,
) -> ApplicationDetail:
    """The applicant withdraws; withdrawing twice answers with the withdrawn application."""
    now = clock()
    application = await repository.get_own(session, application_id, user.id, lock=True)
    if application is None:
        raise ApplicationNotFound()
    if application.status != "withdrawn":
        check_transition(application.status, "withdrawn", "applicant")
        await _move(session, application, user.id, "applicant", "withdrawn", note, now)
    return await read_detail(session, security, application, "applicant", local_date(now))


async def change_status(
    session: AsyncSession,
    clock: Clock,
    security: Security,
    user: User,
    application_id: uuid.UUID,
    body: StatusUpdate,
) -> ApplicationDetail:
    """An employer member moves the application along; a hire records an employment event."""
    now = clock()
    application = await repository.get_for_member(session, application_id, user.id, lock=True)
    if application is None:
        raise ApplicationNotFound()
    check_transition(application.status, body.status, "employer")
    await _move(session, application, user.id, "employer", body.status, body.note, now)
    job = await repository.get_job(session, application.job_id)
    assert job is not None
    await notices.status_changed(
        session,
        now,
        application,
        job,
        interview_at=body.interview_at,
        interview_place=body.interview_place,
        note=body.note,
    )
    if body.status == "hired" and body.employment is not None:
        await repository.add_employment_event(
            session,
            user_id=application.user_id,
            employer_id=application.employer_id,
            job_id=application.job_id,
            application_id=application.id,
            recorded_by=user.id,
            **body.employment.model_dump(),
        )
    return await read_detail(session, security, application, "employer", local_date(now))


async def _move(
    session: AsyncSession,
    application: JobApplication,
    actor_id: uuid.UUID,
    role: Actor,
    target: str,
    note: str | None,
    now: datetime,
) -> None:
    previous = application.status
    application.status = target
    application.status_changed_at = now
    await session.flush()
    await _record(session, application.id, actor_id, role, previous, target, note, now)


async def _record(
    session: AsyncSession,
    application_id: uuid.UUID,
    actor_id: uuid.UUID,
    role: Actor,
    previous: str | None,
    target: str,
    note: str | None,
    at: datetime,
) -> None:
    await repository.add_status_change(
        session,
        application_id=application_id,
        actor_user_id=actor_id,
        actor_role=role,
        from_status=previous,
        to_status=target,
        note=note,
        created_at=at,
    )


async def read_detail(
    session: AsyncSession,
    security: Security,
    application: JobApplication,
    viewer_role: Actor,
    today: date,
) -> ApplicationDetail:
    job, employer = await repository.job_and_employer(session, application.job_id)
    contact = None
    if viewer_role == "employer":
        applicant = await session.get(User, application.user_id)
        assert applicant is not None
        contact = views.applicant_contact(security, application, applicant)
    return views.detail(
        viewer_role=viewer_role,
        application=application,
        job=job,
        employer=employer,
        history=await repository.history(session, application.id),
        employment=await repository.employment_for(session, application.id),
        contact=contact,
        today=today,
    )


async def get_detail(
    session: AsyncSession,
    clock: Clock,
    security: Security,
    user: User,
    application_id: uuid.UUID,
) -> ApplicationDetail:
    """An application for its applicant or a member of its employer; anyone else: not found."""
    application = await repository.get_readable(session, application_id, user.id)
    if application is None:
        raise ApplicationNotFound()
    role: Actor = "applicant" if application.user_id == user.id else "employer"
    now = clock()
    if role == "employer":  # the first look by the employer is news to the applicant
        job = await repository.get_job(session, application.job_id)
        assert job is not None
        await notices.application_viewed(session, now, application, job)
    return await read_detail(session, security, application, role, local_date(now))
