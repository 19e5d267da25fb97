"""Staff endpoints: the moderation queue and decisions, the report queue and handling."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import Query

from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.pagination import CursorParam, LimitParam, Page
from app.core.routing import APIRouter
from app.identity.dependencies import ReviewerStaff
from app.jobs import reports, review, service
from app.jobs.schemas import (
    JobRead,
    JobReviewItem,
    ModerationDecision,
    ReportAdminRead,
    ReportDecision,
)

router = APIRouter(tags=["jobs"])


@router.get("/admin/jobs/review-queue", response_model=Page[JobReviewItem], summary="待审核岗位")
async def list_jobs_for_review(
    staff: ReviewerStaff, session: SessionDep, cursor: CursorParam = None, limit: LimitParam = 20
) -> Page[JobReviewItem]:
    """待审核岗位（审核员），最早提交的在前，`moderation.findings` 说明被拦下的原因。"""
    return await review.queue(session, cursor, limit)


@router.post("/admin/jobs/{job_id}/moderation", response_model=JobRead, summary="审核岗位")
async def moderate_job(
    job_id: uuid.UUID,
    body: ModerationDecision,
    staff: ReviewerStaff,
    session: SessionDep,
    clock: ClockDep,
) -> JobRead:
    """审核员通过（发布）或驳回（须填 `reason`，发布者在 `moderation.staff_reason` 看到）
    待审核岗位；不在待审核状态时 409 `job.not_pending_review`。写入审计日志。"""
    await review.decide(session, clock, staff, job_id, body)
    return await service.read_job(session, clock, job_id, None, staff=True)


@router.get("/admin/job-reports", response_model=Page[ReportAdminRead], summary="岗位举报队列")
async def list_job_reports(
    staff: ReviewerStaff,
    session: SessionDep,
    status: Annotated[Literal["open", "upheld", "dismissed"], Query()] = "open",
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Page[ReportAdminRead]:
    """岗位举报队列（审核员），默认未处理的，最早的在前。"""
    return await reports.queue(session, status, cursor, limit)


@router.post(
    "/admin/job-reports/{report_id}/decision",
    response_model=ReportAdminRead,
    summary="处理岗位举报",
)
async def handle_job_report(
    report_id: uuid.UUID,
    body: ReportDecision,
    staff: ReviewerStaff,
    session: SessionDep,
    clock: ClockDep,
) -> ReportAdminRead:
    """处理举报：`uphold` 属实（`close_job` = true 时同时下架岗位）或 `dismiss` 不属实；
    已处理的举报 409。写入审计日志。"""
    return await reports.handle(session, clock, staff, report_id, body)
