"""Where a person's data lives, and the SQL that erases it (账号注销).

This module is the map of personal data across domains: a new table holding something about a
person belongs here too (and in ``app.privacy.personal_reads`` for the copy). Counters other
domains keep (places in a slot, seats in a course, registrations of an event) are moved through
those domains' repositories so their limits stay true.

What stays, and why (see docs/security.md, section 5): subsidy applications and awards (public
funds; awards carry the keyed hash of the ID number, never the number), employment events and
internship enrolments (the evidence those subsidies rest on), complaint cases (they may be with
labour inspection), past appointments, registrations and enrolments (service records). They keep
pointing at the user row, which becomes a tombstone without any personal field.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, func, inspect, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications.models import ApplicationStatusChange, JobApplication, Resume
from app.core.clock import local_date
from app.core.idempotency import IdempotencyRecord
from app.employers.models import Employer, EmployerInvitation, EmployerMember
from app.events import repository as events_repository
from app.events.models import EventBooth, EventRegistration, RecruitmentEvent
from app.files.models import StoredFile
from app.gigs.models import (
    ACTIVE_BOOKING_STATUSES,
    Gig,
    GigApplication,
    GigBooking,
    GigPosterStats,
    GigRating,
    GigWorkerProfile,
)
from app.identity.models import RefreshToken, StaffAccount, User
from app.jobs.models import JobFavourite, JobReport, SavedSearch
from app.service_desk import appointment_repository
from app.service_desk.models import Appointment, AppointmentSlot
from app.subsidies.models import OPEN_STATUSES as OPEN_SUBSIDY_STATUSES
from app.subsidies.models import SubsidyApplication, SubsidyApplicationFile
from app.training import repository as training_repository
from app.training.models import TrainingCourse, TrainingEnrolment

LIVE_GIG_STATUSES = ("pending_review", "open", "full", "in_progress")
FINAL_APPLICATION_STATUSES = ("hired", "rejected", "withdrawn")
ERASED_NOTE = "账号已注销"

# --- what blocks a deletion ------------------------------------------------------------------


async def owned_employer_names(session: AsyncSession, user_id: uuid.UUID) -> list[str]:
    stmt = (
        select(Employer.name)
        .join(EmployerMember, EmployerMember.employer_id == Employer.id)
        .where(EmployerMember.user_id == user_id, EmployerMember.role == "owner")
        .order_by(Employer.name)
    )
    return list((await session.execute(stmt)).scalars())


async def open_subsidy_count(session: AsyncSession, user_id: uuid.UUID) -> int:
    stmt = select(func.count()).where(
        SubsidyApplication.applicant_user_id == user_id,
        SubsidyApplication.status.in_(OPEN_SUBSIDY_STATUSES),
    )
    return int((await session.execute(stmt)).scalar_one())


async def live_gig_count(session: AsyncSession, user_id: uuid.UUID) -> int:
    posted = select(func.count()).where(Gig.poster_id == user_id, Gig.status.in_(LIVE_GIG_STATUSES))
    working = select(func.count()).where(
        GigBooking.worker_id == user_id, GigBooking.status.in_(ACTIVE_BOOKING_STATUSES)
    )
    return int((await session.execute(posted)).scalar_one()) + int(
        (await session.execute(working)).scalar_one()
    )


# --- erasing ---------------------------------------------------------------------------------


async def tombstone_user(session: AsyncSession, user: User, now: datetime) -> None:
    """Every personal field goes; the openid is freed so WeChat login makes a new account."""
    user.openid = f"erased:{user.id}"
    user.unionid = None
    user.session_key_encrypted = None
    user.nickname = None
    user.avatar_url = None
    user.avatar_file_id = None
    user.gender = "unknown"
    user.contact_preferences = {}
    user.phone_encrypted = None
    user.phone_hash = None
    user.phone_bound_at = None
    user.real_name_encrypted = None
    user.id_number_encrypted = None
    user.id_number_hash = None
    user.birth_date = None
    user.sex = None
    user.real_name_verified_at = None
    user.last_login_at = None
    user.is_active = False
    user.deleted_at = now
    await session.flush()


async def _count(session: AsyncSession, stmt: Any) -> int:
    result = await session.execute(stmt)
    return int(getattr(result, "rowcount", 0) or 0)


def _blank_contact(model: type[Any]) -> dict[str, Any]:
    """Blank every ``contact_*`` column whatever its form (plain, encrypted, hashed)."""
    return {
        column.key: (None if column.nullable else "")
        for column in inspect(model).columns
        if column.key.startswith("contact_")
    }


async def erase_identity_links(session: AsyncSession, user_id: uuid.UUID) -> dict[str, int]:
    return {
        "refresh_tokens": await _count(
            session, delete(RefreshToken).where(RefreshToken.user_id == user_id)
        ),
        "idempotency_records": await _count(
            session,
            delete(IdempotencyRecord).where(IdempotencyRecord.scope.like(f"user:{user_id}:%")),
        ),
        "staff_links": await _count(
            session,
            update(StaffAccount).where(StaffAccount.user_id == user_id).values(user_id=None),
        ),
    }


async def erase_job_seeking(session: AsyncSession, user_id: uuid.UUID) -> dict[str, int]:
    """Resume and favourites go; applications lose the resume and end as withdrawn."""
    open_apps = select(JobApplication.id, JobApplication.status).where(
        JobApplication.user_id == user_id,
        JobApplication.status.not_in(FINAL_APPLICATION_STATUSES),
    )
    for application_id, status in (await session.execute(open_apps)).all():
        session.add(
            ApplicationStatusChange(
                application_id=application_id,
                actor_user_id=user_id,
                actor_role="applicant",
                from_status=status,
                to_status="withdrawn",
                note=ERASED_NOTE,
            )
        )
    await session.flush()
    mine = JobApplication.user_id == user_id
    return {
        "resumes": await _count(session, delete(Resume).where(Resume.user_id == user_id)),
        "favourites": await _count(
            session, delete(JobFavourite).where(JobFavourite.user_id == user_id)
        ),
        "saved_searches": await _count(
            session, delete(SavedSearch).where(SavedSearch.user_id == user_id)
        ),
        "applications_withdrawn": await _count(
            session,
            update(JobApplication)
            .where(mine, JobApplication.status.not_in(FINAL_APPLICATION_STATUSES))
            .values(status="withdrawn", status_changed_at=func.now()),
        ),
        "application_snapshots": await _count(
            session,
            update(JobApplication)
            .where(mine)
            .values(
                resume_snapshot=func.jsonb_build_object(
                    literal("taken_at"), JobApplication.resume_snapshot["taken_at"]
                )
            ),
        ),
        "application_notes": await _count(
            session,
            update(ApplicationStatusChange)
            .where(
                ApplicationStatusChange.actor_user_id == user_id,
                ApplicationStatusChange.note.is_not(None),
                ApplicationStatusChange.note != ERASED_NOTE,
            )
            .values(note=None),
        ),
        "job_reports": await _count(
            session,
            update(JobReport).where(JobReport.reporter_id == user_id).values(text=""),
        ),
    }


async def erase_gigs(session: AsyncSession, user_id: uuid.UUID) -> dict[str, int]:
    """Profile and stats go; bookings lose the check-in location, postings their contact."""
    return {
        "gig_profiles": await _count(
            session, delete(GigWorkerProfile).where(GigWorkerProfile.user_id == user_id)
        ),
        "gig_poster_stats": await _count(
            session, delete(GigPosterStats).where(GigPosterStats.user_id == user_id)
        ),
        "gig_applications": await _count(
            session,
            update(GigApplication)
            .where(GigApplication.worker_id == user_id)
            .values(
                message="",
                status=func.coalesce(
                    func.nullif(GigApplication.status, "pending"), literal("withdrawn")
                ),
            ),
        ),
        "gig_bookings": await _count(
            session,
            update(GigBooking)
            .where(GigBooking.worker_id == user_id)
            .values(check_in_lat=None, check_in_lng=None, check_in_distance_km=None),
        ),
        "gig_ratings_given": await _count(
            session, update(GigRating).where(GigRating.rater_id == user_id).values(comment="")
        ),
        "gig_postings": await _count(
            session,
            update(Gig).where(Gig.poster_id == user_id).values(**_blank_contact(Gig)),
        ),
    }


async def erase_memberships(
    session: AsyncSession, user_id: uuid.UUID, now: datetime
) -> dict[str, int]:
    """Recruiter memberships go and the invitation codes they left unused are revoked (used
    ones stay: they are the employer's record of who joined, and hold nothing personal about
    their creator); booths they registered and employers they created (owned by someone else by
    now: owners are refused) lose the contact person."""
    return {
        "employer_contacts": await _count(
            session,
            update(Employer)
            .where(Employer.created_by == user_id)
            .values(**_blank_contact(Employer)),
        ),
        "employer_memberships": await _count(
            session, delete(EmployerMember).where(EmployerMember.user_id == user_id)
        ),
        "employer_invitations_revoked": await _count(
            session,
            update(EmployerInvitation)
            .where(
                EmployerInvitation.created_by == user_id,
                EmployerInvitation.accepted_at.is_(None),
                EmployerInvitation.revoked_at.is_(None),
            )
            .values(revoked_at=now),
        ),
        "event_booth_contacts": await _count(
            session,
            update(EventBooth)
            .where(EventBooth.registered_by == user_id)
            .values(**_blank_contact(EventBooth)),
        ),
    }


async def _cancel_and_free(
    session: AsyncSession,
    cancel: Any,
    now: datetime,
    free: Callable[[AsyncSession, uuid.UUID], Awaitable[object]],
) -> int:
    """Run one ``UPDATE … RETURNING <place id>`` that cancels bookings, then give each place
    back through its domain's own counter function. Returns how many were cancelled."""
    result = await session.execute(cancel.values(status="cancelled", cancelled_at=now))
    place_ids = list(result.scalars())
    for place_id in place_ids:
        await free(session, place_id)
    return len(place_ids)


