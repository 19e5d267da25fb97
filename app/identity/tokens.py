"""Access tokens (JWT) and rotating refresh tokens with reuse detection."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import Clock
from app.core.security import Security, SubjectKind, hash_refresh_token, new_refresh_token
from app.identity import repository
from app.identity.errors import RefreshTokenInvalid, RefreshTokenReused
from app.identity.models import RefreshToken

_INSERT_REFRESH_TOKEN = insert(cast(Table, RefreshToken.__table__))


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int
    subject_kind: SubjectKind
    subject_id: uuid.UUID


def new_refresh(
    security: Security, now: datetime, family_id: uuid.UUID | None = None
) -> tuple[str, dict[str, object]]:
    """A refresh token issued at ``now`` and its row without the subject's columns (a new family
    unless one is given); the token is shown once, only its hash is stored."""
    refresh = new_refresh_token()
    row: dict[str, object] = {
        "id": uuid.uuid4(),
        "family_id": family_id or uuid.uuid4(),
        "token_hash": hash_refresh_token(refresh),
        "issued_at": now,
        "expires_at": now + security.refresh_ttl,
    }
    return refresh, row


def issued(
    security: Security,
    now: datetime,
    refresh: str,
    *,
    kind: SubjectKind,
    subject_id: uuid.UUID,
    roles: tuple[str, ...],
) -> IssuedTokens:
    """The pair handed to the client: a new access token and the stored ``refresh`` token."""
    return IssuedTokens(
        access_token=security.tokens.issue(subject_id, kind, roles, now),
        refresh_token=refresh,
        expires_in=int(security.tokens.ttl.total_seconds()),
        subject_kind=kind,
        subject_id=subject_id,
    )


async def issue(
    session: AsyncSession,
    security: Security,
    now: datetime,
    *,
    kind: SubjectKind,
    subject_id: uuid.UUID,
    roles: tuple[str, ...],
    family_id: uuid.UUID | None = None,
) -> IssuedTokens:
    """A new access token and a refresh token (a new family unless one is given), issued at
    ``now``."""
    refresh, row = new_refresh(security, now, family_id)
    row["subject_kind"] = kind
    row["user_id"] = subject_id if kind == "user" else None
    row["staff_id"] = subject_id if kind == "staff" else None
    # A prepared Core insert: the unit of work costs more CPU.
    await session.execute(_INSERT_REFRESH_TOKEN, row)
    return issued(security, now, refresh, kind=kind, subject_id=subject_id, roles=roles)


async def rotate(session: AsyncSession, presented: str, now: datetime) -> RefreshToken:
    """Mark the presented token used and return it; a token used before revokes its family.

    The row is locked, so two concurrent refreshes with one token cannot both succeed.
    """
    token = await repository.refresh_token_for_update(session, hash_refresh_token(presented))
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        raise RefreshTokenInvalid()
    if token.rotated_at is not None:
        await repository.revoke_family(session, token.family_id, now)
        raise RefreshTokenReused()
    token.rotated_at = now
    await session.flush()
    return token


async def revoke(session: AsyncSession, clock: Clock, presented: str) -> None:
    """Log out: revoke the token's whole family (unknown tokens are ignored)."""
    token = await repository.refresh_token_for_update(session, hash_refresh_token(presented))
    if token is not None:
        await repository.revoke_family(session, token.family_id, clock())
