"""Internships (就业见习): host units record their interns; the clause 11 facts come out.

An internship post is a job of type ``internship`` (app.jobs: ``internship_months``,
``internship_allowance_fen``). A member of the verified host unit enrols an intern who applied to
that job; the months and allowance are copied from the job at that moment.
"""

from __future__ import annotations

import calendar
import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import Clock, local_date
from app.core.keyset import DATE_ID, TIME_ID
from app.core.pagination import Page
from app.employers.models import Employer
from app.identity.models import User
from app.internships import errors
from app.internships import repository as repo
from app.internships.models import InternshipEnrolment
from app.internships.schemas import (
    InternFacts,
    InternshipCreate,
    InternshipFacts,
    InternshipPost,
    InternshipRead,
    InternshipStage,
    InternshipUpdate,
)
from app.jobs.models import Job
from app.training.service import person_key


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _stage(intern: InternshipEnrolment, today: date) -> InternshipStage:
    if intern.contract_signed_on is not None:
        return "signed_early"
    if intern.left_on is not None:
        return "left_early"
    if today < intern.start_date:
        return "upcoming"
    return "active" if today <= intern.end_date else "finished"


def _read(row: repo.InternRow, today: date) -> InternshipRead:
    intern, job, employer, user = row
    return InternshipRead(
        id=intern.id,
        job_id=job.id,
        job_title=job.title,
        employer_id=employer.id,
        employer_name=employer.name,
        user_id=user.id,
        intern_nickname=user.nickname,
        start_date=intern.start_date,
        agreed_months=intern.agreed_months,
        end_date=intern.end_date,
        monthly_allowance_fen=intern.monthly_allowance_fen,
        contract_signed_on=intern.contract_signed_on,
        left_on=intern.left_on,
        retained=intern.retained,
        stage=_stage(intern, today),
        created_at=intern.created_at,
    )


def _post_key(row: Row[Job, Employer]) -> tuple[datetime, uuid.UUID]:
    job = row[0]
    assert job.published_at is not None  # only published jobs are listed
    return job.published_at, job.id


async def internship_posts(
    session: AsyncSession, clock: Clock, *, cursor: str | None, limit: int
) -> Page[InternshipPost]:
    rows = await repo.internship_posts(
        session, local_date(clock()), before=TIME_ID.decode(cursor), limit=limit + 1
    )
    shown, next_cursor = TIME_ID.cut(rows, limit, key=_post_key)
    items = [
        InternshipPost(
            job_id=job.id,
            title=job.title,
            employer_id=employer.id,
            employer_name=employer.name,
            internship_months=job.internship_months,
            monthly_allowance_fen=job.internship_allowance_fen,
            headcount=job.headcount,
            area_code=job.area_code,
            valid_until=job.valid_until,
            published_at=job.published_at,
        )
        for job, employer in shown
    ]
    return Page[InternshipPost](items=items, next_cursor=next_cursor)


async def _host(session: AsyncSession, employer_id: uuid.UUID, user: User) -> Employer:
    employer = await repo.member_employer(session, employer_id, user.id)
    if employer is None:
        raise errors.NotHostMember()
    return employer


async def enrol_intern(
    session: AsyncSession, clock: Clock, user: User, employer_id: uuid.UUID, body: InternshipCreate
) -> InternshipRead:
    employer = await _host(session, employer_id, user)
    if not employer.is_verified:
        raise errors.HostNotVerified()
    found = await repo.application_for_employer(session, body.application_id, employer.id)
    if found is None:
        raise errors.InternshipApplicationInvalid()
    application, job, intern = found
    if (
        job.job_type != "internship"
        or not job.internship_months
        or application.status in ("withdrawn", "rejected")
    ):
        raise errors.InternshipApplicationInvalid(details={"job_type": job.job_type})
    if intern.id_number_hash is None:
        raise errors.InternRealNameRequired()
    months = job.internship_months
    internship_id = await repo.insert_intern(
        session,
        {
            "job_id": job.id,
            "employer_id": employer.id,
            "user_id": intern.id,
            "application_id": application.id,
            "start_date": body.start_date,
            "agreed_months": months,
            "end_date": add_months(body.start_date, months) - timedelta(days=1),
            "monthly_allowance_fen": job.internship_allowance_fen or 0,
            "recorded_by": user.id,
        },
    )
    if internship_id is None:
        raise errors.InternshipExists()
    return await get_intern(session, clock, user, employer.id, internship_id)


