"""The user's own data: profile, phone binding, real name (ID number encrypted, found by HMAC)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import Clock, local_date
from app.core.security import Security
from app.identity import repository
from app.identity.errors import IdNumberTaken, PhoneDecryptFailed, RealNameLocked
from app.identity.idcard import mask_id_number, mask_name, mask_phone, validate_id_number
from app.identity.models import User
from app.identity.ports import PictureCheck
from app.identity.roles import roles_for
from app.identity.schemas import MeRead, MeUpdate, RealNameRequest


def _decrypt(security: Security, value: str | None, context: str) -> str | None:
    return security.cipher.decrypt(value, context=context) if value else None


def phone_of(security: Security, user: User) -> str | None:
    return phone_from(security, user.phone_encrypted)


def phone_from(security: Security, sealed: str | None) -> str | None:
    """A user's phone from the ``phone_encrypted`` column (a row read without the entity)."""
    return _decrypt(security, sealed, "phone")


def real_name_of(security: Security, user: User) -> str | None:
    return real_name_from(security, user.real_name_encrypted)


def real_name_from(security: Security, sealed: str | None) -> str | None:
    """A user's real name from the ``real_name_encrypted`` column."""
    return _decrypt(security, sealed, "real_name")


def id_number_of(security: Security, user: User) -> str | None:
    return _decrypt(security, user.id_number_encrypted, "id_number")


async def read_me(
    session: AsyncSession,
    security: Security,
    user: User,
    roles: list[str] | None = None,
    *,
    unread_notifications: int = 0,
) -> MeRead:
    """The user's own profile; ``roles`` when the caller has just derived them (login)."""
    phone = phone_of(security, user)
    name = real_name_of(security, user)
    id_number = id_number_of(security, user)
    return MeRead(
        id=user.id,
        nickname=user.nickname,
        avatar_file_id=user.avatar_file_id,
        external_avatar_url=user.avatar_url,
        gender=user.gender,
        contact_preferences=user.contact_preferences,
        roles=roles if roles is not None else await roles_for(session, user.id),
        phone_bound=phone is not None,
        phone_masked=mask_phone(phone) if phone else None,
        real_name_verified=user.real_name_verified_at is not None,
        real_name_masked=mask_name(name) if name else None,
        id_number_masked=mask_id_number(id_number) if id_number else None,
        birth_date=user.birth_date,
        sex=user.sex,
        created_at=user.created_at,
        unread_notifications=unread_notifications,
    )


async def update_me(
    session: AsyncSession, user: User, changes: MeUpdate, check_picture: PictureCheck
) -> None:
    """Replace the editable profile (PUT): every field, sent or defaulted, is stored."""
    user.nickname = changes.nickname
    user.gender = changes.gender
    user.contact_preferences = changes.contact_preferences.model_dump()
    await _set_avatar(session, user, changes, check_picture)
    await session.flush()


async def _set_avatar(
    session: AsyncSession, user: User, changes: MeUpdate, check_picture: PictureCheck
) -> None:
    """An uploaded avatar wins over an external one; neither sent clears the avatar."""
    file_id = changes.avatar_file_id
    if file_id is not None:
        attached = [user.avatar_file_id] if user.avatar_file_id else []
        await check_picture(
            session, [file_id], owner_id=user.id, purpose="avatar", attached=attached
        )
    user.avatar_file_id = file_id
    user.avatar_url = changes.avatar_url if file_id is None else None


def session_key_of(security: Security, user: User) -> str:
    key = _decrypt(security, user.session_key_encrypted, "session_key")
    if not key:
        raise PhoneDecryptFailed()
    return key


async def set_real_name(
    session: AsyncSession, clock: Clock, security: Security, user: User, body: RealNameRequest
) -> None:
    """Verify the ID number (GB 11643) and bind it; one ID number belongs to one account."""
    now = clock()
    today = local_date(now)
    parsed = validate_id_number(body.id_number, today=today)
    digest = security.hasher.digest(parsed.number, purpose="id_number")
    if user.id_number_hash is not None:
        same = user.id_number_hash == digest and real_name_of(security, user) == body.name
        if same:
            return
        raise RealNameLocked()
    owner = await repository.user_by_id_number_hash(session, digest)
    if owner is not None and owner.id != user.id:
        raise IdNumberTaken()
    user.real_name_encrypted = security.cipher.encrypt(body.name, context="real_name")
    user.id_number_encrypted = security.cipher.encrypt(parsed.number, context="id_number")
    user.id_number_hash = digest
    user.birth_date = parsed.birth_date
    user.sex = parsed.sex
    user.real_name_verified_at = now
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:  # a concurrent binding of the same number won the race
        raise IdNumberTaken() from None
