"""Staff endpoints: the employer verification queue and decisions."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import Query

from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.pagination import CursorParam, LimitParam, Page
from app.core.routing import APIRouter
from app.employers import review
from app.employers.schemas import EmployerAdminRead, VerificationDecision
from app.identity.dependencies import ReviewerStaff, SecurityDep

router = APIRouter(tags=["employers"])


@router.get("/admin/employers", response_model=Page[EmployerAdminRead], summary="单位认证队列")
async def list_employers_for_review(
    staff: ReviewerStaff,
    session: SessionDep,
    security: SecurityDep,
    status: Annotated[Literal["pending", "verified", "rejected"], Query()] = "pending",
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Page[EmployerAdminRead]:
    """认证队列（审核员）：按登记时间先后列出指定状态的单位，默认 `pending`。"""
    return await review.queue(session, security, status, cursor, limit)


@router.post(
    "/admin/employers/{employer_id}/verification",
    response_model=EmployerAdminRead,
    summary="认证用人单位",
)
async def verify_employer(
    employer_id: uuid.UUID,
    body: VerificationDecision,
    staff: ReviewerStaff,
    session: SessionDep,
    clock: ClockDep,
    security: SecurityDep,
) -> EmployerAdminRead:
    """审核员认证或驳回用人单位（`decision`: approve / reject；驳回须填 `reason`，
    单位成员可在单位主页看到）。只能审核 `pending` 的单位（被驳回的单位可重新认证通过），
    否则 409 `employer.not_reviewable`。每次决定写入审计日志。"""
    return await review.decide(session, clock, security, staff, employer_id, body)
