"""免申即享: subsidies the service found a person or unit qualifies for, applied for in one call."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query

from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.idempotency import IdempotencyKeyHeader, idempotent
from app.core.pagination import CursorParam, LimitParam, Page
from app.core.routing import APIRouter
from app.identity.dependencies import CurrentUser, ReviewerStaff, SecurityDep
from app.subsidies import views
from app.subsidies.schemas import SubsidyApplicationRead
from app.subsidy_offers import service
from app.subsidy_offers.schemas import (
    OfferStats,
    OfferStatus,
    SubsidyOfferApply,
    SubsidyOfferRead,
)

router = APIRouter(prefix="/api/v1", tags=["subsidy-offers"])
admin_router = APIRouter(prefix="/api/v1/admin/subsidy-offers", tags=["admin-subsidies"])


@router.get(
    "/me/subsidy-offers", response_model=Page[SubsidyOfferRead], summary="免申即享：我可申请的补贴"
)
async def list_my_subsidy_offers(
    user: CurrentUser,
    session: SessionDep,
    open_only: Annotated[bool, Query(description="只看待申请的")] = False,
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Page[SubsidyOfferRead]:
    """Subsidies the service found you (or a unit you belong to) qualify for from what it
    already knows — hires recorded on the platform, your résumé's graduation, internships — and
    you have not applied for. Each carries `facts`, the application pre-filled: apply with
    `POST /api/v1/me/subsidy-offers/{id}/apply`. Newest first; you are told of each once
    (notification kind `subsidy_offer`)."""
    return await service.mine(session, user, open_only=open_only, cursor=cursor, limit=limit)


@router.get(
    "/me/subsidy-offers/{offer_id}",
    response_model=SubsidyOfferRead,
    summary="免申即享：补贴提醒详情",
)
async def get_my_subsidy_offer(
    offer_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> SubsidyOfferRead:
    """One offer; 404 `subsidy_offer.not_found` for anyone it was not made to."""
    return service.read(await service.get(session, user, offer_id))


@router.post(
    "/me/subsidy-offers/{offer_id}/apply",
    response_model=SubsidyApplicationRead,
    status_code=201,
    summary="免申即享：一键申请",
)
async def apply_subsidy_offer(
    offer_id: uuid.UUID,
    body: SubsidyOfferApply,
    user: CurrentUser,
    session: SessionDep,
    security: SecurityDep,
    clock: ClockDep,
    key: IdempotencyKeyHeader = None,
) -> SubsidyApplicationRead:
    """Submit the offer's pre-filled application: the same call as `POST
    /api/v1/subsidy-applications` with the offer's policy, period and facts (the service checks
    the facts again, so the answer and errors are the same: 403 `identity.real_name_required`,
    422 `subsidy.ineligible` if things changed, 409 `subsidy.duplicate`). Add materials and a
    note if you like. An offer already applied for or dismissed → 409 `subsidy_offer.closed`.
    Send an `Idempotency-Key`: a retry returns the first answer."""

    async def produce() -> SubsidyApplicationRead:
        application = await service.apply(session, security.hasher, user, offer_id, body, clock())
        return await views.full(session, application)

    return await idempotent(
        session,
        key,
        scope=f"user:{user.id}:apply_subsidy_offer:{offer_id}",
        body=body,
        produce=produce,
        response_model=SubsidyApplicationRead,
    )


@router.post(
    "/me/subsidy-offers/{offer_id}/dismiss",
    response_model=SubsidyOfferRead,
    summary="免申即享：忽略提醒",
)
async def dismiss_subsidy_offer(
    offer_id: uuid.UUID, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> SubsidyOfferRead:
    """Not interested: the offer is closed (it is not made again for the same period)."""
    return service.read(await service.dismiss(session, user, offer_id, clock()))


@admin_router.get("", response_model=Page[SubsidyOfferRead], summary="免申即享：已发出的提醒")
async def list_subsidy_offers(
    staff: ReviewerStaff,
    session: SessionDep,
    policy_code: Annotated[str | None, Query(max_length=60, description="按政策代码筛选")] = None,
    status: Annotated[OfferStatus | None, Query(description="按状态筛选")] = None,
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Page[SubsidyOfferRead]:
    """Offers the eligibility scan made, newest first (reviewers and admins)."""
    return await service.staff_list(
        session, policy_code=policy_code, status=status, cursor=cursor, limit=limit
    )


@admin_router.get("/stats", response_model=OfferStats, summary="免申即享：申请率")
async def subsidy_offer_stats(
    staff: ReviewerStaff,
    session: SessionDep,
    period: Annotated[
        str | None, Query(pattern=r"^20\d{2}$", description="申报年度，如 2026；不填为全部")
    ] = None,
) -> OfferStats:
    """Offers made and their take-up by policy: offered, applied, dismissed, waiting, and the
    take-up rate (applied / offered)."""
    return await service.stats(session, period=period)
