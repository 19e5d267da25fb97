"""Invitation codes: single-use, expiring; accepting one is audited and shown to the owner."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.core.security import Security
from app.employers import errors, repository
from app.employers.models import EmployerInvitation
from app.employers.schemas import EmployerRead, InvitationCreate, InvitationRead
from app.employers.service import read_employer, require_role
from app.identity.models import User

# Unambiguous characters (no 0/O, 1/I/L) for codes people may read aloud or type.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CODE_LENGTH = 10
LIST_LIMIT = 100


def invitation_read(
    invitation: EmployerInvitation, nickname: str | None, now: datetime
) -> InvitationRead:
    if invitation.accepted_at is not None:
        status = "accepted"
    elif invitation.revoked_at is not None:
        status = "revoked"
    elif invitation.expires_at <= now:
        status = "expired"
    else:
        status = "active"
    return InvitationRead(
        id=invitation.id,
        employer_id=invitation.employer_id,
        code=invitation.code,
        status=status,
        created_at=invitation.created_at,
        expires_at=invitation.expires_at,
        accepted_by=invitation.accepted_by,
        accepted_by_nickname=nickname,
        accepted_at=invitation.accepted_at,
    )


async def create_invitation(
    session: AsyncSession, user: User, employer_id: uuid.UUID, body: InvitationCreate, now: datetime
) -> InvitationRead:
    await require_role(session, employer_id, user, owner=True)
    invitation = EmployerInvitation(
        employer_id=employer_id,
        code="".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH)),
        created_by=user.id,
        expires_at=now + timedelta(hours=body.expires_in_hours),
        created_at=now,
    )
    session.add(invitation)
    await session.flush()
    return invitation_read(invitation, None, now)


async def list_invitations(
    session: AsyncSession, user: User, employer_id: uuid.UUID, now: datetime
) -> list[InvitationRead]:
    """The owner's view: the newest invitations, who accepted each and when."""
    await require_role(session, employer_id, user, owner=True)
    rows = await repository.list_invitations(session, employer_id, LIST_LIMIT)
    return [invitation_read(invitation, nickname, now) for invitation, nickname in rows]


async def accept_invitation(
    session: AsyncSession, security: Security, user: User, code: str, now: datetime
) -> EmployerRead:
    """Join the employer behind ``code``; the code is used up (unless already a member: 409,
    and the rollback leaves the code unused). The acceptance is audited."""
    accepted = await repository.accept_invitation(session, code.strip().upper(), user.id, now)
    if accepted is None:
        raise errors.InvitationInvalid()
    invitation_id, employer_id = accepted
    if not await repository.add_member(session, employer_id, user.id, "recruiter", invitation_id):
        raise errors.AlreadyMember()
    await audit.record(
        session,
        actor_kind="user",
        actor_id=user.id,
        action="employer.invitation_accepted",
        subject_kind="employer_invitation",
        subject_id=invitation_id,
        details={"employer_id": str(employer_id)},
    )
    return await read_employer(session, security, employer_id, user)
