"""Lists of subsidy applications: a person's own (and their units'), and the staff queue.

Also the two reads beside them: an application for staff, and a material of one.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import local_midnight
from app.core.keyset import TIME_ID, created_key
from app.core.pagination import Page
from app.files.models import StoredFile
from app.files.service import FileNotFound
from app.identity.models import User
from app.subsidies import errors, repository, views
from app.subsidies.models import SubsidyApplication, SubsidyAward
from app.subsidies.repository import QueueFilter
from app.subsidies.schemas import SubsidyApplicationListItem
from app.subsidies.service import get_readable

_EARLIEST, _LATEST = date(2000, 1, 1), date(2100, 12, 31)


async def mine(
    session: AsyncSession, user: User, cursor: str | None, limit: int
) -> Page[SubsidyApplicationListItem]:
    """The user's applications and their units', newest first."""
    rows = await repository.list_readable(session, user.id, TIME_ID.decode(cursor), limit + 1)
    return await _page(session, rows, limit)


def queue_filter(
    status: str | None, policy_code: str | None, first_day: date | None, last_day: date | None
) -> QueueFilter:
    """The queue's filter; submission days are Beijing days, both ends included."""
    days = [d for d in (first_day, last_day) if d is not None]
    if any(not _EARLIEST <= d <= _LATEST for d in days) or (
        first_day and last_day and first_day > last_day
    ):
        raise errors.DateRangeInvalid()
    return QueueFilter(
        status=status,
        policy_code=policy_code,
        submitted_since=local_midnight(first_day) if first_day else None,
        submitted_before=local_midnight(last_day + timedelta(days=1)) if last_day else None,
    )


async def queue(
    session: AsyncSession,
    *,
    status: str | None,
    policy_code: str | None,
    first_day: date | None,
    last_day: date | None,
    cursor: str | None,
    limit: int,
) -> Page[SubsidyApplicationListItem]:
    """Applications for reviewers, oldest first, filtered by status, policy and the Beijing
    days they were submitted on."""
    where = queue_filter(status, policy_code, first_day, last_day)
    rows = await repository.list_queue(session, where, TIME_ID.decode(cursor), limit + 1)
    return await _page(session, rows, limit)


async def _page(
    session: AsyncSession, rows: list[SubsidyApplication], limit: int
) -> Page[SubsidyApplicationListItem]:
    shown, next_cursor = TIME_ID.cut(rows, limit, key=created_key)
    return Page(items=await views.list_items(session, shown), next_cursor=next_cursor)


async def for_staff(session: AsyncSession, application_id: uuid.UUID) -> SubsidyApplication:
    """Any application, for reviewers (404 if there is none)."""
    application = await repository.get(session, application_id)
    if application is None:
        raise errors.ApplicationNotFound()
    return application


async def material(
    session: AsyncSession, user: User, application_id: uuid.UUID, file_id: uuid.UUID
) -> StoredFile:
    """A material of an application the user may read (404 otherwise)."""
    await get_readable(session, user, application_id)
    stored = await repository.material(session, application_id, file_id)
    if stored is None:
        raise FileNotFound()
    return stored


async def queue_counts(session: AsyncSession) -> dict[str, int]:
    """Applications per status, for the staff's "today" page."""
    return await repository.count_by_status(session)


async def awards(
    session: AsyncSession, *, policy_code: str | None, cursor: str | None, limit: int
) -> tuple[list[SubsidyAward], str | None]:
    """The award ledger for staff, newest first, optionally of one policy: a page of award rows
    and the next page's cursor."""
    rows = await repository.list_awards(session, policy_code, TIME_ID.decode(cursor), limit + 1)
    return TIME_ID.cut(rows, limit, key=created_key)
