"""Complaints: people file and follow theirs; staff work the queue."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Query, Request

from app.complaints import repository, service
from app.complaints.models import Complaint
from app.complaints.schemas import (
    ComplaintAdminRead,
    ComplaintCreate,
    ComplaintKind,
    ComplaintQueueItem,
    ComplaintRead,
    ComplaintStatus,
    ComplaintTransition,
)
from app.core.db import SessionDep
from app.core.idempotency import IdempotencyKeyHeader, idempotent
from app.core.pagination import CursorParam, LimitParam, Page, encode_cursor
from app.core.routing import APIRouter
from app.core.security import Security
from app.gigs.cursors import after_time as _after
from app.identity.dependencies import CurrentUser, ReviewerStaff
from app.identity.models import User

router = APIRouter(prefix="/api/v1", tags=["complaints"])
admin_router = APIRouter(prefix="/api/v1/admin/complaints", tags=["admin-complaints"])


def _next(rows: list[Complaint], limit: int) -> str | None:
    if len(rows) <= limit:
        return None
    last = rows[limit - 1]
    return encode_cursor([last.created_at.isoformat(), str(last.id)])


def _fields(complaint: Complaint, titles: dict[uuid.UUID, str]) -> dict[str, Any]:
    return {
        "id": complaint.id,
        "kind": complaint.kind,
        "subject_kind": complaint.subject_kind,
        "subject_id": complaint.subject_id,
        "subject_title": titles.get(complaint.subject_id),
        "description": complaint.description,
        "amount_fen": complaint.amount_fen,
        "source": complaint.source,
        "status": complaint.status,
        "reply": complaint.reply,
        "replied_at": complaint.replied_at,
        "closed_at": complaint.closed_at,
        "created_at": complaint.created_at,
        "updated_at": complaint.updated_at,
    }


async def _reads(session: SessionDep, rows: list[Complaint]) -> list[ComplaintRead]:
    titles = await repository.subject_titles(session, rows)
    return [ComplaintRead(**_fields(c, titles)) for c in rows]


async def _queue_items(session: SessionDep, rows: list[Complaint]) -> list[ComplaintQueueItem]:
    titles = await repository.subject_titles(session, rows)
    return [
        ComplaintQueueItem(
            **_fields(c, titles), complainant_id=c.complainant_id, handled_by=c.handled_by
        )
        for c in rows
    ]


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
        return (await _reads(session, [complaint]))[0]

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
    rows = await repository.list_own(session, user.id, _after(cursor), limit + 1)
    return Page(items=await _reads(session, rows[:limit]), next_cursor=_next(rows, limit))


@router.get("/complaints/{complaint_id}", response_model=ComplaintRead, summary="投诉详情")
async def get_complaint(
    complaint_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> ComplaintRead:
    """One of your complaints (someone else's answers 404)."""
    complaint = await service.get_own(session, user, complaint_id)
    return (await _reads(session, [complaint]))[0]


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
    where = []
    if status is not None:
        where.append(Complaint.status == status)
    if kind is not None:
        where.append(Complaint.kind == kind)
    rows = await repository.list_queue(session, where, _after(cursor), limit + 1)
    return Page(items=await _queue_items(session, rows[:limit]), next_cursor=_next(rows, limit))


async def _admin_read(
    request: Request, session: SessionDep, complaint: Complaint
) -> ComplaintAdminRead:
    security: Security = request.app.state.security
    item = (await _queue_items(session, [complaint]))[0]
    user = await session.get(User, complaint.complainant_id)
    name = phone = None
    if user is not None:
        if user.real_name_encrypted:
            name = security.cipher.decrypt(user.real_name_encrypted, context="real_name")
        else:
            name = user.nickname
        if user.phone_encrypted:
            phone = security.cipher.decrypt(user.phone_encrypted, context="phone")
    return ComplaintAdminRead(**item.model_dump(), complainant_name=name, complainant_phone=phone)


@admin_router.get("/{complaint_id}", response_model=ComplaintAdminRead, summary="查看投诉")
async def view_complaint(
    complaint_id: uuid.UUID, staff: ReviewerStaff, session: SessionDep, request: Request
) -> ComplaintAdminRead:
    """A complaint with the complainant's name and phone; every view leaves an audit record."""
    complaint = await service.view_as_staff(session, staff, complaint_id)
    return await _admin_read(request, session, complaint)


@admin_router.post(
    "/{complaint_id}/transition", response_model=ComplaintAdminRead, summary="处理投诉"
)
async def transition_complaint(
    complaint_id: uuid.UUID,
    body: ComplaintTransition,
    staff: ReviewerStaff,
    session: SessionDep,
    request: Request,
) -> ComplaintAdminRead:
    """Move a complaint on: received → handling → resolved / transferred (移交劳动保障监察).

    Closing (resolved, transferred) needs a `reply` for the complainant (unless one was given
    before). Other moves answer 409 `complaint.transition_invalid`. Audited.
    """
    complaint = await service.transition(session, staff, complaint_id, body, datetime.now(UTC))
    return await _admin_read(request, session, complaint)