async def get_intern(
    session: AsyncSession,
    clock: Clock,
    user: User,
    employer_id: uuid.UUID,
    internship_id: uuid.UUID,
) -> InternshipRead:
    await _host(session, employer_id, user)
    row = await repo.get_intern(session, internship_id, employer_id=employer_id)
    if row is None:
        raise errors.InternshipNotFound()
    return _read(row, local_date(clock()))


async def update_intern(
    session: AsyncSession,
    clock: Clock,
    user: User,
    employer_id: uuid.UUID,
    internship_id: uuid.UUID,
    body: InternshipUpdate,
) -> InternshipRead:
    """Record an early contract, an early leave, or the retention at the end."""
    await _host(session, employer_id, user)
    row = await repo.get_intern(session, internship_id, employer_id=employer_id, lock=True)
    if row is None:
        raise errors.InternshipNotFound()
    intern = row[0]
    for name, value in body.model_dump().items():
        setattr(intern, name, value)
    for day in (intern.contract_signed_on, intern.left_on):
        if day is not None and not intern.start_date <= day <= intern.end_date:
            raise errors.InternshipDatesInvalid(details={"date": day.isoformat()})
    if intern.contract_signed_on is not None and intern.left_on is not None:
        raise errors.InternshipDatesInvalid(message="提前签订劳动合同与提前离开不能同时填写")
    if intern.contract_signed_on is not None and intern.retained is None:
        intern.retained = True
    await session.flush()
    return await get_intern(session, clock, user, employer_id, intern.id)


async def host_interns(
    session: AsyncSession,
    clock: Clock,
    user: User,
    employer_id: uuid.UUID,
    *,
    cursor: str | None,
    limit: int,
) -> Page[InternshipRead]:
    await _host(session, employer_id, user)
    rows = await repo.interns(
        session, employer_id=employer_id, after=DATE_ID.decode(cursor), limit=limit + 1
    )
    today = local_date(clock())
    return DATE_ID.page(
        rows, limit, key=lambda r: (r[0].start_date, r[0].id), item=lambda r: _read(r, today)
    )


async def my_internships(session: AsyncSession, clock: Clock, user: User) -> list[InternshipRead]:
    today = local_date(clock())
    return [_read(r, today) for r in await repo.interns(session, user_id=user.id, limit=100)]


async def facts_for_member(
    session: AsyncSession, clock: Clock, user: User, employer_id: uuid.UUID
) -> InternshipFacts:
    employer = await _host(session, employer_id, user)
    return await facts(session, clock, employer)


async def facts(session: AsyncSession, clock: Clock, employer: Employer) -> InternshipFacts:
    """Per intern: months, early-contract date, early leave, retention (clause 11)."""
    rows = await repo.interns(session, employer_id=employer.id)
    today = local_date(clock())
    interns = [
        InternFacts(
            person_key=person_key(user),
            start_date=intern.start_date,
            agreed_months=intern.agreed_months,
            contract_signed_on=intern.contract_signed_on,
            left_on=intern.left_on,
            retained=intern.retained,
        )
        for intern, _, _, user in rows
    ]
    ended = [
        r[0] for r in rows if _stage(r[0], today) in ("signed_early", "left_early", "finished")
    ]
    kept = sum(1 for i in ended if i.contract_signed_on is not None or i.retained)
    return InternshipFacts(
        employer_id=employer.id,
        organisation_key=employer.credit_code,
        organisation_name=employer.name,
        is_sme=employer.is_sme,
        interns=interns,
        finished=len(ended),
        retained=kept,
        retention_rate=round(kept / len(ended), 4) if ended else None,
    )
