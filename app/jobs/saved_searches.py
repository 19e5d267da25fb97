"""Saved job searches and the daily digest of new jobs matching them.

The digest (``jobs:saved_search_digest``, daily at 09:00 Beijing time) runs each saved search
through the ordinary job search (newest first) and keeps the jobs published after the search's
``checked_at``; a person with any new job gets ONE notification for the day, however many
searches matched (dedupe key ``saved_search_digest:<date>``), and every search's ``checked_at``
moves to the run's instant, so a job is announced once.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import local_date
from app.core.notices import day_keyword
from app.identity.models import User
from app.jobs import errors, search
from app.jobs.models import SavedSearch
from app.jobs.saved_search_schemas import (
    MAX_SAVED_SEARCHES,
    SavedSearchCreate,
    SavedSearchCriteria,
    SavedSearchRead,
)
from app.jobs.search_schemas import JobSearchParams
from app.jobs.search_service import build_query
from app.notifications.kinds import NotificationKind
from app.notifications.outbox import Message, notify

DIGEST_PAGE = "pages/jobs/saved-searches"
# Jobs looked at per saved search and run (newest first); a digest names a few of them.
DIGEST_SCAN = 50
DIGEST_TITLES = 3


def _read(row: SavedSearch) -> SavedSearchRead:
    criteria = SavedSearchCriteria.model_validate(row.criteria).model_dump()
    return SavedSearchRead.model_validate(
        {"id": row.id, "name": row.name, "criteria": criteria, "created_at": row.created_at}
    )


async def create(
    session: AsyncSession, now: datetime, user: User, body: SavedSearchCreate
) -> SavedSearchRead:
    """Keep a search; the digest tells of jobs published from now on."""
    build_query(JobSearchParams(**body.criteria.model_dump()), now)  # lat/lng pairing etc.
    count = await session.scalar(
        select(func.count()).select_from(SavedSearch).where(SavedSearch.user_id == user.id)
    )
    if (count or 0) >= MAX_SAVED_SEARCHES:
        raise errors.SavedSearchLimit(details={"limit": MAX_SAVED_SEARCHES})
    row = SavedSearch(
        user_id=user.id,
        name=body.name,
        criteria=body.criteria.model_dump(exclude_none=True),
        created_at=now,
        checked_at=now,
    )
    session.add(row)
    await session.flush()
    return _read(row)


async def list_mine(session: AsyncSession, user: User) -> list[SavedSearchRead]:
    stmt = (
        select(SavedSearch)
        .where(SavedSearch.user_id == user.id)
        .order_by(SavedSearch.created_at, SavedSearch.id)
    )
    return [_read(row) for row in (await session.execute(stmt)).scalars()]


async def remove(session: AsyncSession, user: User, search_id: uuid.UUID) -> None:
    stmt = (
        delete(SavedSearch)
        .where(SavedSearch.id == search_id, SavedSearch.user_id == user.id)
        .returning(SavedSearch.id)
    )
    if (await session.execute(stmt)).scalar_one_or_none() is None:
        raise errors.SavedSearchNotFound()


async def _new_jobs(session: AsyncSession, saved: SavedSearch, now: datetime) -> list[Any]:
    params = JobSearchParams(**saved.criteria, sort="newest", limit=DIGEST_SCAN)
    query = replace(build_query(params, now), posted_within_days=None)
    rows = await search.run(search.session_fetch(session), query)
    return [row for row in rows if saved.checked_at < row.published_at <= now]


async def send_digest(
    session: AsyncSession, now: datetime, after: uuid.UUID | None, limit: int
) -> uuid.UUID | None:
    """One batch of people (by user id after ``after``): their digest; the last id or None."""
    users = select(SavedSearch.user_id).distinct().order_by(SavedSearch.user_id).limit(limit)
    if after is not None:
        users = users.where(SavedSearch.user_id > after)
    user_ids = list((await session.execute(users)).scalars())
    if not user_ids:
        return None
    stmt = (
        select(SavedSearch)
        .where(SavedSearch.user_id.in_(user_ids))
        .order_by(SavedSearch.user_id, SavedSearch.created_at, SavedSearch.id)
    )
    found: dict[uuid.UUID, dict[uuid.UUID, str]] = defaultdict(dict)
    for saved in (await session.execute(stmt)).scalars():
        for row in await _new_jobs(session, saved, now):
            found[saved.user_id].setdefault(row.id, row.title)
    # A person already told today keeps their searches' mark: tomorrow's digest has those jobs.
    told_before = {
        user_id
        for user_id, jobs in found.items()
        if not await _tell(session, now, user_id, list(jobs.values()))
    }
    moved = [user_id for user_id in user_ids if user_id not in told_before]
    await session.execute(
        update(SavedSearch).where(SavedSearch.user_id.in_(moved)).values(checked_at=now)
    )
    return user_ids[-1]


async def _tell(
    session: AsyncSession, now: datetime, user_id: uuid.UUID, titles: list[str]
) -> bool:
    """Today's one digest for the person; False when they already had it today."""
    named = "、".join(f"「{t}」" for t in titles[:DIGEST_TITLES])
    more = "等" if len(titles) > DIGEST_TITLES else ""
    day = local_date(now)
    told = await notify(
        session,
        now,
        [user_id],
        Message(
            kind=NotificationKind.SAVED_SEARCH_DIGEST,
            title="订阅岗位每日推荐",
            body=f"您订阅的搜索有{len(titles)}个新岗位：{named}{more}，快去看看吧。",
            page=DIGEST_PAGE,
            keywords={
                "subject": titles[0],
                "note": f"{len(titles)}个新岗位",
                "time": day_keyword(day),
            },
            dedupe_key=f"saved_search_digest:{day.isoformat()}",
        ),
    )
    return bool(told)
