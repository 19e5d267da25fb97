"""岗位清单 "有活没人干": live postings and open gigs not filled after N days or with few
applicants, grouped by occupation, area and employer, with staff follow-ups (audited).

One UNION ALL of jobs and gigs (common columns) is the set; the list and every grouping are
SQL over that set, so the groups always add up to ``total``.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, Subquery, and_, func, literal, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications.models import EmploymentEvent, JobApplication
from app.audit import service as audit
from app.bureau.errors import PostingNotFound
from app.bureau.market import job_live, skill_map_table
from app.bureau.models import VacancyFollowUp
from app.bureau.schemas import (
    VacancyFollowUpCreate,
    VacancyFollowUpRead,
    VacancyGroup,
    VacancyList,
    VacancyRead,
)
from app.core.clock import local_date
from app.employers.models import Employer
from app.gigs.models import Gig, GigApplication
from app.identity.models import StaffAccount
from app.jobs.models import Job
from app.taxonomy.loader import areas_by_code, occupations_by_code

PostingKind = Literal["job", "gig"]


def _postings(now: datetime) -> Subquery:
    skill_map = skill_map_table()
    jobs = select(
        literal("job").label("kind"),
        Job.id,
        Job.title,
        Job.occupation_code,
        Job.area_code,
        Job.employer_id,
        Job.headcount,
        select(func.count())
        .where(EmploymentEvent.job_id == Job.id)
        .scalar_subquery()
        .label("filled"),
        select(func.count())
        .where(JobApplication.job_id == Job.id)
        .scalar_subquery()
        .label("applications"),
        Job.published_at,
    ).where(job_live(now))
    gigs = (
        select(
            literal("gig").label("kind"),
            Gig.id,
            Gig.title,
            skill_map.c.occupation_code,
            Gig.area_code,
            Gig.employer_id,
            Gig.headcount,
            Gig.booked_count.label("filled"),
            select(func.count())
            .where(GigApplication.gig_id == Gig.id)
            .scalar_subquery()
            .label("applications"),
            Gig.created_at.label("published_at"),
        )
        .select_from(Gig)
        .outerjoin(skill_map, skill_map.c.skill_code == Gig.required_skill_codes[1])
        .where(Gig.status == "open", Gig.starts_at > now)
    )
    return union_all(jobs, gigs).subquery("posting")


def _hard_to_fill(
    p: Subquery, now: datetime, unfilled_days: int, max_applicants: int
) -> tuple[ColumnElement[bool], ColumnElement[bool], ColumnElement[bool]]:
    long_unfilled = p.c.published_at <= now - timedelta(days=unfilled_days)
    few = p.c.applications <= max_applicants
    return and_(p.c.filled < p.c.headcount, or_(long_unfilled, few)), long_unfilled, few


async def _groups(
    session: AsyncSession, p: Subquery, where: ColumnElement[bool], key: Any
) -> list[tuple[Any, int, int]]:
    rows = await session.execute(
        select(key, func.count(), func.sum(p.c.headcount - p.c.filled))
        .where(where)
        .group_by(key)
        .order_by(func.sum(p.c.headcount - p.c.filled).desc(), key)
    )
    return [(k, int(n), int(unfilled)) for k, n, unfilled in rows]


def _follow_up_of(p: Subquery) -> ColumnElement[bool]:
    return or_(VacancyFollowUp.job_id == p.c.id, VacancyFollowUp.gig_id == p.c.id)


async def vacancy_list(
    session: AsyncSession,
    now: datetime,
    *,
    unfilled_days: int,
    max_applicants: int,
    kind: PostingKind | None,
    occupation: str | None,
    area: str | None,
    limit: int,
) -> VacancyList:
    p = _postings(now)
    where, long_unfilled, few = _hard_to_fill(p, now, unfilled_days, max_applicants)
    for column, value in (
        (p.c.kind, kind),
        (p.c.occupation_code, occupation),
        (p.c.area_code, area),
    ):
        if value is not None:
            where = and_(where, column == value)
    last = (
        select(VacancyFollowUp.action, VacancyFollowUp.created_at)
        .where(_follow_up_of(p))
        .order_by(VacancyFollowUp.created_at.desc())
        .limit(1)
        .lateral("last_follow_up")
    )
    count = select(func.count()).where(_follow_up_of(p)).scalar_subquery()
    rows = await session.execute(
        select(
            p,
            Employer.name.label("employer_name"),
            long_unfilled.label("long_unfilled"),
            few.label("few_applicants"),
            count.label("follow_up_count"),
            last.c.action.label("last_action"),
            last.c.created_at.label("last_at"),
        )
        .outerjoin(Employer, Employer.id == p.c.employer_id)
        .outerjoin(last, literal(True))
        .where(where)
        .order_by(p.c.published_at, p.c.id)
        .limit(limit)
    )
    items = [_item(row._mapping, now) for row in rows]
    total = await session.scalar(select(func.count()).select_from(p).where(where)) or 0
    occupations = occupations_by_code()
    areas = {a.code: a.name for a in areas_by_code().values()}
    by_employer = await _groups(session, p, where, p.c.employer_id)
    names = await _employer_names(session, [k for k, _, _ in by_employer if k is not None])
    return VacancyList(
        as_of=now,
        unfilled_days=unfilled_days,
        max_applicants=max_applicants,
        total=total,
        items=items,
        by_occupation=[
            VacancyGroup(
                code=k, name=occupations[k].name if k in occupations else k, postings=n, unfilled=u
            )
            for k, n, u in await _groups(session, p, where, p.c.occupation_code)
        ],
        by_area=[
            VacancyGroup(code=k, name=areas.get(k, k) if k else None, postings=n, unfilled=u)
            for k, n, u in await _groups(session, p, where, p.c.area_code)
        ],
        by_employer=[
            VacancyGroup(
                code=str(k) if k else None,
                name=names.get(k, PERSONAL) if k else PERSONAL,
                postings=n,
                unfilled=u,
            )
            for k, n, u in by_employer
        ],
    )


PERSONAL = "个人发布"


async def _employer_names(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    rows = await session.execute(select(Employer.id, Employer.name).where(Employer.id.in_(ids)))
    return {employer_id: name for employer_id, name in rows}


def _item(m: Any, now: datetime) -> VacancyRead:
    occupation = occupations_by_code().get(m["occupation_code"] or "")
    reasons = [r for r in ("long_unfilled", "few_applicants") if m[r]]
    return VacancyRead(
        kind=m["kind"],
        id=m["id"],
        title=m["title"],
        occupation_code=m["occupation_code"],
        occupation_name=occupation.name if occupation else None,
        area_code=m["area_code"],
        employer_id=m["employer_id"],
        employer_name=m["employer_name"],
        headcount=m["headcount"],
        filled=m["filled"],
        applications=m["applications"],
        published_at=m["published_at"],
        open_days=(local_date(now) - local_date(m["published_at"])).days,
        reasons=reasons,
        follow_up_count=m["follow_up_count"],
        last_follow_up_action=m["last_action"],
        last_follow_up_at=m["last_at"],
    )


async def _posting_exists(session: AsyncSession, kind: PostingKind, posting_id: uuid.UUID) -> None:
    model: Any = Job if kind == "job" else Gig
    if await session.get(model, posting_id) is None:
        raise PostingNotFound()


def _follow_up_read(follow_up: VacancyFollowUp, username: str | None) -> VacancyFollowUpRead:
    return VacancyFollowUpRead(
        id=follow_up.id,
        action=follow_up.action,
        event_id=follow_up.event_id,
        note=follow_up.note,
        staff_username=username,
        created_at=follow_up.created_at,
    )


async def add_follow_up(
    session: AsyncSession,
    staff: StaffAccount,
    kind: PostingKind,
    posting_id: uuid.UUID,
    body: VacancyFollowUpCreate,
) -> VacancyFollowUpRead:
    await _posting_exists(session, kind, posting_id)
    follow_up = VacancyFollowUp(
        job_id=posting_id if kind == "job" else None,
        gig_id=posting_id if kind == "gig" else None,
        action=body.action,
        event_id=body.event_id,
        note=body.note,
        staff_id=staff.id,
        # The statement's own time, not the transaction's: two follow-ups in one transaction
        # still have an order.
        created_at=func.clock_timestamp(),
    )
    session.add(follow_up)
    await session.flush()
    await session.refresh(follow_up)
    await audit.record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action="bureau.vacancy_followed_up",
        subject_kind=kind,
        subject_id=posting_id,
        details={"action": body.action, "event_id": str(body.event_id) if body.event_id else None},
    )
    return _follow_up_read(follow_up, staff.username)


async def follow_ups(
    session: AsyncSession, kind: PostingKind, posting_id: uuid.UUID
) -> list[VacancyFollowUpRead]:
    await _posting_exists(session, kind, posting_id)
    column = VacancyFollowUp.job_id if kind == "job" else VacancyFollowUp.gig_id
    rows = await session.execute(
        select(VacancyFollowUp, StaffAccount.username)
        .outerjoin(StaffAccount, StaffAccount.id == VacancyFollowUp.staff_id)
        .where(column == posting_id)
        .order_by(VacancyFollowUp.created_at, VacancyFollowUp.id)
    )
    return [_follow_up_read(f, username) for f, username in rows]
