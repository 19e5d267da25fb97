"""Login, tokens, the user's own profile and real name; staff login and staff administration."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import Clock, ClockDep
from app.core.config import Settings
from app.core.db import SessionDep
from app.core.pagination import CursorParam, LimitParam, Page
from app.core.ratelimit import Limit, RateLimiter
from app.core.read_routing import note_author
from app.core.routing import APIRouter
from app.identity import phone_binding, profile, service, tokens
from app.identity import staff as staff_service
from app.identity.audit_queries import list_audit_records
from app.identity.dependencies import AdminStaff, CurrentUser, ReviewerStaff, get_security
from app.identity.models import StaffAccount, User
from app.identity.ports import UnreadNotifications
from app.identity.schemas import (
    AuditRecordRead,
    LoginResult,
    MeRead,
    MeUpdate,
    PhoneBindRequest,
    RealNameRequest,
    RefreshRequest,
    StaffCreate,
    StaffLoginRequest,
    StaffLoginResult,
    StaffRead,
    StaffUpdate,
    TokenPair,
    UserIdentityRead,
    WeChatLoginRequest,
)
from app.identity.wechat_phone import phone_from_code, phone_from_encrypted_data

LOGIN_PER_CLIENT = Limit("login.client", hits=30, seconds=60)
LOGIN_PER_ACCOUNT = Limit("login.account", hits=10, seconds=60)
PHONE_PER_ACCOUNT = Limit("phone.account", hits=5, seconds=600)
PHONE_PER_CLIENT = Limit("phone.client", hits=20, seconds=600)
STAFF_PER_CLIENT = Limit("staff_login.client", hits=20, seconds=300)
STAFF_PER_ACCOUNT = Limit("staff_login.account", hits=10, seconds=300)

auth_router = APIRouter(prefix="/api/v1/auth", tags=["auth"])
me_router = APIRouter(prefix="/api/v1/me", tags=["me"])
admin_router = APIRouter(prefix="/api/v1/admin", tags=["admin-identity"])


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.ratelimiter
    return limiter


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def _read_me(
    request: Request,
    session: AsyncSession,
    user: User,
    roles: list[str] | None = None,
    *,
    created: bool = False,
) -> MeRead:
    """The profile with the unread count (``app.state.unread_notifications``: a port); an
    account ``created`` in this transaction has no notification yet."""
    unread: UnreadNotifications = request.app.state.unread_notifications
    return await profile.read_me(
        session,
        get_security(request),
        user,
        roles,
        unread_notifications=0 if created else await unread(session, user.id),
    )


def _pair(issued: tokens.IssuedTokens) -> TokenPair:
    return TokenPair(
        access_token=issued.access_token,
        refresh_token=issued.refresh_token,
        expires_in=issued.expires_in,
    )


def _staff_read(staff: StaffAccount) -> StaffRead:
    return StaffRead.model_validate(staff, from_attributes=True)


@auth_router.post("/wechat/login", response_model=LoginResult, summary="微信登录")
async def wechat_login(
    body: WeChatLoginRequest, request: Request, session: SessionDep, clock: ClockDep
) -> LoginResult:
    """Log in with the `code` from `wx.login()`.

    Returns a short-lived `access_token` (send it as `Authorization: Bearer …`), a
    `refresh_token` (store it; exchange it at `/auth/refresh` when the access token expires) and
    the user's profile. The first login creates the account. A code works once: reusing it gives
    401 `wechat.code_invalid` — call `wx.login()` again.
    """
    return await log_in_with_wechat(request, session, clock, body.code)


async def log_in_with_wechat(
    request: Request, session: AsyncSession, clock: Clock, code: str
) -> LoginResult:
    """The WeChat login of this route and of its lean path (app.identity.lean_login)."""
    limiter = _limiter(request)
    await limiter.check(LOGIN_PER_CLIENT, _client(request))
    security = get_security(request)
    wechat = request.app.state.wechat

    async def admit(openid: str) -> None:
        # Per account, before anything is written; keyed by a keyed hash of the openid.
        account = security.hasher.digest(openid, purpose="login_account")
        await limiter.check(LOGIN_PER_ACCOUNT, account)

    result = await service.login_with_wechat(session, clock, security, wechat, code, admit=admit)
    me = await _read_me(request, session, result.user, result.roles, created=result.created)
    note_author(request, "user", result.user.id)
    issued = result.tokens
    return LoginResult(
        access_token=issued.access_token,
        refresh_token=issued.refresh_token,
        expires_in=issued.expires_in,
        user=me,
    )


@auth_router.post("/refresh", response_model=TokenPair, summary="刷新登录凭证")
async def refresh(
    body: RefreshRequest, request: Request, session: SessionDep, clock: ClockDep
) -> TokenPair:
    """Exchange a refresh token for a new access token **and a new refresh token**.

    Each refresh token works once. Presenting one that was already exchanged (a stolen copy, or
    a client bug) logs out every device of that login (401 `auth.refresh_reused`).
    """
    issued = await service.refresh(session, clock, get_security(request), body.refresh_token)
    return _pair(issued)


@auth_router.post("/logout", status_code=204, summary="退出登录")
async def logout(body: RefreshRequest, session: SessionDep, clock: ClockDep) -> None:
    """Revoke the refresh token (and its rotations). The access token expires by itself."""
    await tokens.revoke(session, clock, body.refresh_token)


@auth_router.post("/wechat/phone", response_model=MeRead, summary="绑定手机号")
async def bind_phone(
    body: PhoneBindRequest,
    user: CurrentUser,
    request: Request,
    session: SessionDep,
    clock: ClockDep,
) -> MeRead:
    """Bind the phone number from the `getPhoneNumber` button.

    Send `{"code": ...}` (the button's new code), or the legacy `{"encrypted_data", "iv"}`
    pair (decrypted with the session of the last `wx.login`).

    A number belongs to one account at a time: WeChat has just verified that you hold it, so
    if another account had it (a recycled number, or your old account), it moves to this one and
    the other account is left without a phone; the move is audited.
    """
    limiter = _limiter(request)
    await limiter.check(PHONE_PER_CLIENT, _client(request))
    await limiter.check(PHONE_PER_ACCOUNT, str(user.id))
    security = get_security(request)
    if body.code is not None:
        phone = await phone_from_code(request.app.state.wechat, body.code)
    else:
        assert body.encrypted_data is not None and body.iv is not None
        session_key = profile.session_key_of(security, user)
        phone = phone_from_encrypted_data(
            request.app.state.wechat, session_key, body.encrypted_data, body.iv
        )
    await phone_binding.bind_phone(session, security, user, phone, clock())
    return await _read_me(request, session, user)


@auth_router.post("/staff/login", response_model=StaffLoginResult, summary="工作人员登录")
async def staff_login(
    body: StaffLoginRequest, request: Request, session: SessionDep, clock: ClockDep
) -> StaffLoginResult:
    """Staff log in with username and password. Five wrong passwords from one address lock the
    account *for that address* for 15 minutes (423 `auth.account_locked` with `Retry-After`);
    failures from many addresses slow the account down (429 `auth.login_throttled` with
    `Retry-After`) except from addresses that logged into it recently."""
    limiter = _limiter(request)
    client = _client(request)
    await limiter.check(STAFF_PER_CLIENT, client)
    # Per username *and* address: a per-username bucket would let anyone lock the owner out.
    await limiter.check(STAFF_PER_ACCOUNT, f"{body.username.lower()}@{client}")
    credentials = service.StaffCredentials(body.username, body.password, client)
    settings = _settings(request)
    result = await service.login_staff(
        session, get_security(request), settings.security, credentials, clock()
    )
    return StaffLoginResult(**_pair(result.tokens).model_dump(), staff=_staff_read(result.staff))


@me_router.get("", response_model=MeRead, summary="我的资料")
async def get_me(user: CurrentUser, request: Request, session: SessionDep) -> MeRead:
    """The logged-in user's profile: roles, whether phone and real name are bound (masked), and
    `unread_notifications` (the badge of the inbox, `GET /api/v1/me/notifications`)."""
    return await _read_me(request, session, user)


@me_router.put("", response_model=MeRead, summary="修改我的资料")
async def put_me(
    body: MeUpdate, user: CurrentUser, request: Request, session: SessionDep
) -> MeRead:
    """Replace nickname, avatar, gender and contact preferences (PUT: send them all; a field
    left out takes its default, e.g. `nickname` null). Other fields are refused (422).

    Avatar: upload the picture from `chooseAvatar` with `purpose=avatar` (POST /api/v1/files),
    then send its id as `avatar_file_id` (null or left out removes the avatar). A file that is not
    your own JPG/PNG upload of purpose `avatar` → 422 `file.picture_unusable`. The answer's
    `avatar_url` and `avatar_thumbnail_url` are signed links, usable as `<image src>` for about
    an hour.
    """
    await profile.update_me(session, user, body, request.app.state.picture_check)
    return await _read_me(request, session, user)


@me_router.put("/real-name", response_model=MeRead, summary="实名认证")
async def put_real_name(
    body: RealNameRequest,
    user: CurrentUser,
    request: Request,
    session: SessionDep,
    clock: ClockDep,
) -> MeRead:
    """Bind name and 18-digit resident ID number (checked by GB 11643: check digit, birth date).

    Birth date and sex are derived from the number. The number is stored encrypted and always
    shown masked (`1501**********123X`). One ID number belongs to one account (409 otherwise).
    Needed before anything that pays money.
    """
    security = get_security(request)
    await profile.set_real_name(session, clock, security, user, body)
    return await _read_me(request, session, user)


@admin_router.post("/staff", response_model=StaffRead, status_code=201, summary="新建工作人员")
async def create_staff(body: StaffCreate, actor: AdminStaff, session: SessionDep) -> StaffRead:
    """Admins create staff accounts with roles `admin`, `reviewer`, `station`, `liaison`
    (audited). A `liaison` (联络员) carries `unit`, one of the plan's units."""
    return _staff_read(await staff_service.create_staff(session, body, actor=actor))


@admin_router.get("/staff", response_model=list[StaffRead], summary="工作人员列表")
async def list_staff(actor: AdminStaff, session: SessionDep) -> list[StaffRead]:
    """Every staff account, by username."""
    return [_staff_read(staff) for staff in await staff_service.list_staff(session)]


@admin_router.put("/staff/{staff_id}", response_model=StaffRead, summary="修改工作人员")
async def update_staff(
    staff_id: uuid.UUID, body: StaffUpdate, actor: AdminStaff, session: SessionDep
) -> StaffRead:
    """Replace name, roles, active flag and linked user (PUT: send them all); role changes are
    audited; the last admin stays."""
    return _staff_read(await staff_service.update_staff(session, staff_id, body, actor=actor))


@admin_router.get(
    "/users/{user_id}/identity", response_model=UserIdentityRead, summary="查看实名信息（留痕）"
)
async def read_user_identity(
    user_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    actor: ReviewerStaff,
) -> UserIdentityRead:
    """Unmasked name, ID number and phone of a person, for reviewers and admins. Every read
    leaves an audit record (who, whom, when)."""
    return await staff_service.read_identity(session, get_security(request), user_id, actor=actor)


@admin_router.get("/audit-records", response_model=Page[AuditRecordRead], summary="审计日志")
async def audit_records(
    actor: AdminStaff,
    session: SessionDep,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    action: Annotated[str | None, Query(max_length=60)] = None,
    actor_id: uuid.UUID | None = None,
    subject_id: Annotated[str | None, Query(max_length=64)] = None,
) -> Page[AuditRecordRead]:
    """Who did what to whom, newest first. Filter by action, actor or subject."""
    return await list_audit_records(
        session, cursor=cursor, limit=limit, action=action, actor_id=actor_id, subject_id=subject_id
    )
