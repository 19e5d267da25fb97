"""Staff review of gigs held by moderation."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from app.gigs.cursors import after_time
from fastapi import Query

from app.core.db import SessionDep
from app.core.pagination import CursorParam, LimitParam, Page, encode_cursor
from app.core.routing import APIRouter
from app.gigs import posting_service, repository, views
from app.gigs.booking_schemas import GigReview
from app.gigs.models import Gig
from app.gigs.schemas import GigListItem, GigStatus
from app.identity.dependencies import ReviewerStaff

router = APIRouter(prefix="/api/v1/admin/gigs", tags=["admin-gigs"])


class GigAdminItem(GigListItem):
    poster_id: uuid.UUID
    description: str
    moderation: dict[str, Any]


def _item(gig: Gig) -> GigAdminItem:
    return GigAdminItem(
        **views.gig_list_item(gig).model_dump(),
        poster_id=gig.poster_id,
        description=gig.description,
        moderation=gig.moderation,
    )


@router.get("", response_model=Page[GigAdminItem], summary="零工审核队列")
async def list_gigs_for_review(
    staff: ReviewerStaff,
    session: SessionDep,
    status: Annotated[GigStatus, Query(description="默认待审核")] = "pending_review",
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Page[GigAdminItem]:
    """Gigs in a status, oldest first (reviewer or admin), with the moderation findings."""
    rows = await repository.list_by_status(session, status, after_time(cursor), limit + 1)
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = encode_cursor([last.created_at.isoformat(), str(last.id)])
    return Page(items=[_item(g) for g in rows[:limit]], next_cursor=next_cursor)


@router.post("/{gig_id}/review", response_model=GigAdminItem, summary="审核零工")
async def review_gig(
    gig_id: uuid.UUID, body: GigReview, staff: ReviewerStaff, session: SessionDep
) -> GigAdminItem:
    """Approve (→ `open`) or reject (→ `rejected`, `reason` required; the poster sees it) a gig
    held for review. Audited."""
    gig = await posting_service.review_gig(
        session, staff, gig_id, body.decision == "approve", body.reason, datetime.now(UTC)
    )
    return _item(gig)
