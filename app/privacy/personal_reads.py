"""Reads of everything held about one person, for the copy (个人信息副本). Mirrors the map in
``app.privacy.personal_data``: a table added there is read here too."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications.models import EmploymentEvent, JobApplication
from app.complaints.models import Complaint
from app.employers.models import Employer, EmployerMember
from app.events.models import EventRegistration
from app.files.models import StoredFile
from app.gigs.models import Gig, GigApplication, GigBooking, GigRating, GigWorkerProfile
from app.internships.models import InternshipEnrolment
from app.jobs.models import Job, JobFavourite, JobReport, SavedSearch
from app.service_desk.models import Appointment
from app.subsidies.models import SubsidyApplication, SubsidyAward
from app.training.models import TrainingEnrolment


async def _all(session: AsyncSession, stmt: Any) -> list[Any]:
    return list((await session.execute(stmt)).scalars())


async def _mapped(session: AsyncSession, stmt: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in (await session.execute(stmt)).mappings()]


async def job_applications(session: AsyncSession, user_id: uuid.UUID) -> list[dict[str, Any]]:
    stmt = (
        select(
            JobApplication.id,
            JobApplication.job_id,
            Job.title.label("job_title"),
            Employer.name.label("employer_name"),
            JobApplication.status,
            JobApplication.created_at,
            JobApplication.status_changed_at,
            JobApplication.resume_snapshot,
        )
        .join(Job, Job.id == JobApplication.job_id)
        .join(Employer, Employer.id == JobApplication.employer_id)
        .where(JobApplication.user_id == user_id)
        .order_by(JobApplication.created_at)
    )
    return await _mapped(session, stmt)


async def memberships(session: AsyncSession, user_id: uuid.UUID) -> list[dict[str, Any]]:
    stmt = (
        select(
            EmployerMember.employer_id,
            Employer.name.label("employer_name"),
            EmployerMember.role,
            EmployerMember.created_at,
        )
        .join(Employer, Employer.id == EmployerMember.employer_id)
        .where(EmployerMember.user_id == user_id)
        .order_by(EmployerMember.created_at)
    )
    return await _mapped(session, stmt)


async def employment(session: AsyncSession, user_id: uuid.UUID) -> list[EmploymentEvent]:
    return await _all(session, select(EmploymentEvent).where(EmploymentEvent.user_id == user_id))


async def internships(session: AsyncSession, user_id: uuid.UUID) -> list[InternshipEnrolment]:
    return await _all(
        session, select(InternshipEnrolment).where(InternshipEnrolment.user_id == user_id)
    )


async def favourites(session: AsyncSession, user_id: uuid.UUID) -> list[JobFavourite]:
    return await _all(session, select(JobFavourite).where(JobFavourite.user_id == user_id))


async def saved_searches(session: AsyncSession, user_id: uuid.UUID) -> list[SavedSearch]:
    return await _all(session, select(SavedSearch).where(SavedSearch.user_id == user_id))


async def job_reports(session: AsyncSession, user_id: uuid.UUID) -> list[JobReport]:
    return await _all(session, select(JobReport).where(JobReport.reporter_id == user_id))


async def gig_profile(session: AsyncSession, user_id: uuid.UUID) -> GigWorkerProfile | None:
    stmt = select(GigWorkerProfile).where(GigWorkerProfile.user_id == user_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def gigs_posted(session: AsyncSession, user_id: uuid.UUID) -> list[Gig]:
    return await _all(session, select(Gig).where(Gig.poster_id == user_id))


async def gig_applications(session: AsyncSession, user_id: uuid.UUID) -> list[GigApplication]:
    return await _all(session, select(GigApplication).where(GigApplication.worker_id == user_id))


async def gig_bookings(session: AsyncSession, user_id: uuid.UUID) -> list[GigBooking]:
    return await _all(session, select(GigBooking).where(GigBooking.worker_id == user_id))


async def gig_ratings(
    session: AsyncSession, user_id: uuid.UUID
) -> tuple[list[GigRating], list[GigRating]]:
    given = await _all(session, select(GigRating).where(GigRating.rater_id == user_id))
    received = await _all(session, select(GigRating).where(GigRating.ratee_id == user_id))
    return given, received


async def appointments(session: AsyncSession, user_id: uuid.UUID) -> list[Appointment]:
    return await _all(session, select(Appointment).where(Appointment.user_id == user_id))


async def registrations(session: AsyncSession, user_id: uuid.UUID) -> list[EventRegistration]:
    stmt = select(EventRegistration).where(EventRegistration.user_id == user_id)
    return await _all(session, stmt)


async def enrolments(session: AsyncSession, user_id: uuid.UUID) -> list[TrainingEnrolment]:
    stmt = select(TrainingEnrolment).where(TrainingEnrolment.user_id == user_id)
    return await _all(session, stmt)


async def complaints(session: AsyncSession, user_id: uuid.UUID) -> list[Complaint]:
    return await _all(session, select(Complaint).where(Complaint.complainant_id == user_id))


async def subsidy_applications(
    session: AsyncSession, user_id: uuid.UUID
) -> list[SubsidyApplication]:
    stmt = select(SubsidyApplication).where(SubsidyApplication.applicant_user_id == user_id)
    return await _all(session, stmt)


async def subsidy_awards(session: AsyncSession, user_id: uuid.UUID) -> list[SubsidyAward]:
    stmt = (
        select(SubsidyAward)
        .join(SubsidyApplication, SubsidyApplication.id == SubsidyAward.application_id)
        .where(SubsidyApplication.applicant_user_id == user_id)
    )
    return await _all(session, stmt)


async def files(session: AsyncSession, user_id: uuid.UUID) -> list[StoredFile]:
    return await _all(session, select(StoredFile).where(StoredFile.owner_user_id == user_id))
