"""Who is calling: FastAPI dependencies that read well on a route.

async def endpoint(user: CurrentUser): ...            # a logged-in mini-program user
async def endpoint(user: OptionalUser): ...           # anonymous allowed
async def endpoint(staff: CurrentStaff): ...          # any staff member
async def endpoint(staff: Annotated[StaffAccount, Depends(require_staff("reviewer"))]): ...
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from app.core import errors
from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.security import AccessClaims, InvalidToken, Security
from app.identity.models import StaffAccount, User

STAFF_ROLES = ("admin", "reviewer", "station", "liaison")

_bearer = HTTPBearer(auto_error=False, description="登录接口返回的 access_token")


class TokenInvalid(errors.Unauthorized):
    code = "auth.token_invalid"
    message = "登录已失效，请重新登录"


class UserOnly(errors.Forbidden):
    code = "auth.user_only"
    message = "该操作仅限小程序用户本人"


class StaffOnly(errors.Forbidden):
    code = "auth.staff_only"
    message = "该操作仅限工作人员"


class RoleMissing(errors.Forbidden):
    code = "auth.role_missing"
    message = "当前账号没有执行此操作的权限"


def get_security(request: Request) -> Security:
    security: Security = request.app.state.security
    return security


SecurityDep = Annotated[Security, Depends(get_security)]


async def get_claims(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    clock: ClockDep,
) -> AccessClaims | None:
    """Decode the bearer token if there is one (cached per request by FastAPI)."""
    if credentials is None:
        return None
    try:
        return get_security(request).tokens.decode(credentials.credentials, clock())
    except InvalidToken:
        raise TokenInvalid() from None


Claims = Annotated[AccessClaims | None, Depends(get_claims)]


async def signed_in_claims(claims: Claims, session: SessionDep) -> AccessClaims:
    """The token's claims, whoever signed in (user or staff); anonymous callers get 401, and a
    token of an erased, deactivated or unknown account gets 401 like everywhere else."""
    if claims is None:
        raise errors.Unauthorized()
    if claims.kind == "staff":
        await current_staff(claims, session)
    else:
        await current_user(claims, session)
    return claims


SignedInClaims = Annotated[AccessClaims, Depends(signed_in_claims)]


async def current_user(claims: Claims, session: SessionDep) -> User:
    if claims is None:
        raise errors.Unauthorized()
    if claims.kind != "user":
        raise UserOnly()
    return await usable_user(session, claims.subject_id)


async def usable_user(session: AsyncSession, user_id: uuid.UUID) -> User:
    """The user of a valid token, unless the account was erased or deactivated since (401)."""
    user = await session.get(User, user_id)
    if user is None or not user.is_active or user.deleted_at is not None:
        raise TokenInvalid()  # a deleted account's tokens are useless from that moment
    return user


async def current_or_deleted_user(claims: Claims, session: SessionDep) -> User:
    """The caller even when their account was deleted: only account deletion, which must answer
    a repeated request the same way, uses this."""
    if claims is None:
        raise errors.Unauthorized()
    if claims.kind != "user":
        raise UserOnly()
    user = await session.get(User, claims.subject_id)
    if user is None or (not user.is_active and user.deleted_at is None):
        raise TokenInvalid()
    return user


async def optional_user(claims: Claims, session: SessionDep) -> User | None:
    if claims is None or claims.kind != "user":
        return None
    user = await session.get(User, claims.subject_id)
    usable = user is not None and user.is_active and user.deleted_at is None
    return user if usable else None


async def current_staff(claims: Claims, session: SessionDep) -> StaffAccount:
    if claims is None:
        raise errors.Unauthorized()
    if claims.kind != "staff":
        raise StaffOnly()
    staff = await session.get(StaffAccount, claims.subject_id)
    if staff is None or not staff.is_active:
        raise TokenInvalid()
    return staff


CurrentUser = Annotated[User, Depends(current_user)]
OptionalUser = Annotated[User | None, Depends(optional_user)]
CurrentStaff = Annotated[StaffAccount, Depends(current_staff)]


_SIGN_IN_REQUIRED: tuple[Callable[..., object], ...] = (
    current_user,
    current_staff,
    signed_in_claims,
)


def bearer_is_optional(dependant: Dependant) -> bool:
    """True when an operation reads a token if one is sent but also serves anonymous callers.

    The OpenAPI document then declares the bearer scheme optional (``security: [{}, {bearer}]``).
    """
    calls: set[object] = set()
    pending = [dependant]
    while pending:
        current = pending.pop()
        calls.add(current.call)
        pending.extend(current.dependencies)
    return get_claims in calls and not calls.intersection(_SIGN_IN_REQUIRED)


def require_staff(*roles: str) -> Callable[..., Awaitable[StaffAccount]]:
    """A dependency admitting staff holding any of ``roles`` (``admin`` is admitted everywhere)."""
    wanted = set(roles) | {"admin"}

    async def dependency(staff: CurrentStaff) -> StaffAccount:
        if not wanted.intersection(staff.roles):
            raise RoleMissing(details={"required_any_of": sorted(wanted)})
        return staff

    return dependency


AdminStaff = Annotated[StaffAccount, Depends(require_staff("admin"))]
ReviewerStaff = Annotated[StaffAccount, Depends(require_staff("reviewer"))]
StationStaff = Annotated[StaffAccount, Depends(require_staff("station"))]
LiaisonStaff = Annotated[StaffAccount, Depends(require_staff("liaison"))]
