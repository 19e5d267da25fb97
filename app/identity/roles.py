"""What a user is, besides a job seeker: derived from what they have, never stored twice."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

RoleProbe = Callable[[AsyncSession, uuid.UUID], Awaitable[bool]]

# role -> probe, contributed by the domains that own the facts; app.main.register_roles
# registers them when the app is built (identity itself imports no domain).
_PROBES: dict[str, RoleProbe] = {}


def register_role(role: str, probe: RoleProbe) -> None:
    """Derive ``role`` from ``probe``; registering a role again replaces its probe."""
    _PROBES[role] = probe


def registered_roles() -> list[str]:
    """The derived roles, in registration order."""
    return list(_PROBES)


# The roles of a user created in the current transaction (see service.login_with_wechat).
NEWCOMER_ROLES: tuple[str, ...] = ("job_seeker",)


async def roles_for(session: AsyncSession, user_id: uuid.UUID) -> list[str]:
    roles = list(NEWCOMER_ROLES)
    for role, probe in _PROBES.items():
        if await probe(session, user_id):
            roles.append(role)
    return roles
