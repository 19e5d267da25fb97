"""What a user is, besides a job seeker: derived from what they have, never stored twice."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

RoleProbe = Callable[[AsyncSession, uuid.UUID], Awaitable[bool]]

# (role, probe) pairs contributed by domains at import time (gigs, employers).
_PROBES: list[tuple[str, RoleProbe]] = []


def register_role(role: str, probe: RoleProbe) -> None:
    _PROBES.append((role, probe))


async def roles_for(session: AsyncSession, user_id: uuid.UUID) -> list[str]:
    roles = ["job_seeker"]
    for role, probe in _PROBES:
        if await probe(session, user_id):
            roles.append(role)
    return roles
