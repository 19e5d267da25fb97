"""SQL of the identity domain."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    any_,
    bindparam,
    delete,
    exists,
    func,
    literal,
    literal_column,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable

from app.audit.models import AuditRecord
from app.identity.models import RefreshToken, StaffAccount, StaffLoginSource, User


def _wechat_user_upsert() -> Executable:
    excluded = insert(User).excluded
    return (
        insert(User)
        .values(
            id=bindparam("id"),
            openid=bindparam("openid"),
            unionid=bindparam("unionid"),
            session_key_encrypted=bindparam("session_key_encrypted"),
            last_login_at=func.now(),
        )
        .on_conflict_do_update(
            index_elements=[User.openid],
            set_={
                "unionid": func.coalesce(excluded.unionid, User.unionid),
                "session_key_encrypted": excluded.session_key_encrypted,
                "last_login_at": func.now(),
                "updated_at": func.now(),
            },
        )
        # xmax is 0 on a row version this statement inserted, the locker's id on one it updated.
        .returning(User, literal_column("xmax = 0").label("created"))
    )


# Built once: the login storm's hot statement (building and cache-keying an ON CONFLICT insert
# cost more CPU than PostgreSQL spends running it).
_WECHAT_USER_UPSERT = _wechat_user_upsert()


@dataclass(frozen=True)
class WeChatUserRow:
    user: User
    created: bool  # inserted by this statement: nothing else can refer to the row yet


async def upsert_wechat_user(
    session: AsyncSession, *, openid: str, unionid: str | None, session_key_encrypted: str
) -> WeChatUserRow:
    """One user per openid, in one round trip, safe when the same person logs in twice at once.

    ``INSERT … ON CONFLICT (openid) DO UPDATE … RETURNING``: a concurrent first login of the same
    openid waits on the unique index until the other transaction ends, then updates the row it
    inserted; neither fails and there is never a second row.
    """
    params = {
        "id": uuid.uuid4(),
        "openid": openid,
        "unionid": unionid,
        "session_key_encrypted": session_key_encrypted,
    }
    result = await session.execute(
        _WECHAT_USER_UPSERT, params, execution_options={"populate_existing": True}
    )
    user, created = result.one()
    return WeChatUserRow(user=user, created=bool(created))


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