async def release_bookings(
    session: AsyncSession, user_id: uuid.UUID, now: datetime
) -> dict[str, int]:
    """Appointments, registrations and enrolments that have not started are cancelled (their
    places freed); the notes the person wrote go. Started or past ones stay as service records
    (a running course still completes, and its completion may count toward a subsidy)."""
    cancelled = {
        "appointments_cancelled": await _cancel_and_free(
            session,
            update(Appointment)
            .where(
                Appointment.user_id == user_id,
                Appointment.status == "booked",
                Appointment.slot_id.in_(
                    select(AppointmentSlot.id).where(AppointmentSlot.starts_at > now)
                ),
            )
            .returning(Appointment.slot_id),
            now,
            appointment_repository.free_place,
        ),
        "registrations_cancelled": await _cancel_and_free(
            session,
            update(EventRegistration)
            .where(
                EventRegistration.user_id == user_id,
                EventRegistration.status == "registered",
                EventRegistration.event_id.in_(
                    select(RecruitmentEvent.id).where(RecruitmentEvent.starts_at > now)
                ),
            )
            .returning(EventRegistration.event_id),
            now,
            events_repository.free_registration,
        ),
        "enrolments_cancelled": await _cancel_and_free(
            session,
            update(TrainingEnrolment)
            .where(
                TrainingEnrolment.user_id == user_id,
                TrainingEnrolment.status == "enrolled",
                TrainingEnrolment.course_id.in_(
                    select(TrainingCourse.id).where(TrainingCourse.starts_on > local_date(now))
                ),
            )
            .returning(TrainingEnrolment.course_id),
            now,
            training_repository.free_seat,
        ),
    }
    notes = await _count(
        session, update(Appointment).where(Appointment.user_id == user_id).values(note=None)
    )
    return {**cancelled, "appointment_notes": notes}


