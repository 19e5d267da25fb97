"""个人信息副本 (PIPL art. 45): everything held about the caller, as one typed document.

It is the person's own data, so phone, name and ID number are given in full; like every unmasked
read of an ID number, the export leaves an audit record (``identity.exported``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.applications import repository as applications_repository
from app.applications.resume_service import resume_read
from app.audit import service as audit
from app.core.security import Security
from app.identity.models import User
from app.identity.profile import id_number_of, phone_of, real_name_of
from app.identity.roles import roles_for
from app.identity.schemas import ContactPreferences
from app.privacy import personal_reads as reads
from app.privacy.schemas import (
    AccountExport,
    ExportProfile,
    ExportRealName,
)


def _profile(security: Security, user: User, roles: list[str]) -> ExportProfile:
    return ExportProfile(
        id=user.id,
        wechat_openid=user.openid,
        nickname=user.nickname,
        avatar_url=user.avatar_url,
        gender=user.gender,
        phone=phone_of(security, user),
        phone_bound_at=user.phone_bound_at,
        roles=roles,
        created_at=user.created_at,
        last_login_at=user.last_login_at,
    )


def _real_name(security: Security, user: User) -> ExportRealName | None:
    name, number = real_name_of(security, user), id_number_of(security, user)
    if name is None or number is None:
        return None
    return ExportRealName(
        name=name,
        id_number=number,
        birth_date=user.birth_date,
        sex=user.sex,
        verified_at=user.real_name_verified_at,
    )


def _consents(user: User) -> ContactPreferences:
    known = ContactPreferences.model_fields
    return ContactPreferences(**{k: v for k, v in user.contact_preferences.items() if k in known})


async def _domains(session: AsyncSession, user: User) -> dict[str, Any]:
    """Each domain's rows about the person, keyed like ``AccountExport``."""
    uid = user.id
    resume = await applications_repository.get_resume(session, uid)
    given, received = await reads.gig_ratings(session, uid)
    return {
        "resume": resume_read(resume) if resume is not None else None,
        "job_applications": await reads.job_applications(session, uid),
        "employment": await reads.employment(session, uid),
        "internships": await reads.internships(session, uid),
        "favourites": await reads.favourites(session, uid),
        "saved_searches": await reads.saved_searches(session, uid),
        "job_reports": await reads.job_reports(session, uid),
        "employer_memberships": await reads.memberships(session, uid),
        "gig_profile": await reads.gig_profile(session, uid),
        "gigs_posted": await reads.gigs_posted(session, uid),
        "gig_applications": await reads.gig_applications(session, uid),
        "gig_bookings": await reads.gig_bookings(session, uid),
        "gig_ratings_given": given,
        "gig_ratings_received": received,
        "appointments": await reads.appointments(session, uid),
        "event_registrations": await reads.registrations(session, uid),
        "training_enrolments": await reads.enrolments(session, uid),
        "complaints": await reads.complaints(session, uid),
        "subsidy_applications": await reads.subsidy_applications(session, uid),
        "subsidy_awards": await reads.subsidy_awards(session, uid),
        "files": await reads.files(session, uid),
    }


async def export_account(
    session: AsyncSession, security: Security, user: User, now: datetime
) -> AccountExport:
    document = AccountExport.model_validate(
        {
            "exported_at": now,
            "profile": _profile(security, user, await roles_for(session, user.id)),
            "real_name": _real_name(security, user),
            "consents": _consents(user),
            **await _domains(session, user),
        }
    )
    await audit.record(
        session,
        actor_kind="user",
        actor_id=user.id,
        action="identity.exported",
        subject_kind="user",
        subject_id=user.id,
        details={"unmasked": document.real_name is not None},
    )
    return document
