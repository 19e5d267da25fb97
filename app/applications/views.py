"""How applications read to each side, and when an employer may see a person's name and phone.

An employer sees an applicant's real name and phone in full only because the person applied to
that employer: the application must still be open to them (not withdrawn) and the person must not
have switched off phone calls in their contact preferences. Otherwise both stay masked.
"""

from __future__ import annotations

from datetime import date

from app.applications.models import ApplicationStatusChange, EmploymentEvent, JobApplication
from app.applications.pipeline import Actor
from app.applications.resume_service import read_snapshot
from app.applications.schemas import (
    ApplicantContact,
    ApplicationDetail,
    EmployerApplicationItem,
    EmploymentRead,
    JobSummary,
    MyApplicationItem,
    StatusChangeRead,
)
from app.core.security import Security
from app.employers.models import Employer
from app.identity.masking import mask_name, mask_phone
from app.identity.models import User
from app.identity.profile import phone_of, real_name_of
from app.jobs.models import Job


def job_is_open(job: Job, today: date) -> bool:
    return job.status == "published" and job.valid_until >= today


def job_summary(job: Job, employer: Employer, today: date) -> JobSummary:
    return JobSummary(
        id=job.id,
        title=job.title,
        employer_id=employer.id,
        employer_name=employer.name,
        salary_min_fen=job.salary_min_fen,
        salary_max_fen=job.salary_max_fen,
        salary_unit=job.salary_unit,
        area_code=job.area_code,
        valid_until=job.valid_until,
        is_open=job_is_open(job, today),
    )


def contact_visible(application: JobApplication, applicant: User) -> bool:
    """Whether the employer of ``application`` may see the applicant's name and phone in full."""
    allows_calls = applicant.contact_preferences.get("allow_phone_calls", True) is not False
    return application.status != "withdrawn" and allows_calls


def applicant_contact(
    security: Security, application: JobApplication, applicant: User
) -> ApplicantContact:
    phone = phone_of(security, applicant)
    real_name = real_name_of(security, applicant)
    visible = contact_visible(application, applicant)
    if visible:
        name = real_name or applicant.nickname
    else:
        name = mask_name(real_name) if real_name else applicant.nickname
        phone = mask_phone(phone) if phone else None
    return ApplicantContact(user_id=applicant.id, name=name, phone=phone, contact_visible=visible)


def my_item(
    application: JobApplication, job: Job, employer: Employer, today: date
) -> MyApplicationItem:
    return MyApplicationItem.model_validate(
        {**_base(application), "job": job_summary(job, employer, today)}
    )


def employer_item(
    security: Security, application: JobApplication, applicant: User
) -> EmployerApplicationItem:
    return EmployerApplicationItem.model_validate(
        {
            **_base(application),
            "applicant": applicant_contact(security, application, applicant),
            "resume": read_snapshot(application.resume_snapshot),
        }
    )


def detail(
    *,
    viewer_role: Actor,
    application: JobApplication,
    job: Job,
    employer: Employer,
    history: list[ApplicationStatusChange],
    employment: EmploymentEvent | None,
    contact: ApplicantContact | None,
    today: date,
) -> ApplicationDetail:
    return ApplicationDetail.model_validate(
        {
            **_base(application),
            "viewer_role": viewer_role,
            "job": job_summary(job, employer, today),
            "resume": read_snapshot(application.resume_snapshot),
            "applicant": contact,
            "history": [StatusChangeRead.model_validate(row) for row in history],
            "employment": EmploymentRead.model_validate(employment) if employment else None,
        }
    )


def _base(application: JobApplication) -> dict[str, object]:
    return {
        "id": application.id,
        "job_id": application.job_id,
        "status": application.status,
        "created_at": application.created_at,
        "status_changed_at": application.status_changed_at,
    }
