"""Turn gig rows into response bodies: names from the taxonomy, masks on personal data."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row

from app.core.security import Security
from app.gigs.models import Gig, GigOccurrence, GigPosterStats, GigWorkerProfile
from app.gigs.schedule import format_hhmm
from app.gigs.schemas import (
    AvailabilityWindow,
    GigAdminItem,
    GigListItem,
    GigProfileRead,
    OccurrenceRead,
    SkillCertificateRead,
    SkillRequirementRead,
    TrackRead,
    WorkerSkillRead,
)
from app.gigs.scoring import Requirement, Track, WorkerSkill, completion_rate
from app.identity.masking import mask_name, mask_phone
from app.identity.models import User
from app.identity.profile import phone_from, real_name_from
from app.taxonomy import PayUnit, SkillLevel, certificates_by_code, skills_by_code
from app.taxonomy.pay import format_pay


def certificate_read(code: str) -> SkillCertificateRead:
    cert = certificates_by_code().get(code)
    return SkillCertificateRead(code=code, name=cert.name if cert else code)


def worker_skill_reads(skills: Sequence[dict[str, Any]]) -> list[WorkerSkillRead]:
    out = []
    for item in skills:
        skill = skills_by_code().get(item["code"])
        out.append(
            WorkerSkillRead(
                code=item["code"],
                name=skill.name if skill else item["code"],
                level=item["level"],
                level_name=SkillLevel(item["level"]).label,
                certificates=[certificate_read(c) for c in item.get("certificates", [])],
            )
        )
    return out


def worker_skills(skills: Sequence[dict[str, Any]]) -> list[WorkerSkill]:
    return [WorkerSkill(s["code"], s["level"], tuple(s.get("certificates", ()))) for s in skills]


def requirements(required: Sequence[dict[str, Any]]) -> list[Requirement]:
    return [
        Requirement(r["skill"], r.get("min_level"), bool(r.get("certificate_required")))
        for r in required
    ]


def track_of(row: GigWorkerProfile | GigPosterStats | None) -> Track:
    if row is None:
        return Track()
    return Track(
        completed=row.completed_count,
        cancelled=row.cancelled_count,
        late_cancelled=row.late_cancelled_count,
        rating_count=row.rating_count,
        rating_sum=row.rating_sum,
    )


def track_read(track: Track) -> TrackRead:
    rate = completion_rate(track)
    return TrackRead(
        completed_count=track.completed,
        cancelled_count=track.cancelled,
        late_cancelled_count=track.late_cancelled,
        completion_rate=round(rate, 4) if rate is not None else None,
        rating_count=track.rating_count,
        rating_average=(
            round(track.rating_sum / track.rating_count, 2) if track.rating_count else None
        ),
    )


def profile_read(profile: GigWorkerProfile) -> GigProfileRead:
    return GigProfileRead(
        id=profile.id,
        skills=worker_skill_reads(profile.skills),
        availability=[AvailabilityWindow.model_validate(w) for w in profile.availability],
        dates_off=sorted(profile.dates_off),
        home_lat=profile.home_lat,
        home_lng=profile.home_lng,
        area_code=profile.area_code,
        travel_radius_km=profile.travel_radius_km,
        expected_pay_fen=profile.expected_pay_fen,
        expected_pay_unit=profile.expected_pay_unit,
        accepts_same_day=profile.accepts_same_day,
        stats=track_read(track_of(profile)),
        updated_at=profile.updated_at,
    )


def requirement_reads(required: Sequence[dict[str, Any]]) -> list[SkillRequirementRead]:
    out = []
    for item in required:
        skill = skills_by_code().get(item["skill"])
        out.append(
            SkillRequirementRead(
                skill=item["skill"],
                name=skill.name if skill else item["skill"],
                min_level=item.get("min_level"),
                certificate_required=bool(item.get("certificate_required")),
                certificates=[certificate_read(c) for c in (skill.certificates if skill else ())],
            )
        )
    return out


def pay_text(gig: Gig | Row[Any]) -> str:
    return format_pay(gig.pay_fen, gig.pay_fen, PayUnit(gig.pay_unit))


def gig_list_item(
    gig: Gig | Row[Any],
    distance_km: float | None = None,
    required: Sequence[SkillRequirementRead] | None = None,
) -> GigListItem:
    """A gig as lists show it, from the entity or a row with the same columns (``required``:
    its requirements already read)."""
    return GigListItem(
        id=gig.id,
        status=gig.status,
        title=gig.title,
        required_skills=(
            list(required) if required is not None else requirement_reads(gig.required_skills)
        ),
        dates=sorted(gig.work_dates),
        start_time=format_hhmm(gig.start_minute),
        end_time=format_hhmm(gig.end_minute),
        starts_at=gig.starts_at,
        ends_at=gig.ends_at,
        area_code=gig.area_code,
        address=gig.address,
        latitude=gig.latitude,
        longitude=gig.longitude,
        headcount=gig.headcount,
        booked_count=gig.booked_count,
        pay_fen=gig.pay_fen,
        pay_unit=gig.pay_unit,
        pay_text=pay_text(gig),
        settlement=gig.settlement,
        employer_id=gig.employer_id,
        distance_km=round(distance_km, 2) if distance_km is not None else None,
        created_at=gig.created_at,
    )


def admin_item(gig: Gig) -> GigAdminItem:
    """A gig as staff review it: with its poster, full text and moderation findings."""
    return GigAdminItem(
        **gig_list_item(gig).model_dump(),
        poster_id=gig.poster_id,
        description=gig.description,
        moderation=gig.moderation,
    )


def occurrence_reads(rows: Sequence[GigOccurrence]) -> list[OccurrenceRead]:
    return [
        OccurrenceRead(local_date=o.local_date, starts_at=o.starts_at, ends_at=o.ends_at)
        for o in rows
    ]


def contact_of(security: Security, user: User, *, revealed: bool) -> tuple[str, str | None]:
    """(name, phone), masked unless ``revealed``."""
    return contact_from(
        security,
        user.nickname,
        user.real_name_encrypted,
        user.phone_encrypted,
        revealed=revealed,
    )


def contact_from(
    security: Security,
    nickname: str | None,
    real_name_encrypted: str | None,
    phone_encrypted: str | None,
    *,
    revealed: bool,
) -> tuple[str, str | None]:
    """``contact_of`` from a row's columns: the real name when verified, else the nickname,
    else a placeholder; the phone; both masked unless ``revealed``."""
    name = real_name_from(security, real_name_encrypted) or nickname or "零工"
    phone = phone_from(security, phone_encrypted)
    if revealed:
        return name, phone
    return mask_name(name), mask_phone(phone) if phone else None


GIG_CONTACT_PHONE = "gig.contact_phone"
"""The AES-GCM context of ``Gig.contact_phone_encrypted`` (a sealed value fits no other column)."""


def seal_contact_phone(security: Security, phone: str) -> str:
    return security.cipher.encrypt(phone, context=GIG_CONTACT_PHONE)


def contact_phone_of(security: Security, gig: Gig) -> str:
    """The contact phone in clear; empty once the poster's account was erased."""
    if not gig.contact_phone_encrypted:
        return ""
    return security.cipher.decrypt(gig.contact_phone_encrypted, context=GIG_CONTACT_PHONE)


def masked_contact_phone(security: Security, gig: Gig, revealed: bool) -> str:
    phone = contact_phone_of(security, gig)
    return phone if revealed else mask_phone(phone)


def sorted_dates(values: Sequence[date]) -> list[date]:
    return sorted(values)
