"""Staff accounts managed by admins, and staff reads of a person's unmasked data (audited)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.core.security import Security, hash_password
from app.identity import repository
from app.identity.errors import (
    LastAdmin,
    StaffNotFound,
    StaffUsernameTaken,
    StaffUserTaken,
    UserNotFound,
)
from app.identity.models import StaffAccount, User
from app.identity.profile import id_number_of, phone_of, real_name_of
from app.identity.schemas import StaffCreate, StaffUpdate, UserIdentityRead
from app.identity.units import check_unit


async def create_staff(
    session: AsyncSession, body: StaffCreate, *, actor: StaffAccount | None
) -> StaffAccount:
    staff = StaffAccount(
        username=body.username,
        display_name=body.display_name,
        password_hash=hash_password(body.password),
        roles=sorted(set(body.roles)),
        unit=check_unit(body.roles, body.unit),
    )
    session.add(staff)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise StaffUsernameTaken() from None
    await audit.record(
        session,
        actor_kind="staff" if actor else "system",
        actor_id=actor.id if actor else None,
        action="staff.created",
        subject_kind="staff",
        subject_id=staff.id,
        details={"username": staff.username, "roles": staff.roles, "unit": staff.unit},
    )
    return staff


async def update_staff(
    session: AsyncSession, staff_id: uuid.UUID, body: StaffUpdate, *, actor: StaffAccount
) -> StaffAccount:
    staff = await session.get(StaffAccount, staff_id, with_for_update=True)
    if staff is None:
        raise StaffNotFound()
    before = {"roles": list(staff.roles), "is_active": staff.is_active, "unit": staff.unit}
    staff.display_name = body.display_name
    staff.roles = sorted(set(body.roles))
    staff.unit = check_unit(body.roles, body.unit)
    staff.is_active = body.is_active
    if body.user_id != staff.user_id:
        await _link_user(session, staff, body.user_id, actor=actor)
    await session.flush()
    if await repository.count_active_admins(session) == 0:
        raise LastAdmin()
    after = {"roles": list(staff.roles), "is_active": staff.is_active, "unit": staff.unit}
    if before != after:
        await audit.record(
            session,
            actor_kind="staff",
            actor_id=actor.id,
            action="staff.roles_changed",
            subject_kind="staff",
            subject_id=staff.id,
            details={"before": before, "after": after},
        )
    return staff


async def _link_user(
    session: AsyncSession, staff: StaffAccount, user_id: uuid.UUID | None, *, actor: StaffAccount
) -> None:
    """Tie a staff account to the person's own mini-program account (or untie it), so reviews
    of that person's and their organisations' applications can be refused."""
    if user_id is not None and await session.get(User, user_id) is None:
        raise UserNotFound()
    before = staff.user_id
    staff.user_id = user_id
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise StaffUserTaken() from None
    if before != user_id:
        await audit.record(
            session,
            actor_kind="staff",
            actor_id=actor.id,
            action="staff.user_linked",
            subject_kind="staff",
            subject_id=staff.id,
            details={
                "before": str(before) if before else None,
                "after": str(user_id) if user_id else None,
            },
        )


async def list_staff(session: AsyncSession) -> list[StaffAccount]:
    rows = await session.execute(select(StaffAccount).order_by(StaffAccount.username))
    return list(rows.scalars())


async def read_identity(
    session: AsyncSession,
    security: Security,
    user_id: uuid.UUID,
    *,
    actor: StaffAccount,
    reason: str | None = None,
) -> UserIdentityRead:
    """Unmasked name, ID number and phone; the read itself is audited (with the staff member's
    stated reason when one is given, as the console requires)."""
    user = await session.get(User, user_id)
    if user is None:
        raise UserNotFound()
    await audit.record(
        session,
        actor_kind="staff",
        actor_id=actor.id,
        action="identity.read_unmasked",
        subject_kind="user",
        subject_id=user.id,
        details={"reason": reason} if reason else None,
    )
    return UserIdentityRead(
        user_id=user.id,
        real_name=real_name_of(security, user),
        id_number=id_number_of(security, user),
        phone=phone_of(security, user),
    )
