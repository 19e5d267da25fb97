"""Employer endpoints: registration, profile, members and invitations."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Response, status

from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.idempotency import IdempotencyKeyHeader, idempotent
from app.core.pagination import CursorParam, LimitParam, Page
from app.core.routing import APIRouter
from app.employers import invitations, service
from app.employers.schemas import (
    EmployerCreate,
    EmployerRead,
    InvitationCreate,
    InvitationRead,
    LogoUpdate,
    MemberRead,
    MyEmployer,
)
from app.identity.dependencies import CurrentUser, OptionalUser, SecurityDep

router = APIRouter(tags=["employers"])

InvitationCode = Annotated[str, Path(min_length=4, max_length=16, pattern=r"^[A-Za-z0-9]+$")]


@router.post(
    "/employers",
    response_model=EmployerRead,
    status_code=status.HTTP_201_CREATED,
    summary="登记用人单位",
)
async def create_employer(
    body: EmployerCreate,
    user: CurrentUser,
    session: SessionDep,
    security: SecurityDep,
    key: IdempotencyKeyHeader = None,
) -> EmployerRead:
    """登记用人单位。

    * `credit_code`：统一社会信用代码，按 GB 32100 校验（18 位、字符集、末位校验码），
      错误时返回 422 `employer.credit_code_invalid`，`message` 说明具体原因。
    * 同一信用代码只能登记一次：重复返回 409 `employer.duplicate_credit_code`
      （请让该单位管理员发邀请码加入）。
    * 登记人成为单位管理员（`owner`）；状态为 `pending`，
      人社工作人员认证通过（`verified`）后才能发布岗位。
    * `industry_code` 取自行业目录，`area_code` 取自东胜区镇街目录。
    * `logo_file_id`（可选）：以 `purpose=employer_logo` 上传的本人图片；以后可用
      `PUT /employers/{employer_id}/logo` 更换。
    """
    return await idempotent(
        session,
        key,
        scope=f"user:{user.id}:create_employer",
        body=body,
        produce=lambda: _create(session, security, user, body),
        response_model=EmployerRead,
    )


async def _create(
    session: SessionDep, security: SecurityDep, user: CurrentUser, body: EmployerCreate
) -> EmployerRead:
    employer = await service.register_employer(session, security, user, body)
    return service.employer_read(security, employer, "owner")


@router.get("/employers/{employer_id}", response_model=EmployerRead, summary="单位主页")
async def get_employer(
    employer_id: uuid.UUID, session: SessionDep, security: SecurityDep, user: OptionalUser
) -> EmployerRead:
    """单位主页。已认证单位对所有人公开（`is_verified` 即认证徽章）；
    未认证或被驳回的单位只有其成员能看到，其他人得到 404。
    成员额外看到 `private`（信用代码、审核状态与驳回原因、联系人）和自己的角色 `my_role`。"""
    return await service.read_employer(session, security, employer_id, user)


@router.put("/employers/{employer_id}/logo", response_model=EmployerRead, summary="设置单位标志")
async def put_employer_logo(
    employer_id: uuid.UUID,
    body: LogoUpdate,
    user: CurrentUser,
    session: SessionDep,
    security: SecurityDep,
) -> EmployerRead:
    """单位管理员设置单位标志：先以 `purpose=employer_logo` 上传图片（POST /api/v1/files），
    再把返回的 id 作为 `logo_file_id` 提交；`null` 清除标志。
    不是本人上传的 JPG/PNG 图片或用途不符 → 422 `file.picture_unusable`；
    非管理员成员 403，非成员 404。返回的 `logo_url`、`logo_thumbnail_url` 为签名链接。"""
    employer = await service.set_logo(session, employer_id, user, body.logo_file_id)
    return service.employer_read(security, employer, "owner")


@router.get("/me/employers", response_model=Page[MyEmployer], summary="我所属的单位")
async def list_my_employers(
    user: CurrentUser, session: SessionDep, cursor: CursorParam = None, limit: LimitParam = 20
) -> Page[MyEmployer]:
    """我所属的用人单位（一个人可以属于多个单位），含我的角色与单位审核状态。"""
    return await service.my_employers(session, user, cursor, limit)


@router.post(
    "/employers/{employer_id}/invitations",
    response_model=InvitationRead,
    status_code=status.HTTP_201_CREATED,
    summary="生成邀请码",
)
async def create_invitation(
    employer_id: uuid.UUID,
    body: InvitationCreate,
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
) -> InvitationRead:
    """单位管理员生成邀请码，发给招聘专员。邀请码一次性有效：被一人使用后即失效，
    并在 `expires_in_hours` 小时后过期。非管理员成员 403，非成员 404。"""
    return await invitations.create_invitation(session, user, employer_id, body, clock())


@router.get(
    "/employers/{employer_id}/invitations",
    response_model=list[InvitationRead],
    summary="单位邀请码",
)
async def list_invitations(
    employer_id: uuid.UUID, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> list[InvitationRead]:
    """单位管理员查看最近的邀请码（最多 100 个，新的在前）：状态，以及谁在何时使用了它
    （`accepted_by`、`accepted_at`）。非管理员成员 403，非成员 404。"""
    return await invitations.list_invitations(session, user, employer_id, clock())


@router.post(
    "/employers/invitations/{code}/accept", response_model=EmployerRead, summary="用邀请码加入单位"
)
async def accept_invitation(
    code: InvitationCode,
    user: CurrentUser,
    session: SessionDep,
    security: SecurityDep,
    clock: ClockDep,
) -> EmployerRead:
    """用邀请码加入单位，成为招聘专员（`recruiter`）。每个邀请码只能使用一次，使用记录
    写入审计日志并展示给单位管理员。邀请码无效、过期或已被使用返回 404
    `employer.invitation_invalid`；已是成员返回 409（邀请码不会被消耗）。"""
    return await invitations.accept_invitation(session, security, user, code, clock())


@router.get("/employers/{employer_id}/members", response_model=Page[MemberRead], summary="单位成员")
async def list_members(
    employer_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Page[MemberRead]:
    """单位成员列表（仅成员可见，按加入时间排序）。"""
    return await service.list_members(session, user, employer_id, cursor, limit)


@router.delete(
    "/employers/{employer_id}/members/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="移除单位成员",
)
async def remove_member(
    employer_id: uuid.UUID, user_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> Response:
    """管理员移除成员；招聘专员可以移除自己（退出单位）。
    管理员不能移除自己（409 `employer.owner_cannot_leave`）。"""
    await service.remove_member(session, user, employer_id, user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
