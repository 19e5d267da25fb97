"""Job rules: publish (after moderation), edit, close, expire, read."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import Clock, local_date
from app.core.keyset import TIME_ID, created_key
from app.core.pagination import Page
from app.employers import repository as employer_repository
from app.employers import service as employer_service
from app.employers.models import SME_SIZE_CLASSES, Employer
from app.employers.schemas import EmployerSummary
from app.files.pictures import usable_pictures
from app.identity.models import User
from app.integrations.wechat.client import WeChatClient
from app.jobs import errors, notices, repository
from app.jobs.documents import refresh_terms
from app.jobs.models import Job
from app.jobs.moderation import Verdict, moderate
from app.jobs.schemas import JobCreate, JobRead, JobUpdate, moderation_read
from app.taxonomy import (
    PayUnit,
    areas_by_code,
    benefits_by_code,
    get_occupation,
    industries_by_code,
    to_monthly_fen,
)

MAX_VALIDITY_DAYS = 180
TEXT_FIELDS = ("title", "description")
EMPLOYER_SUMMARY_FIELDS = (
    "name", "kind", "size_class", "industry_code", "area_code", "address", "latitude",
    "longitude", "description", "logo_file_id",
)  # fmt: skip
PHOTO = "job_photo"


def _check_codes(fields: dict[str, Any]) -> None:
    occupation = get_occupation(fields["occupation_code"])
    if occupation is None:
        raise errors.UnknownOccupation(details={"occupation_code": fields["occupation_code"]})
    fields["occupation_category"] = occupation.category
    if fields["industry_code"] not in industries_by_code():
        raise errors.UnknownIndustry(details={"industry_code": fields["industry_code"]})
    if fields["area_code"] not in areas_by_code():
        raise errors.UnknownArea(details={"area_code": fields["area_code"]})
    unknown = [code for code in fields["benefits"] if code not in benefits_by_code()]
    if unknown:
        raise errors.UnknownBenefit(details={"benefits": unknown})
    fields["benefits"] = list(dict.fromkeys(fields["benefits"]))


def _check_terms(fields: dict[str, Any], today: date) -> None:
    if fields["salary_min_fen"] > fields["salary_max_fen"]:
        raise errors.SalaryRangeInvalid()
    internship = fields["job_type"] == "internship"
    has_months = fields["internship_months"] is not None
    has_allowance = fields["internship_allowance_fen"] is not None
    if internship != has_months or internship != has_allowance:
        raise errors.InternshipFieldsInvalid()
    if not today <= fields["valid_until"] <= today + timedelta(days=MAX_VALIDITY_DAYS):
        raise errors.ValidUntilInvalid(details={"today": today.isoformat()})
    unit = PayUnit(fields["salary_unit"])
    fields["monthly_salary_min_fen"] = _monthly(fields["salary_min_fen"], unit)
    fields["monthly_salary_max_fen"] = _monthly(fields["salary_max_fen"], unit)


def _monthly(amount_fen: int, unit: PayUnit) -> int:
    monthly = to_monthly_fen(amount_fen, unit)
    return min(monthly if monthly is not None else amount_fen, 2_000_000_000)


def validated_fields(fields: dict[str, Any], employer: Employer, today: date) -> dict[str, Any]:
    """The posting's columns after the taxonomy and consistency checks (422 on a mistake)."""
    fields = dict(fields)
    fields["industry_code"] = fields.get("industry_code") or employer.industry_code
    _check_codes(fields)
    _check_terms(fields, today)
    return fields


def _apply_verdict(job: Job, verdict: Verdict, now: datetime) -> None:
    was_published = job.status == "published"
    job.status = verdict.status
    job.moderation = verdict.record
    if verdict.status == "published" and not was_published:
        job.published_at = now


async def create_job(
    session: AsyncSession, clock: Clock, wechat: WeChatClient, user: User, body: JobCreate
) -> Job:
    """Moderate and store a posting: published, or held for staff (refusals store nothing)."""
    now = clock()
    employer = await employer_service.require_publisher(session, body.employer_id, user)
    values = body.model_dump(exclude={"employer_id", "photo_file_ids"})
    fields = validated_fields(values, employer, local_date(now))
    photos = await usable_pictures(session, body.photo_file_ids, owner_id=user.id, purpose=PHOTO)
    verdict = await moderate(wechat, user.openid, fields, previous=None, now=now)
    job = Job(employer_id=employer.id, created_by=user.id, **fields)
    job.status = "pending_review"
    _apply_verdict(job, verdict, now)
    session.add(job)
    await refresh_terms(session, job, employer)
    await repository.replace_photos(session, job.id, photos)
    await session.refresh(job)
    return job


