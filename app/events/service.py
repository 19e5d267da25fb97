"""Events: staff create and change them; everyone lists and reads them."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.clock import Clock, local_midnight
from app.core.keyset import TIME_ID
from app.core.pagination import Page
from app.events import errors, notices
from app.events import repository as repo
from app.events.models import RecruitmentEvent
from app.events.schemas import (
    EventCreate,
    EventListItem,
    EventRead,
    EventUpdate,
    FeaturedJob,
    FeaturedJobsPut,
    JobRef,
    PublicBooth,
)
from app.identity.models import StaffAccount
from app.taxonomy import areas_by_code


async def list_events(
    session: AsyncSession,
    *,
    first_day: date | None,
    last_day: date | None,
    kind: str | None,
    target_group: str | None,
    cursor: str | None,
    limit: int,
) -> Page[EventListItem]:
    """Events taking place on any day from ``first_day`` to ``last_day`` (Asia/Shanghai)."""
    start = local_midnight(first_day) if first_day else None
    end = local_midnight(last_day) + timedelta(days=1) if last_day else None
    rows = await repo.list_events(
        session,
        start=start,
        end=end,
        kind=kind,
        target_group=target_group,
        after=TIME_ID.decode(cursor),
        limit=limit + 1,
    )
    return TIME_ID.page(
        rows, limit, key=lambda e: (e.starts_at, e.id), item=EventListItem.model_validate
    )


async def read_event(
    session: AsyncSession, event_id: uuid.UUID, *, include_cancelled: bool = False
) -> EventRead:
    event = await repo.get_event(session, event_id)
    if event is None or (event.status == "cancelled" and not include_cancelled):
        raise errors.EventNotFound()
    featured = [
        FeaturedJob(
            id=job.id,
            title=job.title,
            employer_id=employer.id,
            employer_name=employer.name,
            job_type=job.job_type,
            salary_min_fen=job.salary_min_fen,
            salary_max_fen=job.salary_max_fen,
            salary_unit=job.salary_unit,
            area_code=job.area_code,
        )
        for job, employer in await repo.featured_jobs(session, event.id)
    ]
    confirmed = await repo.booths(session, event_id=event.id, status="confirmed")
    jobs = await repo.booth_jobs(session, [b.id for b, _, _ in confirmed])
    booths = [
        PublicBooth(
            employer_id=employer.id,
            employer_name=employer.name,
            booth_no=booth.booth_no,
            jobs=[JobRef(id=j.id, title=j.title) for j in jobs.get(booth.id, [])],
        )
        for booth, _, employer in confirmed
    ]
    return EventRead(
        **EventListItem.model_validate(event).model_dump(),
        description=event.description,
        latitude=event.latitude,
        longitude=event.longitude,
        channel_name=event.channel_name,
        channel_id=event.channel_id,
        live_url=event.live_url,
        featured_jobs=featured,
        booths=booths,
    )


def _check_area(code: str | None) -> None:
    if code is not None and code not in areas_by_code():
        raise errors.UnknownArea(details={"area_code": code})


async def create_event(
    session: AsyncSession, clock: Clock, staff: StaffAccount, body: EventCreate
) -> EventRead:
    _check_area(body.area_code)
    event = RecruitmentEvent(**body.model_dump(), created_by=staff.id)
    session.add(event)
    await session.flush()
    await notices.schedule_reminder(session, clock(), event)
    await record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action="event.create",
        subject_kind="recruitment_event",
        subject_id=event.id,
        details={"kind": event.kind, "title": event.title},
    )
    return await read_event(session, event.id)


async def update_event(
    session: AsyncSession,
    clock: Clock,
    staff: StaffAccount,
    event_id: uuid.UUID,
    body: EventUpdate,
) -> EventRead:
    event = await repo.get_event(session, event_id, lock=True)
    if event is None:
        raise errors.EventNotFound()
    changes = body.model_dump()
    if body.booth_limit < event.booth_count:
        raise errors.LimitBelowCount(details={"booth_count": event.booth_count})
    if body.registration_limit < event.registered_count:
        raise errors.LimitBelowCount(details={"registered_count": event.registered_count})
    if event.kind == "livestream" and body.booth_limit:
        raise errors.BoothsNotOffered()
    if body.ends_at <= body.starts_at:
        raise errors.InvalidPeriod()
    if not event.online and not body.address:
        raise errors.AddressRequired()
    changed = sorted(name for name, value in changes.items() if getattr(event, name) != value)
    for name, value in changes.items():
        setattr(event, name, value)
    await session.flush()
    await _tell_of_changes(session, clock(), event, changed)
    await record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action="event.update",
        subject_kind="recruitment_event",
        subject_id=event.id,
        details={"changed": changed},
    )
    return await read_event(session, event.id, include_cancelled=True)


async def _tell_of_changes(
    session: AsyncSession, now: datetime, event: RecruitmentEvent, changed: list[str]
) -> None:
    """A cancellation tells every registrant; a moved start gets its own reminder job."""
    if "status" in changed and event.status == "cancelled":
        await notices.event_cancelled(session, now, event)
    elif "starts_at" in changed:
        await notices.schedule_reminder(session, now, event)


async def put_featured_jobs(
    session: AsyncSession, staff: StaffAccount, event_id: uuid.UUID, body: FeaturedJobsPut
) -> EventRead:
    event = await repo.get_event(session, event_id, lock=True)
    if event is None:
        raise errors.EventNotFound()
    if event.kind != "livestream":
        raise errors.NotLivestream()
    found = {j.id for j in await repo.published_jobs(session, body.job_ids)}
    missing = [str(j) for j in body.job_ids if j not in found]
    if missing:
        raise errors.FeaturedJobsInvalid(details={"job_ids": missing})
    await repo.replace_featured_jobs(session, event.id, body.job_ids)
    await record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action="event.featured_jobs",
        subject_kind="recruitment_event",
        subject_id=event.id,
        details={"job_ids": [str(j) for j in body.job_ids]},
    )
    return await read_event(session, event.id, include_cancelled=True)
