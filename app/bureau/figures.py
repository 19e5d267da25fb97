"""The platform's own figures for a period: one statement of scalar sub-queries (SQL aggregates).

Every figure counts rows whose instant falls in [start, end) — months on the Beijing calendar —
and "held" or "started" figures count only what has begun by ``now``. docs/bureau.md defines each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, cast, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications.models import EmploymentEvent, JobApplication
from app.core.clock import local_date
from app.events.models import RecruitmentEvent
from app.gigs.models import Gig, GigBooking
from app.jobs.models import Job
from app.service_desk.models import Appointment
from app.subsidies.models import SubsidyApplication
from app.training.models import TrainingCourse

YOUTH_GROUPS = ("youth", "graduate")
APPROVED = ("approved", "paid")

# (key, Chinese label) in the order reports show them.
FIGURE_LABELS: tuple[tuple[str, str], ...] = (
    ("jobs_published", "新发布岗位数"),
    ("headcount_published", "新发布岗位招聘人数"),
    ("applications", "求职投递数"),
    ("hires", "平台录用人数"),
    ("events_held", "举办招聘活动场次"),
    ("livestreams_held", "其中直播带岗场次"),
    ("trainings_started", "开班培训期数"),
    ("youth_trainings_started", "其中青年求职能力实训期数"),
    ("gigs_posted", "新发布零工数"),
    ("gig_completions", "零工完工人次"),
    ("subsidy_applications", "补贴申请数"),
    ("subsidy_approvals", "补贴审核通过数"),
    ("subsidy_approved_fen", "补贴核准金额（分）"),
    ("station_visits", "服务站到访人次"),
)


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime
    now: datetime

    @property
    def held_until(self) -> datetime:
        return min(self.end, self.now)

    @property
    def first_day(self) -> date:
        return local_date(self.start)

    @property
    def started_before_day(self) -> date:
        """The first local day not counted for things that start on a day (courses)."""
        return min(local_date(self.end - timedelta(microseconds=1)), local_date(self.now)) + (
            timedelta(days=1)
        )


def _in(column: Any, window: Window) -> ColumnElement[bool]:
    return and_(column >= window.start, column < window.end)


def _count(model: Any, *where: ColumnElement[bool]) -> Select[Any]:
    return select(func.count()).select_from(model).where(*where)


def _figure_queries(w: Window) -> dict[str, Select[Any]]:
    youth = cast(list(YOUTH_GROUPS), ARRAY(String))
    held = and_(
        RecruitmentEvent.status == "published",
        RecruitmentEvent.starts_at >= w.start,
        RecruitmentEvent.starts_at < w.held_until,
    )
    started = and_(
        TrainingCourse.status == "open",
        TrainingCourse.starts_on >= w.first_day,
        TrainingCourse.starts_on < w.started_before_day,
    )
    approved = and_(SubsidyApplication.status.in_(APPROVED), _in(SubsidyApplication.decided_at, w))
    return {
        "jobs_published": _count(Job, _in(Job.published_at, w)),
        "headcount_published": select(func.coalesce(func.sum(Job.headcount), 0)).where(
            _in(Job.published_at, w)
        ),
        "applications": _count(JobApplication, _in(JobApplication.created_at, w)),
        "hires": _count(EmploymentEvent, _in(EmploymentEvent.created_at, w)),
        "events_held": _count(RecruitmentEvent, held),
        "livestreams_held": _count(RecruitmentEvent, held, RecruitmentEvent.kind == "livestream"),
        "trainings_started": _count(TrainingCourse, started),
        "youth_trainings_started": _count(
            TrainingCourse, started, TrainingCourse.target_groups.overlap(youth)
        ),
        "gigs_posted": _count(
            Gig, _in(Gig.created_at, w), Gig.status.not_in(("pending_review", "rejected"))
        ),
        "gig_completions": _count(
            GigBooking, GigBooking.status == "completed", _in(GigBooking.completed_at, w)
        ),
        "subsidy_applications": _count(SubsidyApplication, _in(SubsidyApplication.created_at, w)),
        "subsidy_approvals": _count(SubsidyApplication, approved),
        "subsidy_approved_fen": select(
            func.coalesce(func.sum(SubsidyApplication.approved_amount_fen), 0)
        ).where(approved),
        "station_visits": _count(Appointment, _in(Appointment.checked_in_at, w)),
    }


async def platform_figures(session: AsyncSession, window: Window) -> dict[str, int]:
    """Every figure of FIGURE_LABELS for ``window``, in one round trip."""
    queries = _figure_queries(window)
    statement = select(*(q.scalar_subquery().label(k) for k, q in queries.items()))
    row = (await session.execute(statement)).one()
    return {key: int(row._mapping[key]) for key in queries}
