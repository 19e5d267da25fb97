"""零工市场 HTTP: worker profiles, gig postings, search, ranked matches both ways.

Applications, invitations and bookings are in ``booking_router``; the staff review queue in
``admin_router``; ``router`` below includes both so the app registers one router.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import Query

from app.core.clock import ClockDep, local_date
from app.core.db import SessionDep
from app.core.idempotency import IdempotencyKeyHeader, idempotent
from app.core.pagination import CursorParam, LimitParam, Page
from app.core.read_routing import ReadSession
from app.core.routing import APIRouter
from app.gigs import listing, posting_service, profile_service, reads, views
from app.gigs.admin_router import router as admin_router
from app.gigs.booking_router import router as booking_router
from app.gigs.schemas import (
    GigCancel,
    GigCreate,
    GigListItem,
    GigMatch,
    GigProfileRead,
    GigProfileUpdate,
    GigRead,
    WorkerMatch,
)
from app.identity.dependencies import CurrentUser, OptionalUser, SecurityDep
from app.integrations.wechat.dependencies import WeChatDep

gigs_router = APIRouter(prefix="/api/v1", tags=["gigs"])

MatchLimit = Annotated[int, Query(ge=1, le=50, description="每页条数")]


@gigs_router.put("/me/gig-profile", response_model=GigProfileRead, summary="填写零工资料")
async def put_gig_profile(
    body: GigProfileUpdate,
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
) -> GigProfileRead:
    """Create or replace your gig profile (the whole profile each time).

    * `skills`: codes from the skill catalogue (e.g. `welding` 电焊) with `level`
      (`junior` 初级 / `intermediate` 中级 / `senior` 高级) and the certificates you hold for
      that skill (e.g. `welding` 焊工证) — only certificates the catalogue lists for the skill.
    * `availability`: weekly windows, `weekday` 1 = Monday … 7 = Sunday, `"08:00"`–`"18:00"`
      (`"24:00"` allowed as an end); `dates_off`: days you cannot work.
    * `home_lat`/`home_lng` (never shown to others) and `travel_radius_km` (≤ 50): gigs farther
      away are never matched to you.

    Requires a bound phone (403 `identity.phone_required`). Posters see your name and phone
    masked until you apply or accept their invitation.
    """
    profile = await profile_service.put_profile(session, user, body, local_date(clock()))
    return views.profile_read(profile)


@gigs_router.get("/me/gig-profile", response_model=GigProfileRead, summary="我的零工资料")
async def get_gig_profile(user: CurrentUser, session: SessionDep) -> GigProfileRead:
    """Your gig profile with your record (completion rate, ratings); 404 before the first PUT."""
    return views.profile_read(await profile_service.get_profile(session, user.id))


@gigs_router.post("/gigs", response_model=GigRead, status_code=201, summary="发布零工")
async def create_gig(
    body: GigCreate,
    user: CurrentUser,
    session: SessionDep,
    security: SecurityDep,
    wechat: WeChatDep,
    clock: ClockDep,
    key: IdempotencyKeyHeader = None,
) -> GigRead:
    """Post a gig — as a real-name-verified person, or for a verified employer you belong to
    (`employer_id`).

    `dates` are local (Asia/Shanghai) days with one daily window `start_time`–`end_time`
    (an end before the start is a night shift ending next morning). Skills the law licenses
    (电工, 电焊, 高空作业…) always require a certificate. The text goes through the same checks as
    jobs: forbidden requirements (限男性, 押金…) answer 422 `gig.content_refused`; doubtful ones
    and WeChat "review" hold the gig as `pending_review` for staff; otherwise it is `open`.
    Send an `Idempotency-Key` so a retried tap posts once.
    """

    async def produce() -> GigRead:
        gig = await posting_service.create_gig(session, security, wechat, user, body, clock())
        return await reads.gig_read(session, security, gig, user.id)

    return await idempotent(
        session,
        key,
        scope=f"user:{user.id}:create_gig",
        body=body,
        produce=produce,
        response_model=GigRead,
    )


@gigs_router.get("/gigs", response_model=Page[GigListItem], summary="搜索零工")
async def search_gigs(
    session: ReadSession,
    clock: ClockDep,
    lat: Annotated[float | None, Query(ge=-90, le=90, description="我的位置（纬度）")] = None,
    lng: Annotated[float | None, Query(ge=-180, le=180, description="我的位置（经度）")] = None,
    radius_km: Annotated[float, Query(gt=0, le=50, description="搜索半径（公里）")] = 10,
    skill: Annotated[list[str] | None, Query(max_length=10, description="技能代码，可多个")] = None,
    on_date: Annotated[date | None, Query(alias="date", description="在这一天有活")] = None,
    min_daily_pay_fen: Annotated[
        int | None, Query(ge=0, le=10_000_000, description="日薪不低于（分）")
    ] = None,
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Page[GigListItem]:
    """Open gigs that have not started. With `lat` and `lng`: within `radius_km`, nearest first,
    each with `distance_km`; without: soonest first. Filter by `skill` (any of), `date` and
    `min_daily_pay_fen` (hour pay is counted for the gig's daily hours; piece-rate gigs are left
    out by this filter). No login needed."""
    query = listing.GigSearch(lat, lng, radius_km, skill or [], on_date, min_daily_pay_fen)
    return await listing.search(session, query, clock(), cursor, limit)


@gigs_router.get("/me/gigs", response_model=Page[GigListItem], summary="我发布的零工")
async def list_my_gigs(
    user: CurrentUser, session: SessionDep, cursor: CursorParam = None, limit: LimitParam = 20
) -> Page[GigListItem]:
    """Gigs you posted, newest first, in every status (`pending_review`, `rejected`, …)."""
    return await listing.my_gigs(session, user, cursor, limit)


@gigs_router.get("/gigs/{gig_id}", response_model=GigRead, summary="零工详情")
async def get_gig(
    gig_id: uuid.UUID, user: OptionalUser, session: SessionDep, security: SecurityDep
) -> GigRead:
    """A gig with its days, the poster's record and contact. `contact_phone` is masked until you
    apply, are invited or are booked. Pending, rejected and cancelled gigs are visible to their
    poster only (404 for others)."""
    viewer = user.id if user else None
    gig = await posting_service.readable_gig(session, gig_id, viewer)
    return await reads.gig_read(session, security, gig, viewer)


@gigs_router.post("/gigs/{gig_id}/cancel", response_model=GigRead, summary="取消零工")
async def cancel_gig(
    gig_id: uuid.UUID,
    body: GigCancel,
    user: CurrentUser,
    session: SessionDep,
    security: SecurityDep,
    clock: ClockDep,
) -> GigRead:
    """The poster calls the gig off before it starts. Every booking is cancelled (within 12 hours
    of the start this counts as a late cancellation against the poster); pending applications
    close."""
    gig = await posting_service.cancel_gig(session, user, gig_id, body.reason, clock())
    return await reads.gig_read(session, security, gig, user.id)


@gigs_router.get(
    "/gigs/{gig_id}/matches", response_model=Page[WorkerMatch], summary="为零工推荐工人"
)
async def list_gig_matches(
    gig_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    security: SecurityDep,
    clock: ClockDep,
    cursor: CursorParam = None,
    limit: MatchLimit = 20,
) -> Page[WorkerMatch]:
    """Workers ranked for your gig (poster only; 404 otherwise), best first, each with a score
    (0–100) and reasons such as "持焊工证；距离 2.3 公里；周六全天有空；完成率 96%".

    Left out: workers missing a required skill or certificate, living beyond their travel
    radius, not available at the gig's times (or on a day off), or already booked at an
    overlapping time. Names and phones are masked until the worker applies or accepts your
    invitation (`POST /api/v1/gigs/{id}/invitations`). See docs/gig-matching.md for the score.
    """
    bind = await session.connection()
    return await listing.worker_matches(bind, security, user.id, gig_id, clock(), cursor, limit)


@gigs_router.get("/me/gig-matches", response_model=Page[GigMatch], summary="为我推荐零工")
async def list_my_gig_matches(
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    cursor: CursorParam = None,
    limit: MatchLimit = 20,
) -> Page[GigMatch]:
    """Open gigs ranked for you by the same score as posters see (with the poster's record in
    place of yours), each with reasons. Needs a gig profile (409 `gig.profile_required`)."""
    return await listing.gig_matches(await session.connection(), user.id, clock(), cursor, limit)


# One router for the app to register: no prefix or tags of its own, so each keeps its own.
router = APIRouter()
router.include_router(gigs_router)
router.include_router(booking_router)
router.include_router(admin_router)
