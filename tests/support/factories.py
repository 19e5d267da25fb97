"""Arrange people and staff directly in the database, and log them in without WeChat.

user = await make_user(session, phone="13800000000", real_name=("张三", "11010519491231002X"))
response = await client.get("/api/v1/me", headers=auth(app, user))
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import SecuritySettings
from app.core.security import Security, TokenService, hash_password
from app.identity.models import StaffAccount, User


def default_security() -> Security:
    """The test app's keys (the default settings), for factories that have no ``app``."""
    return Security.from_settings(SecuritySettings())


def _security(app: FastAPI) -> Security:
    security: Security = app.state.security
    return security


async def make_user(
    session: AsyncSession,
    app: FastAPI,
    *,
    openid: str | None = None,
    nickname: str | None = "测试用户",
    phone: str | None = None,
    real_name: tuple[str, str] | None = None,
    birth_date: date | None = None,
    sex: str | None = None,
) -> User:
    """A user row; ``phone`` and ``real_name`` (name, id number) are stored encrypted as in prod."""
    security = _security(app)
    user = User(openid=openid or f"o_{uuid.uuid4().hex}", nickname=nickname)
    if phone:
        user.phone_encrypted = security.cipher.encrypt(phone, context="phone")
        user.phone_hash = security.hasher.digest(phone, purpose="phone")
        user.phone_bound_at = datetime.now(UTC)
    if real_name:
        name, id_number = real_name
        user.real_name_encrypted = security.cipher.encrypt(name, context="real_name")
        user.id_number_encrypted = security.cipher.encrypt(id_number, context="id_number")
        user.id_number_hash = security.hasher.digest(id_number, purpose="id_number")
        user.real_name_verified_at = datetime.now(UTC)
        user.birth_date = birth_date or date(
            int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14])
        )
        user.sex = sex or ("male" if int(id_number[16]) % 2 else "female")
    session.add(user)
    await session.flush()
    return user


async def make_staff(
    session: AsyncSession,
    *,
    roles: tuple[str, ...] = ("admin",),
    username: str | None = None,
    password: str = "correct horse battery staple",
) -> StaffAccount:
    staff = StaffAccount(
        username=username or f"staff_{uuid.uuid4().hex[:8]}",
        display_name="测试工作人员",
        password_hash=hash_password(password),
        roles=list(roles),
    )
    session.add(staff)
    await session.flush()
    return staff


# Test tokens are valid at any "now" a test sets (a fake clock may stand in the past or move on by
# days); tokens issued by the login endpoints keep the real lifetime and follow the app's clock.
_TEST_TOKEN_ISSUED = datetime(2000, 1, 1, tzinfo=UTC)
_TEST_TOKEN_TTL = timedelta(days=100 * 365)


def auth(app: FastAPI, subject: User | StaffAccount) -> dict[str, str]:
    """Bearer headers for a user or a staff member."""
    tokens = TokenService(_security(app).tokens.secret, _TEST_TOKEN_TTL)
    if isinstance(subject, User):
        token = tokens.issue(subject.id, "user", ("job_seeker",), _TEST_TOKEN_ISSUED)
    else:
        token = tokens.issue(subject.id, "staff", tuple(subject.roles), _TEST_TOKEN_ISSUED)
    return {"Authorization": f"Bearer {token}"}
