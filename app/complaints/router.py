"""Complaints: people file and follow theirs; staff work the queue."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query

from app.complaints import service, views
from app.complaints.schemas import (
    ComplaintAdminRead,
    ComplaintCreate,
    ComplaintKind,
    ComplaintQueueItem,
    ComplaintRead,
    ComplaintStatus,
    ComplaintTransition,
)
from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.idempotency import IdempotencyKeyHeader, idempotent
from app.core.pagination import CursorParam, LimitParam, Page
from app.core.routing import APIRouter
from app.identity.dependencies import CurrentUser, ReviewerStaff, SecurityDep

router = APIRouter(prefix="/api/v1", tags=["complaints"])
admin_router = APIRouter(prefix="/api/v1/admin/complaints", tags=["admin-complaints"])


@router.post("/complaints", response_model=ComplaintRead, status_code=201, summary="提交投诉")
async def file_complaint(
    body: ComplaintCreate, user: CurrentUser, session: SessionDep, key: IdempotencyKeyHeader = None
) -> ComplaintRead:
    """File a complaint: `wage_arrears` 欠薪, `fake_recruitment` 虚假招聘,
    `discrimination` 就业歧视, `unsafe_work` 不安全作业 — about a gig booking you are party
    to (`subject_kind=gig_booking`), a job (`job`) or an employer (`employer`).

    Staff handle it (received 已受理 → handling 处理中 → resolved 已办结 / transferred 移交劳动保障
    监察) and reply; follow it in `GET /api/v1/me/complaints`. A second open complaint of the same
    kind about the same subject answers 409 `complaint.duplicate`. Send an `Idempotency-Key`.
    """

    async def produce() -> ComplaintRead:
        complaint = await service.file_complaint(session, user, body)
        return await views.read(session, complaint)

    return await idempotent(
        session,
        key,
        scope=f"user:{user.id}:file_complaint",
        body=body,
        produce=produce,
        response_model=ComplaintRead,
    )


@router.get("/me/complaints", response_model=Page[ComplaintRead], summary="我的投诉")
async def list_my_complaints(
    user: CurrentUser, session: SessionDep, cursor: CursorParam = None, limit: LimitParam = 20
) -> Page[ComplaintRead]:
    """Your complaints, newest first, with their status and the staff's reply."""
    return await service.my_complaints(session, user, cursor, limit)


@router.get("/complaints/{complaint_id}", response_model=ComplaintRead, summary="投诉详情")
async def get_complaint(
    complaint_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> ComplaintRead:
    """One of your complaints (someone else's answers 404)."""
    complaint = await service.get_own(session, user, complaint_id)
    return await views.read(session, complaint)


@admin_router.get("", response_model=Page[ComplaintQueueItem], summary="投诉处理队列")
async def list_complaints(
    staff: ReviewerStaff,
    session: SessionDep,
    status: Annotated[ComplaintStatus | None, Query(description="按状态筛选")] = None,
    kind: Annotated[ComplaintKind | None, Query(description="按类型筛选")] = None,
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Page[ComplaintQueueItem]:
    """The staff queue, oldest first (reviewer or admin). Contact details are in the detail view."""
    return await service.queue(session, status=status, kind=kind, cursor=cursor, limit=limit)


@admin_router.get("/{complaint_id}", response_model=ComplaintAdminRead, summary="查看投诉")
async def view_complaint(
    complaint_id: uuid.UUID, staff: ReviewerStaff, session: SessionDep, security: SecurityDep
) -> ComplaintAdminRead:
    """A complaint with the complainant's name and phone; every view leaves an audit record."""
    complaint = await service.view_as_staff(session, staff, complaint_id)
    return await views.admin_read(session, security, complaint)


@admin_router.post(
    "/{complaint_id}/transition", response_model=ComplaintAdminRead, summary="处理投诉"
)
async def transition_complaint(
    complaint_id: uuid.UUID,
    body: ComplaintTransition,
    staff: ReviewerStaff,
    session: SessionDep,
    security: SecurityDep,
    clock: ClockDep,
) -> ComplaintAdminRead:
    """Move a complaint on: received → handling → resolved / transferred (移交劳动保障监察).

    Closing (resolved, transferred) needs a `reply` for the complainant (unless one was given
    before). Other moves answer 409 `complaint.transition_invalid`. Audited.
    """
    complaint = await service.transition(session, staff, complaint_id, body, clock())
    return await views.admin_read(session, security, complaint)
