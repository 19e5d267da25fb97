"""SQL of the labour market as the platform sees it: openings, seekers and applications per
occupation or area, each one aggregate statement (docs/bureau.md gives the definitions).

* Job openings: headcount of postings live at the instant ``at`` (published before it, not
  closed by it, last day not passed).
* Gig openings: headcount of gigs posted (and passed moderation) in the window; a gig's
  occupation is the occupation of its first required skill (app/taxonomy/skills.json).
* Seekers: distinct active users whose résumé (created before ``at``) wants the occupation or
  area, or whose gig profile lists a skill of that occupation (or lies in that area).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    any_,
    column,
    func,
    or_,
    select,
    union,
    values,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Values

from app.applications.models import JobApplication, Resume
from app.bureau.figures import Window
from app.core.clock import local_date
from app.gigs.models import Gig, GigApplication, GigWorkerProfile
from app.identity.models import User
from app.jobs.models import Job
from app.taxonomy.loader import skills

MODERATED_OUT = ("pending_review", "rejected")


@dataclass(frozen=True)
class Openings:
    job_openings: int = 0
    postings: int = 0
    median_monthly_pay_fen: int | None = None
    gig_openings: int = 0
    gigs: int = 0
    median_gig_daily_pay_fen: int | None = None

    @property
    def total(self) -> int:
        return self.job_openings + self.gig_openings


@cache
def skill_map_table() -> Values:
    """skill code -> occupation code, as an inline VALUES table."""
    return values(
        column("skill_code", String), column("occupation_code", String), name="skill_map"
    ).data([(s.code, s.occupation) for s in skills()])


def job_live(at: datetime) -> ColumnElement[bool]:
    last_day = local_date(at - timedelta(microseconds=1))
    return and_(
        Job.status.in_(("published", "closed")),
        Job.published_at < at,
        or_(Job.closed_at.is_(None), Job.closed_at >= at),
        Job.valid_until >= last_day,
    )


def _gig_posted(window: Window) -> ColumnElement[bool]:
    return and_(
        Gig.created_at >= window.start,
        Gig.created_at < window.end,
        Gig.status.not_in(MODERATED_OUT),
    )


def _median(expression: Any) -> Any:
    return func.percentile_cont(0.5).within_group(expression)


def _round(value: Any) -> int | None:
    return None if value is None else round(float(value))


async def openings_by(
    session: AsyncSession, window: Window, *, by_area: bool
) -> dict[str, Openings]:
    """Openings per occupation code (or per area code when ``by_area``)."""
    skill_map = skill_map_table()
    at = window.held_until
    job_key = Job.area_code if by_area else Job.occupation_code
    gig_key = Gig.area_code if by_area else skill_map.c.occupation_code
    pay = (Job.monthly_salary_min_fen + Job.monthly_salary_max_fen) / 2
    jobs = await session.execute(
        select(job_key, func.sum(Job.headcount), func.count(), _median(pay))
        .where(job_live(at))
        .group_by(job_key)
    )
    gigs_query = (
        select(gig_key, func.sum(Gig.headcount), func.count(), _median(Gig.daily_pay_fen))
        .select_from(Gig)
        .join(skill_map, skill_map.c.skill_code == Gig.required_skill_codes[1])
        .where(_gig_posted(window), gig_key.is_not(None))
        .group_by(gig_key)
    )
    found: dict[str, Openings] = {}
    for key, headcount, count, median in jobs:
        found[key] = Openings(int(headcount), int(count), _round(median))
    for key, headcount, count, median in await session.execute(gigs_query):
        base = found.get(key, Openings())
        found[key] = Openings(
            base.job_openings,
            base.postings,
            base.median_monthly_pay_fen,
            int(headcount),
            int(count),
            _round(median),
        )
    return found


def _active_user(user_id: Any) -> ColumnElement[bool]:
    return (
        select(User.id)
        .where(User.id == user_id, User.is_active, User.deleted_at.is_(None))
        .exists()
    )


async def seekers_by(session: AsyncSession, at: datetime, *, by_area: bool) -> dict[str, int]:
    """Distinct active users wanting each occupation (or area) at ``at``."""
    skill_map = skill_map_table()
    wanted = Resume.expected_area_codes if by_area else Resume.expected_occupation_codes
    resumes = select(Resume.user_id, func.unnest(wanted).label("key")).where(
        Resume.created_at < at, _active_user(Resume.user_id)
    )
    if by_area:
        profiles = select(GigWorkerProfile.user_id, GigWorkerProfile.area_code.label("key")).where(
            GigWorkerProfile.area_code.is_not(None)
        )
    else:
        profiles = select(GigWorkerProfile.user_id, skill_map.c.occupation_code.label("key")).join(
            skill_map, skill_map.c.skill_code == any_(GigWorkerProfile.skill_codes)
        )
    profiles = profiles.where(
        GigWorkerProfile.created_at < at, _active_user(GigWorkerProfile.user_id)
    )
    pairs = union(resumes, profiles).subquery()  # UNION: a person counts once per key
    rows = await session.execute(
        select(pairs.c.key, func.count(func.distinct(pairs.c.user_id))).group_by(pairs.c.key)
    )
    return {key: int(count) for key, count in rows}


async def applications_by_occupation(session: AsyncSession, window: Window) -> dict[str, int]:
    """Applications sent in the window to jobs and gigs, per occupation."""
    skill_map = skill_map_table()
    jobs = await session.execute(
        select(Job.occupation_code, func.count())
        .select_from(JobApplication)
        .join(Job, Job.id == JobApplication.job_id)
        .where(JobApplication.created_at >= window.start, JobApplication.created_at < window.end)
        .group_by(Job.occupation_code)
    )
    gigs = await session.execute(
        select(skill_map.c.occupation_code, func.count())
        .select_from(GigApplication)
        .join(Gig, Gig.id == GigApplication.gig_id)
        .join(skill_map, skill_map.c.skill_code == Gig.required_skill_codes[1])
        .where(GigApplication.created_at >= window.start, GigApplication.created_at < window.end)
        .group_by(skill_map.c.occupation_code)
    )
    found: dict[str, int] = {}
    for key, count in [*jobs, *gigs]:
        found[key] = found.get(key, 0) + int(count)
    return found
