"""Employer rules: registration, who sees what, membership and invitations."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.keyset import ID, TIMESTAMP, keyset
from app.core.pagination import Page
from app.core.security import Security
from app.employers import errors, repository
from app.employers.contact import private_read, seal_contact_phone
from app.employers.credit_code import validate_credit_code
from app.employers.models import Employer
from app.employers.schemas import (
    EmployerCreate,
    EmployerRead,
    EmployerSummary,
    MemberRead,
    MyEmployer,
)
from app.files.pictures import usable_pictures
from app.identity.models import User
from app.taxonomy import areas_by_code, industries_by_code

# Memberships are listed by when the person joined, then the employer's or member's id.
JOINED = keyset(TIMESTAMP, ID)
LOGO = "employer_logo"


def check_codes(industry_code: str, area_code: str) -> None:
    if industry_code not in industries_by_code():
        raise errors.UnknownIndustry(details={"industry_code": industry_code})
    if area_code not in areas_by_code():
        raise errors.UnknownArea(details={"area_code": area_code})


async def register_employer(
    session: AsyncSession, security: Security, user: User, body: EmployerCreate
) -> Employer:
    """Create a pending employer with its creator as owner; one credit code, one employer."""
    credit_code = validate_credit_code(body.credit_code)  # 422 saying what is wrong
    check_codes(body.industry_code, body.area_code)
    if body.logo_file_id is not None:
        await usable_pictures(session, [body.logo_file_id], owner_id=user.id, purpose=LOGO)
    values = body.model_dump(exclude={"contact_phone"})
    values.update(
        credit_code=credit_code,
        status="pending",
        created_by=user.id,
        contact_phone_encrypted=seal_contact_phone(security, body.contact_phone),
    )
    employer_id = await repository.insert_employer(session, values)
    if employer_id is None:
        raise errors.DuplicateCreditCode()
    await repository.add_member(session, employer_id, user.id, "owner")
    employer = await repository.get(session, employer_id)
    assert employer is not None
    return employer


def employer_read(security: Security, employer: Employer, role: str | None) -> EmployerRead:
    summary = EmployerSummary.model_validate(employer)
    private = private_read(security, employer) if role is not None else None
    # dict(): the fields only; the signed links are made when the answer is serialised.
    return EmployerRead.model_validate({**dict(summary), "my_role": role, "private": private})


async def read_employer(
    session: AsyncSession, security: Security, employer_id: uuid.UUID, viewer: User | None
) -> EmployerRead:
    """Verified employers are public; others only to their members (anyone else gets 404)."""
    found = await repository.get_readable(session, employer_id, viewer.id if viewer else None)
    if found is None:
        raise errors.EmployerNotFound()
    employer, role = found
    return employer_read(security, employer, role)


async def set_logo(
    session: AsyncSession, employer_id: uuid.UUID, user: User, logo_file_id: uuid.UUID | None
) -> Employer:
    """The owner sets (or clears) the logo: their own upload of purpose ``employer_logo``."""
    await require_role(session, employer_id, user, owner=True)
    employer = await repository.get(session, employer_id)
    if employer is None:
        raise errors.EmployerNotFound()
    if logo_file_id is not None:
        attached = [employer.logo_file_id] if employer.logo_file_id else []
        await usable_pictures(
            session, [logo_file_id], owner_id=user.id, purpose=LOGO, attached=attached
        )
    employer.logo_file_id = logo_file_id
    await session.flush()
    await session.refresh(employer)  # updated_at is set by the database
    return employer


async def require_role(
    session: AsyncSession, employer_id: uuid.UUID, user: User, *, owner: bool = False
) -> str:
    """The caller's role; 404 for a non-member (no existence leak), 403 if owner is needed."""
    role = await repository.member_role(session, employer_id, user.id)
    if role is None:
        raise errors.EmployerNotFound()
    if owner and role != "owner":
        raise errors.OwnerOnly()
    return role


async def require_publisher(session: AsyncSession, employer_id: uuid.UUID, user: User) -> Employer:
    """The employer, if ``user`` is a member and it is verified (only those publish jobs)."""
    await require_role(session, employer_id, user)
    employer = await repository.get(session, employer_id)
    if employer is None:
        raise errors.EmployerNotFound()
    if not employer.is_verified:
        raise errors.NotVerified(details={"status": employer.status})
    return employer


async def my_employers(
    session: AsyncSession, user: User, cursor: str | None, limit: int
) -> Page[MyEmployer]:
    rows = await repository.list_for_user(session, user.id, JOINED.decode(cursor), limit + 1)
    return JOINED.page(
        rows,
        limit,
        key=lambda row: (row.joined_at, row[0].id),
        item=lambda row: MyEmployer(
            employer=EmployerSummary.model_validate(row[0]),
            status=row[0].status,
            role=row.role,
            joined_at=row.joined_at,
        ),
    )


async def list_members(
    session: AsyncSession, user: User, employer_id: uuid.UUID, cursor: str | None, limit: int
) -> Page[MemberRead]:
    await require_role(session, employer_id, user)
    rows = await repository.list_members(session, employer_id, JOINED.decode(cursor), limit + 1)
    return JOINED.page(
        rows,
        limit,
        key=lambda row: (row.joined_at, row.user_id),
        item=lambda row: MemberRead.model_validate(row, from_attributes=True),
    )


async def remove_member(
    session: AsyncSession, user: User, employer_id: uuid.UUID, member_id: uuid.UUID
) -> None:
    """The owner removes a recruiter, or a recruiter leaves; the owner cannot remove themselves."""
    role = await require_role(session, employer_id, user)
    if member_id == user.id and role == "owner":
        raise errors.OwnerCannotLeave()
    if member_id != user.id and role != "owner":
        raise errors.OwnerOnly()
    if not await repository.remove_member(session, employer_id, member_id):
        raise errors.MemberNotFound()