async def erase_files(session: AsyncSession, user_id: uuid.UUID) -> tuple[list[str], int]:
    """Delete the person's uploads except subsidy materials and business licences (kept as
    records, without their original names). Returns the storage keys to remove and the kept."""
    kept = exists().where(SubsidyApplicationFile.file_id == StoredFile.id) | exists().where(
        Employer.licence_file_id == StoredFile.id
    )
    # Avatars, logos and job photos the person uploaded go too: the references are cleared by
    # the database (SET NULL, job_photo rows CASCADE), so those pages show no picture.
    removed = await session.execute(
        delete(StoredFile)
        .where(StoredFile.owner_user_id == user_id, ~kept)
        .returning(StoredFile.storage_key, StoredFile.thumbnail_key)
    )
    keys = [key for row in removed.all() for key in row if key is not None]
    renamed = await _count(
        session,
        update(StoredFile).where(StoredFile.owner_user_id == user_id).values(original_name=None),
    )
    return keys, renamed


async def erase_subsidy_notes(session: AsyncSession, user_id: uuid.UUID) -> dict[str, int]:
    """Applications stay (public funds); the free-text note the person wrote goes."""
    return {
        "subsidy_notes": await _count(
            session,
            update(SubsidyApplication)
            .where(
                SubsidyApplication.applicant_user_id == user_id,
                SubsidyApplication.note.is_not(None),
            )
            .values(note=None),
        )
    }
