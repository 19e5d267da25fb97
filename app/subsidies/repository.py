"""SQL for subsidy applications. What a user may read is decided here, in the query."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, func, or_, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.employers.models import Employer
from app.employers.repository import member_clause
from app.files.models import StoredFile
from app.subsidies.models import (
    OPEN_PREDICATE,
    SubsidyApplication,
    SubsidyApplicationFile,
    SubsidyAward,
    SubsidyStatusChange,
)

Keyset = tuple[datetime, uuid.UUID]


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """What the staff queue may be narrowed to (submission instants, end exclusive)."""

    status: str | None = None
    policy_code: str | None = None
    submitted_since: datetime | None = None
    submitted_before: datetime | None = None


def readable_by(user_id: uuid.UUID) -> ColumnElement[bool]:
    """The user submitted it, or it is for an organisation the user is a member of."""
    return or_(
        SubsidyApplication.applicant_user_id == user_id,
        and_(
            SubsidyApplication.employer_id.is_not(None),
            member_clause(SubsidyApplication.employer_id, user_id),
        ),
    )


async def insert_application(
    session: AsyncSession, values: dict[str, Any]
) -> SubsidyApplication | None:
    """Insert unless an open application of the same recipient, claim and period exists."""
    stmt = (
        insert(SubsidyApplication)
        .values(id=uuid.uuid4(), **values)
        .on_conflict_do_nothing(
            index_elements=["recipient_key", "claim_code", "period"],
            # A literal predicate: with bind parameters PostgreSQL cannot match the partial
            # index once a prepared statement switches to its generic plan.
            index_where=text(OPEN_PREDICATE),
        )
        .returning(SubsidyApplication)
    )
    result = await session.execute(stmt, execution_options={"populate_existing": True})
    return result.scalar_one_or_none()


async def get_readable(
    session: AsyncSession, application_id: uuid.UUID, user_id: uuid.UUID, *, for_update: bool
) -> SubsidyApplication | None:
    stmt = select(SubsidyApplication).where(
        SubsidyApplication.id == application_id, readable_by(user_id)
    )
    if for_update:
        stmt = stmt.with_for_update(of=SubsidyApplication)
    return (await session.execute(stmt)).scalar_one_or_none()


async def get(
    session: AsyncSession, application_id: uuid.UUID, *, for_update: bool = False
) -> SubsidyApplication | None:
    stmt = select(SubsidyApplication).where(SubsidyApplication.id == application_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def list_readable(
    session: AsyncSession, user_id: uuid.UUID, before: Keyset | None, limit: int
) -> list[SubsidyApplication]:
    """The user's and their organisations' applications, newest first."""
    stmt = select(SubsidyApplication).where(readable_by(user_id))
    if before is not None:
        stmt = stmt.where(tuple_(SubsidyApplication.created_at, SubsidyApplication.id) < before)
    stmt = stmt.order_by(SubsidyApplication.created_at.desc(), SubsidyApplication.id.desc())
    return list((await session.execute(stmt.limit(limit))).scalars())


def _queue_where(where: QueueFilter) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if where.status is not None:
        clauses.append(SubsidyApplication.status == where.status)
    if where.policy_code is not None:
        clauses.append(SubsidyApplication.policy_code == where.policy_code)
    if where.submitted_since is not None:
        clauses.append(SubsidyApplication.created_at >= where.submitted_since)
    if where.submitted_before is not None:
        clauses.append(SubsidyApplication.created_at < where.submitted_before)
    return clauses


async def list_queue(
    session: AsyncSession, where: QueueFilter, after: Keyset | None, limit: int
) -> list[SubsidyApplication]:
    """The staff queue, oldest first."""
    stmt = select(SubsidyApplication).where(*_queue_where(where))
    if after is not None:
        stmt = stmt.where(tuple_(SubsidyApplication.created_at, SubsidyApplication.id) > after)
    stmt = stmt.order_by(SubsidyApplication.created_at, SubsidyApplication.id)
    return list((await session.execute(stmt.limit(limit))).scalars())


async def set_status(
    session: AsyncSession, application: SubsidyApplication, values: dict[str, Any]
) -> None:
    await session.execute(
        update(SubsidyApplication)
        .where(SubsidyApplication.id == application.id)
        .values(**values, status_changed_at=func.now(), updated_at=func.now())
        .execution_options(synchronize_session=False)
    )
    await session.refresh(application)


async def add_history(session: AsyncSession, **values: Any) -> None:
    # clock_timestamp(), not now(): steps taken in one transaction still keep their order
    session.add(SubsidyStatusChange(**values, created_at=func.clock_timestamp()))
    await session.flush()


async def add_files(
    session: AsyncSession, application_id: uuid.UUID, file_ids: Sequence[uuid.UUID], round_: int
) -> None:
    if not file_ids:
        return
    stmt = (
        insert(SubsidyApplicationFile)
        .values(
            [{"application_id": application_id, "file_id": f, "round": round_} for f in file_ids]
        )
        .on_conflict_do_nothing()
    )
    await session.execute(stmt)


async def materials(
    session: AsyncSession, application_id: uuid.UUID
) -> Sequence[Row[SubsidyApplicationFile, StoredFile]]:
    stmt = (
        select(SubsidyApplicationFile, StoredFile)
        .join(StoredFile, StoredFile.id == SubsidyApplicationFile.file_id)
        .where(SubsidyApplicationFile.application_id == application_id)
        .order_by(SubsidyApplicationFile.added_at, StoredFile.id)
    )
    return (await session.execute(stmt)).all()


async def material(
    session: AsyncSession, application_id: uuid.UUID, file_id: uuid.UUID
) -> StoredFile | None:
    stmt = (
        select(StoredFile)
        .join(SubsidyApplicationFile, SubsidyApplicationFile.file_id == StoredFile.id)
        .where(
            SubsidyApplicationFile.application_id == application_id,
            StoredFile.id == file_id,
        )
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def next_round(session: AsyncSession, application_id: uuid.UUID) -> int:
    stmt = select(SubsidyStatusChange.id).where(
        SubsidyStatusChange.application_id == application_id,
        SubsidyStatusChange.to_status == "submitted",
    )
    return len((await session.execute(stmt)).all()) + 1


async def history(session: AsyncSession, application_id: uuid.UUID) -> list[SubsidyStatusChange]:
    stmt = (
        select(SubsidyStatusChange)
        .where(SubsidyStatusChange.application_id == application_id)
        .order_by(SubsidyStatusChange.created_at, SubsidyStatusChange.id)
    )
    return list((await session.execute(stmt)).scalars())


async def employer_names(
    session: AsyncSession, employer_ids: set[uuid.UUID]
) -> dict[uuid.UUID, str]:
    if not employer_ids:
        return {}
    stmt = select(Employer.id, Employer.name).where(Employer.id.in_(employer_ids))
    return {row.id: row.name for row in await session.execute(stmt)}


async def add_awards(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert(SubsidyAward).values(rows))


async def is_member(session: AsyncSession, employer_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    stmt = select(member_clause(employer_id, user_id))
    return bool((await session.execute(stmt)).scalar())


async def count_by_status(session: AsyncSession) -> dict[str, int]:
    """How many applications are in each status (the staff console's queue counts)."""
    stmt = select(SubsidyApplication.status, func.count()).group_by(SubsidyApplication.status)
    return {status: int(count) for status, count in (await session.execute(stmt)).all()}


async def list_awards(
    session: AsyncSession, policy_code: str | None, after: Keyset | None, limit: int
) -> list[SubsidyAward]:
    """Award lines, newest first (the ledger as staff read it)."""
    stmt = select(SubsidyAward)
    if policy_code:
        stmt = stmt.where(SubsidyAward.policy_code == policy_code)
    if after is not None:
        stmt = stmt.where(tuple_(SubsidyAward.created_at, SubsidyAward.id) < after)
    stmt = stmt.order_by(SubsidyAward.created_at.desc(), SubsidyAward.id.desc())
    return list((await session.execute(stmt.limit(limit))).scalars())
