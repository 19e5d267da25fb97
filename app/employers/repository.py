"""SQL for employers, members and invitations. Authorisation lives in these queries."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, exists, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.employers.models import Employer, EmployerInvitation, EmployerMember
from app.identity.models import User


async def is_member(session: AsyncSession, employer_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    """Whether ``user_id`` acts for ``employer_id`` (as owner or recruiter)."""
    stmt = select(
        exists().where(EmployerMember.employer_id == employer_id, EmployerMember.user_id == user_id)
    )
    return bool((await session.execute(stmt)).scalar())


async def member_role(
    session: AsyncSession, employer_id: uuid.UUID, user_id: uuid.UUID
) -> str | None:
    """The member's role (``owner`` / ``recruiter``), or None for a non-member."""
    stmt = select(EmployerMember.role).where(
        EmployerMember.employer_id == employer_id, EmployerMember.user_id == user_id
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def get(session: AsyncSession, employer_id: uuid.UUID) -> Employer | None:
    return await session.get(Employer, employer_id)


async def get_for_update(session: AsyncSession, employer_id: uuid.UUID) -> Employer | None:
    stmt = select(Employer).where(Employer.id == employer_id).with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def get_readable(
    session: AsyncSession, employer_id: uuid.UUID, user_id: uuid.UUID | None
) -> tuple[Employer, str | None] | None:
    """The employer and the viewer's role, if the viewer may see it (verified, or a member)."""
    role = (
        select(EmployerMember.role)
        .where(EmployerMember.employer_id == Employer.id, EmployerMember.user_id == user_id)
        .scalar_subquery()
    )
    stmt = select(Employer, role.label("role")).where(Employer.id == employer_id)
    stmt = stmt.where(or_(Employer.status == "verified", role.is_not(None)))
    row = (await session.execute(stmt)).one_or_none()
    return (row[0], row[1]) if row is not None else None


async def insert_employer(session: AsyncSession, values: dict[str, Any]) -> uuid.UUID | None:
    """Insert an employer; None when its credit code is taken (the unique index decides)."""
    stmt = (
        insert(Employer)
        .values(id=uuid.uuid4(), **values)
        .on_conflict_do_nothing(index_elements=[Employer.credit_code])
        .returning(Employer.id)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def add_member(
    session: AsyncSession,
    employer_id: uuid.UUID,
    user_id: uuid.UUID,
    role: str,
    invitation_id: uuid.UUID | None = None,
) -> bool:
    """Add a member; False when the person already belongs to the employer."""
    stmt = (
        insert(EmployerMember)
        .values(employer_id=employer_id, user_id=user_id, role=role, invitation_id=invitation_id)
        .on_conflict_do_nothing(index_elements=["employer_id", "user_id"])
        .returning(EmployerMember.user_id)
    )
    return (await session.execute(stmt)).scalar_one_or_none() is not None


async def remove_member(session: AsyncSession, employer_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    stmt = (
        delete(EmployerMember)
        .where(EmployerMember.employer_id == employer_id, EmployerMember.user_id == user_id)
        .returning(EmployerMember.user_id)
    )
    return (await session.execute(stmt)).scalar_one_or_none() is not None


async def member_ids(session: AsyncSession, employer_id: uuid.UUID) -> list[uuid.UUID]:
    """Every member of the employer account (owner and recruiters): who hears of its business."""
    stmt = select(EmployerMember.user_id).where(EmployerMember.employer_id == employer_id)
    return list((await session.execute(stmt)).scalars())


async def owner_id(session: AsyncSession, employer_id: uuid.UUID) -> uuid.UUID | None:
    """The owner member of the employer account (exactly one while the account has members)."""
    stmt = select(EmployerMember.user_id).where(
        EmployerMember.employer_id == employer_id, EmployerMember.role == "owner"
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def list_members(
    session: AsyncSession,
    employer_id: uuid.UUID,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[Any]:
    stmt = (
        select(
            EmployerMember.employer_id,
            EmployerMember.user_id,
            EmployerMember.role,
            EmployerMember.created_at.label("joined_at"),
            User.nickname,
        )
        .join(User, User.id == EmployerMember.user_id)
        .where(EmployerMember.employer_id == employer_id)
        .order_by(EmployerMember.created_at, EmployerMember.user_id)
        .limit(limit)
    )
    if after is not None:
        stmt = stmt.where(tuple_(EmployerMember.created_at, EmployerMember.user_id) > after)
    return list((await session.execute(stmt)).all())


async def list_for_user(
    session: AsyncSession,
    user_id: uuid.UUID,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[Any]:
    """The employers a person belongs to, oldest membership first."""
    stmt = (
        select(Employer, EmployerMember.role, EmployerMember.created_at.label("joined_at"))
        .join(EmployerMember, EmployerMember.employer_id == Employer.id)
        .where(EmployerMember.user_id == user_id)
        .order_by(EmployerMember.created_at, Employer.id)
        .limit(limit)
    )
    if after is not None:
        stmt = stmt.where(tuple_(EmployerMember.created_at, Employer.id) > after)
    return list((await session.execute(stmt)).all())


async def accept_invitation(
    session: AsyncSession, code: str, user_id: uuid.UUID, now: datetime
) -> tuple[uuid.UUID, uuid.UUID] | None:
    """Mark a live invitation as used by ``user_id``; (invitation id, employer id) or None.

    The conditional UPDATE is the race guard: of two people accepting one code at once, the
    second waits for the first's row lock, then finds ``accepted_at`` set and gets nothing.
    """
    stmt = (
        update(EmployerInvitation)
        .where(
            EmployerInvitation.code == code,
            EmployerInvitation.accepted_at.is_(None),
            EmployerInvitation.revoked_at.is_(None),
            EmployerInvitation.expires_at > now,
        )
        .values(accepted_by=user_id, accepted_at=now)
        .returning(EmployerInvitation.id, EmployerInvitation.employer_id)
    )
    row = (await session.execute(stmt)).one_or_none()
    return (row[0], row[1]) if row is not None else None


async def list_invitations(
    session: AsyncSession, employer_id: uuid.UUID, limit: int
) -> list[tuple[EmployerInvitation, str | None]]:
    """The employer's newest invitations with the nickname of whoever accepted each."""
    stmt = (
        select(EmployerInvitation, User.nickname)
        .outerjoin(User, User.id == EmployerInvitation.accepted_by)
        .where(EmployerInvitation.employer_id == employer_id)
        .order_by(EmployerInvitation.created_at.desc(), EmployerInvitation.id.desc())
        .limit(limit)
    )
    return [(row[0], row[1]) for row in (await session.execute(stmt)).all()]


async def review_queue(
    session: AsyncSession,
    status: str,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[Employer]:
    """Employers in ``status``, oldest first (first come, first reviewed)."""
    stmt = (
        select(Employer)
        .where(Employer.status == status)
        .order_by(Employer.created_at, Employer.id)
        .limit(limit)
    )
    if after is not None:
        stmt = stmt.where(tuple_(Employer.created_at, Employer.id) > after)
    return list((await session.execute(stmt)).scalars())


def member_clause(employer_id: Any, user_id: Any) -> Any:
    """SQL: ``user_id`` is a member of ``employer_id`` (for other domains' readable_by queries)."""
    return exists().where(
        and_(EmployerMember.employer_id == employer_id, EmployerMember.user_id == user_id)
    )
