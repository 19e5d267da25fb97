"""SQL of the identity domain."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import any_, func, literal, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.identity.models import RefreshToken, StaffAccount, User


async def upsert_wechat_user(
    session: AsyncSession, *, openid: str, unionid: str | None, session_key_encrypted: str
) -> User:
    """One user per openid, safe when the same person logs in twice at once."""
    stmt = (
        insert(User)
        .values(
            id=uuid.uuid4(),
            openid=openid,
            unionid=unionid,
            session_key_encrypted=session_key_encrypted,
            last_login_at=func.now(),
        )
        .on_conflict_do_update(
            index_elements=[User.openid],
            set_={
                "unionid": func.coalesce(insert(User).excluded.unionid, User.unionid),
                "session_key_encrypted": session_key_encrypted,
                "last_login_at": func.now(),
            },
        )
        .returning(User.id)
    )
    user_id = (await session.execute(stmt)).scalar_one()
    user = await session.get(User, user_id, populate_existing=True)
    assert user is not None
    return user


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
