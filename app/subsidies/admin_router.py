"""Staff side of subsidy applications: the review queue and the review actions."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import Query

from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.pagination import CursorParam, LimitParam, Page
from app.core.routing import APIRouter
from app.identity.dependencies import ReviewerStaff
from app.subsidies import listing, review, views
from app.subsidies.schemas import (
    ApplicationStatus,
    SubsidyApplicationListItem,
    SubsidyApplicationRead,
    SubsidyReview,
)

router = APIRouter(prefix="/api/v1/admin/subsidy-applications", tags=["admin-subsidies"])


@router.get("", response_model=Page[SubsidyApplicationListItem], summary="补贴申请审核队列")
async def list_subsidy_applications(
    staff: ReviewerStaff,
    session: SessionDep,
    status: Annotated[ApplicationStatus | None, Query(description="按状态筛选")] = None,
    policy_code: Annotated[str | None, Query(max_length=60, description="按政策代码筛选")] = None,
    submitted_from: Annotated[date | None, Query(description="提交日期起（含，北京时间）")] = None,
    submitted_to: Annotated[date | None, Query(description="提交日期止（含，北京时间）")] = None,
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Page[SubsidyApplicationListItem]:
    """Applications for reviewers (role reviewer or admin), oldest first, filtered by status,
    policy and submission date (Asia/Shanghai days, both ends included)."""
    return await listing.queue(
        session,
        status=status,
        policy_code=policy_code,
        first_day=submitted_from,
        last_day=submitted_to,
        cursor=cursor,
        limit=limit,
    )


@router.get("/{application_id}", response_model=SubsidyApplicationRead, summary="查看补贴申请")
async def admin_get_subsidy_application(
    application_id: uuid.UUID, staff: ReviewerStaff, session: SessionDep
) -> SubsidyApplicationRead:
    """The whole application: facts, decision records, materials (read them with
    `GET /api/v1/files/{file_id}`), status history."""
    application = await listing.for_staff(session, application_id)
    return await views.full(session, application)


@router.post(
    "/{application_id}/review", response_model=SubsidyApplicationRead, summary="审核补贴申请"
)
async def review_subsidy_application(
    application_id: uuid.UUID,
    body: SubsidyReview,
    staff: ReviewerStaff,
    session: SessionDep,
    clock: ClockDep,
) -> SubsidyApplicationRead:
    """One review step (role reviewer or admin):

    - `start_review`: submitted → under_review
    - `return` (with `note`: what to add): under_review → returned; the applicant answers with
      `POST /api/v1/subsidy-applications/{id}/resubmit`
    - `approve`: under_review → approved. The engine decides again with the latest award records
      (under a lock per recipient and person, so concurrent approvals never pass a cap or pay a
      person twice). `amount_fen` defaults to the engine's amount; a different amount needs
      `override_reason` and never passes a cap (409 `subsidy.cap_exceeded`). If the claim is no
      longer eligible → 409 `subsidy.no_longer_eligible`.
    - `reject` (with `note`): under_review / returned → rejected
    - `mark_paid` (with `paid_on`, `payment_reference`): approved → paid

    Other moves → 409 `subsidy.transition_invalid`. A reviewer linked to the applicant (their own
    mini-program account, or a member of the applying unit) → 403 `subsidy.own_application`.
    Every step is in the audit trail and the status history.
    """
    application = await review.review(session, staff, application_id, body, clock())
    return await views.full(session, application)
