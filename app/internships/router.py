"""Endpoints of internships (就业见习): posts, interns of a host unit, the clause 11 facts."""

from __future__ import annotations

import uuid

from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.idempotency import IdempotencyKeyHeader, idempotent
from app.core.pagination import CursorParam, LimitParam, Page
from app.core.routing import APIRouter
from app.core.schemas import ReadSchema
from app.employers import repository as employers
from app.identity.dependencies import CurrentUser, ReviewerStaff
from app.internships import service as internships
from app.internships.errors import NotHostMember
from app.internships.schemas import (
    InternshipCreate,
    InternshipFacts,
    InternshipPost,
    InternshipRead,
    InternshipUpdate,
)

router = APIRouter(tags=["internships"])
admin_router = APIRouter(prefix="/admin", tags=["internships"])


class InternshipList(ReadSchema):
    items: list[InternshipRead]


@router.get("/internship-posts", response_model=Page[InternshipPost], summary="就业见习岗位")
async def list_internship_posts(
    session: SessionDep, clock: ClockDep, cursor: CursorParam = None, limit: LimitParam = 20
) -> Page[InternshipPost]:
    """就业见习岗位：已审核见习单位发布的见习岗位（见习期、每月见习补助），最新发布的在前。
    投递使用普通岗位投递接口 `POST /jobs/{id}/applications`。"""
    return await internships.internship_posts(session, clock, cursor=cursor, limit=limit)


@router.post(
    "/employers/{employer_id}/internships",
    response_model=InternshipRead,
    status_code=201,
    summary="登记见习人员",
)
async def enrol_intern(
    employer_id: uuid.UUID,
    body: InternshipCreate,
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    key: IdempotencyKeyHeader = None,
) -> InternshipRead:
    """见习单位（须为单位成员、单位已审核）登记见习人员：选择其对本单位见习岗位的投递记录和
    见习开始日期；见习期与补助取自岗位。见习人员须已实名认证。"""
    return await idempotent(
        session,
        key,
        scope=f"user:{user.id}:enrol_intern:{employer_id}",
        body=body,
        produce=lambda: internships.enrol_intern(session, clock, user, employer_id, body),
        response_model=InternshipRead,
    )


@router.get(
    "/employers/{employer_id}/internships",
    response_model=Page[InternshipRead],
    summary="本单位见习人员",
)
async def list_interns(
    employer_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Page[InternshipRead]:
    """本单位的见习人员，按开始日期先后（仅单位成员）。"""
    return await internships.host_interns(
        session, clock, user, employer_id, cursor=cursor, limit=limit
    )


@router.put(
    "/employers/{employer_id}/internships/{internship_id}",
    response_model=InternshipRead,
    summary="更新见习人员情况",
)
async def update_intern(
    employer_id: uuid.UUID,
    internship_id: uuid.UUID,
    body: InternshipUpdate,
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
) -> InternshipRead:
    """登记见习期未满签订劳动合同（`contract_signed_on`）、提前离开（`left_on`）或期满留用
    （`retained`）。整体替换：三个字段一起发送，未传的为 null。
    两个日期须在见习期内且不能同时填写。"""
    return await internships.update_intern(session, clock, user, employer_id, internship_id, body)


@router.get(
    "/employers/{employer_id}/internship-facts",
    response_model=InternshipFacts,
    summary="本单位见习事实",
)
async def get_internship_facts(
    employer_id: uuid.UUID, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> InternshipFacts:
    """见习补贴（第 11 条）所需事实：每名见习人员的开始日期、约定月数、提前签约日期、提前离开
    日期和是否留用。`interns` 可直接作为政策计算器 `organisation.interns` 提交。"""
    return await internships.facts_for_member(session, clock, user, employer_id)


@router.get("/me/internships", response_model=InternshipList, summary="我的见习记录")
async def list_my_internships(
    user: CurrentUser, session: SessionDep, clock: ClockDep
) -> InternshipList:
    """我的见习记录。"""
    return InternshipList(items=await internships.my_internships(session, clock, user))


@admin_router.get(
    "/employers/{employer_id}/internship-facts",
    response_model=InternshipFacts,
    summary="查看单位见习事实",
)
async def admin_get_internship_facts(
    employer_id: uuid.UUID, staff: ReviewerStaff, session: SessionDep, clock: ClockDep
) -> InternshipFacts:
    """审核见习补贴申请时查看单位的见习事实（reviewer / admin）。"""
    employer = await employers.get(session, employer_id)
    if employer is None:
        raise NotHostMember(message="未找到该单位")
    return await internships.facts(session, clock, employer)
