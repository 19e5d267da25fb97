"""One phone number belongs to one account at a time; binding it elsewhere moves it.

WeChat's ``getPhoneNumber`` proves that the person holding this WeChat account holds the number
*now* (the carrier verified it). Carriers recycle numbers, so an older account that still lists
the number may belong to its previous owner: refusing the new owner would let a stale account hold
the number hostage. So the latest verified binding wins: the number is taken from the other
account (which then has no phone) and the move is written to the audit log.

Two accounts binding one number at once are serialised by a transaction-level advisory lock on
the number's hash; the unique index on ``user.phone_hash`` is the backstop.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.core.db import advisory_key
from app.core.security import Security
from app.identity.models import User

PHONE_CONTEXT = "phone"


async def bind_phone(
    session: AsyncSession, security: Security, user: User, phone: str, now: datetime
) -> None:
    """Bind ``phone`` to ``user``, moving it away from any other account (audited)."""
    digest = security.hasher.digest(phone, purpose=PHONE_CONTEXT)
    lock = func.pg_advisory_xact_lock(advisory_key("identity.phone", digest))
    await session.execute(select(lock))
    released = await session.execute(
        update(User)
        .where(User.phone_hash == digest, User.id != user.id)
        .values(phone_encrypted=None, phone_hash=None, phone_bound_at=None)
        .returning(User.id)
    )
    for previous in released.scalars():
        await audit.record(
            session,
            actor_kind="user",
            actor_id=user.id,
            action="identity.phone_moved",
            subject_kind="user",
            subject_id=previous,
            details={"to_user": str(user.id)},
        )
    user.phone_encrypted = security.cipher.encrypt(phone, context=PHONE_CONTEXT)
    user.phone_hash = digest
    user.phone_bound_at = now
    await session.flush()