async def update_job(
    session: AsyncSession,
    clock: Clock,
    wechat: WeChatClient,
    user: User,
    job_id: uuid.UUID,
    body: JobUpdate,
) -> Job:
    """Replace a posting's fields; the rules run again, and WeChat again when the text changed."""
    now = clock()
    job = await repository.get_for_member_update(session, job_id, user.id)
    if job is None:
        raise errors.JobNotFound()
    if job.status == "closed":
        raise errors.JobClosed()
    employer = await employer_service.require_publisher(session, job.employer_id, user)
    data = body.model_dump()
    await _update_photos(session, user, job.id, data.pop("photo_file_ids"))
    fields = validated_fields(data, employer, local_date(now))
    text_changed = any(fields[name] != getattr(job, name) for name in TEXT_FIELDS)
    previous = None if text_changed or job.status == "rejected" else job.moderation
    verdict = await moderate(wechat, user.openid, fields, previous=previous, now=now)
    for name, value in fields.items():
        setattr(job, name, value)
    _apply_verdict(job, verdict, now)
    await refresh_terms(session, job, employer)
    await session.refresh(job)
    return job


async def _update_photos(
    session: AsyncSession, user: User, job_id: uuid.UUID, photo_ids: list[uuid.UUID] | None
) -> None:
    """Replace the photos when a new list was sent; photos already on the job may stay."""
    if photo_ids is None:
        return
    attached = (await repository.photo_ids(session, [job_id])).get(job_id, [])
    photos = await usable_pictures(
        session, photo_ids, owner_id=user.id, purpose=PHOTO, attached=attached
    )
    await repository.replace_photos(session, job_id, photos)


async def close_job(session: AsyncSession, clock: Clock, user: User, job_id: uuid.UUID) -> Job:
    """Take a posting down for good (closing twice is harmless)."""
    job = await repository.get_for_member_update(session, job_id, user.id)
    if job is None:
        raise errors.JobNotFound()
    if job.status != "closed":
        job.status = "closed"
        job.closed_at = clock()
        await session.flush()
        await notices.job_closed(session, job.closed_at, job)
        await session.refresh(job)
    return job


async def expire_jobs(session: AsyncSession, clock: Clock) -> int:
    """Close published jobs past their last valid day (a worker may call this nightly).

    Queries already hide them from the moment they expire; this only tidies the status.
    """
    now = clock()
    closed = await repository.close_expired(session, local_date(now), now)
    for job_id in closed:
        job = await session.get(Job, job_id)
        assert job is not None
        await notices.job_closed(session, now, job)
    return len(closed)


def _job_read(
    job: Mapping[str, Any], employer: EmployerSummary, today: date, *, show_moderation: bool
) -> JobRead:
    expired = job["valid_until"] < today
    data = {name: job[name] for name in JobRead.model_fields if name in job}
    data.update(
        employer=employer,
        is_expired=expired,
        can_apply=job["status"] == "published" and not expired,
        moderation=moderation_read(job["moderation"]) if show_moderation else None,
    )
    return JobRead.model_validate(data)


def job_read(
    job: Job,
    employer: Employer,
    today: date,
    *,
    show_moderation: bool,
    photo_ids: list[uuid.UUID],
) -> JobRead:
    values = {name: getattr(job, name) for name in JobRead.model_fields if hasattr(job, name)}
    values["photo_file_ids"] = photo_ids
    summary = EmployerSummary.model_validate(employer)
    return _job_read(values, summary, today, show_moderation=show_moderation)


def _employer_summary(row: Mapping[str, Any]) -> EmployerSummary:
    fields = {name: row[f"employer_{name}"] for name in EMPLOYER_SUMMARY_FIELDS}
    return EmployerSummary(
        id=row["employer_id"],
        is_sme=row["employer_size_class"] in SME_SIZE_CLASSES,
        is_verified=row["employer_status"] == "verified",
        **fields,
    )


async def read_job(
    session: AsyncSession,
    clock: Clock,
    job_id: uuid.UUID,
    viewer: User | None,
    *,
    staff: bool = False,
) -> JobRead:
    """A job as ``viewer`` may see it: unpublished ones only for members and staff (else 404)."""
    row = await repository.detail_row(session, job_id, viewer.id if viewer else None, staff=staff)
    if row is None:
        raise errors.JobNotFound()
    return detail_from_row(row._mapping, local_date(clock()), staff=staff)


def detail_from_row(row: Mapping[str, Any], today: date, *, staff: bool = False) -> JobRead:
    """The detail of one row of ``repository.detail_row`` (or its driver-level twin)."""
    values = dict(row)
    values["photo_file_ids"] = values["photo_file_ids"] or []
    show = staff or bool(values["viewer_is_member"])
    return _job_read(values, _employer_summary(values), today, show_moderation=show)


async def employer_jobs(
    session: AsyncSession,
    clock: Clock,
    user: User,
    employer_id: uuid.UUID,
    cursor: str | None,
    limit: int,
) -> Page[JobRead]:
    """Every job of an employer, for its members (404 for anyone else)."""
    await employer_service.require_role(session, employer_id, user)
    employer = await employer_repository.get(session, employer_id)
    assert employer is not None
    after = TIME_ID.decode(cursor)
    jobs = await repository.list_for_employer(session, employer_id, after, limit + 1)
    photos = await repository.photo_ids(session, [job.id for job in jobs])
    today = local_date(clock())
    return TIME_ID.page(
        jobs,
        limit,
        key=created_key,
        item=lambda job: job_read(
            job, employer, today, show_moderation=True, photo_ids=photos.get(job.id, [])
        ),
    )
