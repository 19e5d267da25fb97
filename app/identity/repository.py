"""SQL of the identity domain."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    any_,
    delete,
    exists,
    func,
    inspect,
    literal,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditRecord
from app.identity.models import RefreshToken, StaffAccount, StaffLoginSource, User

# A WeChat login's writes as one statement (atomic by itself, one round trip): one user per
# openid — a concurrent first login of the same openid waits on the unique index until the other
# ends, then updates the row it inserted, so neither fails and there is never a second row — and
# the login's refresh token for whichever row that is. xmax is 0 on a row version this statement
# inserted, the locker's id on one it updated.
_WECHAT_LOGIN = """
    WITH person AS (
        INSERT INTO "user" AS u (id, openid, unionid, session_key_encrypted, last_login_at)
        VALUES ($1, $2, $3, $4, now())
        ON CONFLICT (openid) DO UPDATE SET
            unionid = coalesce(excluded.unionid, u.unionid),
            session_key_encrypted = excluded.session_key_encrypted,
            last_login_at = now(),
            updated_at = now()
        RETURNING u.*, xmax = 0 AS created
    ), token AS (
        INSERT INTO refresh_token
            (id, family_id, subject_kind, user_id, token_hash, issued_at, expires_at)
        SELECT $5, $6, 'user', person.id, $7, $8, $9 FROM person
    )
    SELECT * FROM person
"""

# The User attributes and their columns, to build the entity from the statement's row.
_USER_COLUMNS = [(attr.key, attr.columns[0].name) for attr in inspect(User).column_attrs]


@dataclass(frozen=True)
class WeChatUserRow:
    user: User  # not in any session: the statement wrote it
    created: bool  # inserted by this statement: nothing else can refer to the row yet


async def write_wechat_login(
    driver: Any,
    *,
    openid: str,
    unionid: str | None,
    session_key_encrypted: str,
    refresh_token: Mapping[str, Any],
) -> WeChatUserRow:
    """The user of ``openid`` (created on the first login) and its new refresh token
    (``tokens.new_tokens``' row, without its user), in one statement on an asyncpg connection
    (``app.core.driver.session_driver``): committed by itself, or with the transaction the
    connection is in."""
    row = await driver.fetchrow(
        _WECHAT_LOGIN,
        uuid.uuid4(),
        openid,
        unionid,
        session_key_encrypted,
        refresh_token["id"],
        refresh_token["family_id"],
        refresh_token["token_hash"],
        refresh_token["issued_at"],
        refresh_token["expires_at"],
    )
    user = User(**{key: row[column] for key, column in _USER_COLUMNS})
    return WeChatUserRow(user=user, created=row["created"])


async def refresh_token_for_update(session: AsyncSession, token_hash: str) -> RefreshToken | None:
    stmt = select(RefreshToken).where(RefreshToken.token_hash == token_hash).with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def revoke_family(session: AsyncSession, family_id: uuid.UUID, when: datetime) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=when)
    )


async def staff_by_username_for_update(session: AsyncSession, username: str) -> StaffAccount | None:
    stmt = select(StaffAccount).where(StaffAccount.username == username).with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def user_by_id_number_hash(session: AsyncSession, digest: str) -> User | None:
    stmt = select(User).where(User.id_number_hash == digest)
    return (await session.execute(stmt)).scalar_one_or_none()


async def count_active_admins(session: AsyncSession) -> int:
    stmt = select(func.count()).where(
        StaffAccount.is_active.is_(True), literal("admin") == any_(StaffAccount.roles)
    )
    return int((await session.execute(stmt)).scalar_one())


async def staff_login_source_for_update(
    session: AsyncSession, username: str, client_address: str
) -> StaffLoginSource:
    """The row of this username and address (created on first sight), locked for the login."""
    await session.execute(
        insert(StaffLoginSource)
        .values(username=username, client_address=client_address)
        .on_conflict_do_nothing()
    )
    stmt = (
        select(StaffLoginSource)
        .where(
            StaffLoginSource.username == username,
            StaffLoginSource.client_address == client_address,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.execute(stmt)).scalar_one()


@dataclass(frozen=True)
class FailureSpread:
    addresses: int
    failures: int
    last_failed_at: datetime | None


async def staff_failure_spread(
    session: AsyncSession, username: str, since: datetime
) -> FailureSpread:
    """How many addresses failed on ``username`` since ``since``, and when the last one did."""
    stmt = select(
        func.count(),
        func.coalesce(func.sum(StaffLoginSource.failures), 0),
        func.max(StaffLoginSource.last_failed_at),
    ).where(StaffLoginSource.username == username, StaffLoginSource.last_failed_at > since)
    addresses, failures, last = (await session.execute(stmt)).one()
    return FailureSpread(int(addresses), int(failures), last)


async def audit_exists_since(
    session: AsyncSession, action: str, subject_id: str, since: datetime
) -> bool:
    stmt = select(
        exists().where(
            AuditRecord.action == action,
            AuditRecord.subject_id == subject_id,
            AuditRecord.created_at > since,
        )
    )
    return bool((await session.execute(stmt)).scalar_one())


async def delete_expired_refresh_tokens(session: AsyncSession, now: datetime, limit: int) -> int:
    """Delete up to ``limit`` refresh tokens expired by ``now``; how many."""
    batch = (
        select(RefreshToken.id)
        .where(RefreshToken.expires_at <= now)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    result = await session.execute(
        delete(RefreshToken).where(RefreshToken.id.in_(batch)).returning(RefreshToken.id)
    )
    return len(result.all())
