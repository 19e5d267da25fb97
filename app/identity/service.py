"""Logging in: WeChat code → user, refresh rotation, staff password login with lockout."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.core.clock import Clock
from app.core.config import SecuritySettings
from app.core.driver import session_driver
from app.core.security import DUMMY_PASSWORD_HASH, Security, verify_password
from app.identity import repository, staff_guard, tokens
from app.identity.errors import RefreshTokenInvalid, StaffCredentialsInvalid, StaffLocked
from app.identity.models import StaffAccount, User
from app.identity.roles import NEWCOMER_ROLES, roles_for


@dataclass(frozen=True)
class UserLogin:
    user: User
    tokens: tokens.IssuedTokens
    roles: list[str]
    created: bool  # the first login: the account was created by this one


@dataclass(frozen=True)
class StaffCredentials:
    username: str
    password: str
    client: str  # the client address the request came from


@dataclass(frozen=True)
class StaffLogin:
    staff: StaffAccount
    tokens: tokens.IssuedTokens


async def login_with_wechat(
    session: AsyncSession,
    clock: Clock,
    security: Security,
    wechat: Any,
    code: str,
    *,
    admit: Callable[[str], Awaitable[None]] | None = None,
) -> UserLogin:
    """Exchange a `wx.login` code for the user's openid; create the user on first login.

    WeChat is asked first, before the session touches the database: a login spends tens of
    milliseconds waiting for ``jscode2session`` and must not hold a pooled connection meanwhile
    (a storm of logins would otherwise empty the pool while every connection sits idle).
    ``admit(openid)`` may then refuse the login (the per-account rate limit) before anything is
    written. The user and the refresh token are written by one statement on the session's
    connection (``repository.write_wechat_login``), committed by itself unless the session's
    transaction has begun; the rest of the session is untouched.

    A user this login created holds no derived role yet: the facts roles derive from refer to
    the user, and nothing can refer to a row its transaction has not committed. A storm of
    first logins skips the probes.
    """
    result = await wechat.code_to_session(code)
    if admit is not None:
        await admit(result.openid)
    now = clock()
    refresh, token_row = tokens.new_refresh(security, now)
    row = await repository.write_wechat_login(
        await session_driver(session),
        openid=result.openid,
        unionid=result.unionid,
        session_key_encrypted=security.cipher.encrypt(result.session_key, context="session_key"),
        refresh_token=token_row,
    )
    user = row.user
    roles = list(NEWCOMER_ROLES) if row.created else await roles_for(session, user.id)
    issued = tokens.issued(
        security, now, refresh, kind="user", subject_id=user.id, roles=tuple(roles)
    )
    return UserLogin(user=user, tokens=issued, roles=roles, created=row.created)


async def refresh(
    session: AsyncSession, clock: Clock, security: Security, presented: str
) -> tokens.IssuedTokens:
    """Rotate a refresh token: the old one is spent, the new one continues its family."""
    now = clock()
    old = await tokens.rotate(session, presented, now)
    if old.subject_kind == "user" and old.user_id is not None:
        user = await session.get(User, old.user_id)
        if user is None or not user.is_active:
            raise RefreshTokenInvalid()
        roles = tuple(await roles_for(session, user.id))
        return await tokens.issue(
            session,
            security,
            now,
            kind="user",
            subject_id=user.id,
            roles=roles,
            family_id=old.family_id,
        )
    staff = await session.get(StaffAccount, old.staff_id) if old.staff_id else None
    if staff is None or not staff.is_active:
        raise RefreshTokenInvalid()
    return await tokens.issue(
        session,
        security,
        now,
        kind="staff",
        subject_id=staff.id,
        roles=tuple(staff.roles),
        family_id=old.family_id,
    )


async def login_staff(
    session: AsyncSession,
    security: Security,
    settings: SecuritySettings,
    credentials: StaffCredentials,
    now: datetime,
) -> StaffLogin:
    """Password login guarded per (username, address) (see app.identity.staff_guard); what the
    guard counts is kept even when the answer is an error."""
    source = await staff_guard.admit(
        session, settings, credentials.username, credentials.client, now
    )
    staff = await repository.staff_by_username_for_update(session, credentials.username)
    if staff is None or not staff.is_active:
        verify_password(DUMMY_PASSWORD_HASH, credentials.password)  # same cost either way
        valid = False
    else:
        valid = verify_password(staff.password_hash, credentials.password)
    if staff is None or not staff.is_active or not valid:
        if await staff_guard.record_failure(session, settings, source, now):
            retry = settings.staff_lockout_minutes * 60
            raise StaffLocked(headers={"Retry-After": str(retry)})
        raise StaffCredentialsInvalid()
    await staff_guard.record_success(session, source, now)
    staff.last_login_at = now
    await audit.record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action="staff.login",
        subject_kind="staff",
        subject_id=staff.id,
    )
    issued = await tokens.issue(
        session, security, now, kind="staff", subject_id=staff.id, roles=tuple(staff.roles)
    )
    return StaffLogin(staff=staff, tokens=issued)
