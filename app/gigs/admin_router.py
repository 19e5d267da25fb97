"""Staff review of gigs held by moderation."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query

from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.pagination import CursorParam, LimitParam, Page
from app.core.routing import APIRouter
from app.gigs import listing, posting_service, views
from app.gigs.booking_schemas import GigReview
from app.gigs.schemas import GigAdminItem, GigStatus
from app.identity.dependencies import ReviewerStaff

router = APIRouter(prefix="/api/v1/admin/gigs", tags=["admin-gigs"])


@router.get("", response_model=Page[GigAdminItem], summary="零工审核队列")
async def list_gigs_for_review(
    staff: ReviewerStaff,
    session: SessionDep,
    status: Annotated[GigStatus, Query(description="默认待审核")] = "pending_review",
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Page[GigAdminItem]:
    """Gigs in a status, oldest first (reviewer or admin), with the moderation findings."""
    return await listing.review_queue(session, status, cursor, limit)


@router.post("/{gig_id}/review", response_model=GigAdminItem, summary="审核零工")
async def review_gig(
    gig_id: uuid.UUID, body: GigReview, staff: ReviewerStaff, session: SessionDep, clock: ClockDep
) -> GigAdminItem:
    """Approve (→ `open`) or reject (→ `rejected`, `reason` required; the poster sees it) a gig
    held for review. Audited."""
    gig = await posting_service.review_gig(
        session, staff, gig_id, body.decision == "approve", body.reason, clock()
    )
    return views.admin_item(gig)
