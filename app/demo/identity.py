"""Demo staff accounts (sample data only; `serve` never seeds in production)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security import hash_password
from app.identity.models import StaffAccount

DEMO_PASSWORD = "demo-password-2025"
DEMO_STAFF = (
    ("demo.admin", "示例·管理员", ["admin"]),
    ("demo.reviewer", "示例·审核员", ["reviewer"]),
    ("demo.station", "示例·服务站工作人员", ["station"]),
)


async def seed_staff(session: AsyncSession) -> int:
    existing = set((await session.execute(select(StaffAccount.username))).scalars())
    created = 0
    for username, name, roles in DEMO_STAFF:
        if username in existing:
            continue
        session.add(
            StaffAccount(
                username=username,
                display_name=name,
                password_hash=hash_password(DEMO_PASSWORD),
                roles=roles,
            )
        )
        created += 1
    await session.flush()
    return created
