"""零工预约 HTTP: apply, invite, accept → booking; check-in, completion, pay, ratings."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request

from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.idempotency import IdempotencyKeyHeader, idempotent
from app.core.pagination import CursorParam, LimitParam, Page
from app.core.routing import APIRouter
from app.gigs import booking_service, lifecycle, listing, reads
from app.gigs.booking_schemas import (
    ApplicationCreate,
    ApplicationRead,
    BookingCancel,
    BookingRead,
    CheckInRequest,
    GigInvitationCreate,
    PaymentDispute,
    PaymentReport,
    RatingCreate,
    RatingRead,
)
from app.gigs.ports import WageComplaintOpener
from app.identity.dependencies import CurrentUser, SecurityDep

router = APIRouter(prefix="/api/v1", tags=["gig-bookings"])


def _wage_complaint_opener(request: Request) -> WageComplaintOpener:
    """The complaints domain's opener, wired by ``app.main`` (gigs may not import complaints)."""
    opener: WageComplaintOpener = request.app.state.wage_complaint_opener
    return opener


@router.post(
    "/gigs/{gig_id}/applications",
    response_model=ApplicationRead,
    status_code=201,
    summary="报名零工",
)
async def apply_to_gig(
    gig_id: uuid.UUID,
    body: ApplicationCreate,
    user: CurrentUser,
    session: SessionDep,
    security: SecurityDep,
    clock: ClockDep,
    key: IdempotencyKeyHeader = None,
) -> ApplicationRead:
    """Apply to an open gig (needs your gig profile). From now on the poster sees your name and
    phone. The poster accepts (`POST /api/v1/gig-applications/{id}/accept`) → a booking.
    Refused: own gig, full (409 `gig.full`), started, or a booking of yours at an overlapping
    time (409 `gig.time_conflict`). Send an `Idempotency-Key`."""

    async def produce() -> ApplicationRead:
        application = await booking_service.apply(session, user, gig_id, body.message, clock())
        return await reads.application_read(session, security, user.id, application)

    return await idempotent(
        session,
        key,
        scope=f"user:{user.id}:apply_gig:{gig_id}",
        body=body,
        produce=produce,
        response_model=ApplicationRead,
    )


@router.get(
    "/gigs/{gig_id}/applications", response_model=Page[ApplicationRead], summary="报名与邀请列表"
)
async def list_gig_applications(
    gig_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    security: SecurityDep,
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Page[ApplicationRead]:
    """Applications and invitations of your gig, oldest first (poster only; 404 otherwise).
    Applicants' contacts are shown; invited workers stay masked until they accept."""
    return await listing.gig_applications(session, security, user, gig_id, cursor, limit)


@router.post(
    "/gigs/{gig_id}/invitations",
    response_model=ApplicationRead,
    status_code=201,
    summary="邀请零工",
)
async def invite_worker(
    gig_id: uuid.UUID,
    body: GigInvitationCreate,
    user: CurrentUser,
    session: SessionDep,
    security: SecurityDep,
    clock: ClockDep,
    key: IdempotencyKeyHeader = None,
) -> ApplicationRead:
    """Invite a worker (usually from `GET /api/v1/gigs/{id}/matches`) to your gig. The worker
    accepts (`POST /api/v1/gig-applications/{id}/accept`) → a booking; their contact stays
    masked until then."""

    async def produce() -> ApplicationRead:
        invitation = await booking_service.invite(
            session, user, gig_id, body.worker_id, body.message, clock()
        )
        return await reads.application_read(session, security, user.id, invitation)

    return await idempotent(
        session,
        key,
        scope=f"user:{user.id}:invite:{gig_id}",
        body=body,
        produce=produce,
        response_model=ApplicationRead,
    )


@router.get("/me/gig-applications", response_model=Page[ApplicationRead], summary="我的报名与邀请")
async def list_my_gig_applications(
    user: CurrentUser,
    session: SessionDep,
    security: SecurityDep,
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Page[ApplicationRead]:
    """Your applications and the invitations you received, newest first, with each gig."""
    return await listing.my_applications(session, security, user, cursor, limit)


@router.post(
    "/gig-applications/{application_id}/accept", response_model=BookingRead, summary="接受→预约"
)
async def accept_application(
    application_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    security: SecurityDep,
    clock: ClockDep,
) -> BookingRead:
    """The poster accepts an application, or the worker accepts an invitation: a booking.

    The headcount is never exceeded and a worker is never booked twice at overlapping times,
    however many accept at once: the losers get 409 `gig.full` or `gig.time_conflict`.
    Accepting again returns the same booking."""
    booking = await booking_service.accept(session, user, application_id, clock())
    return await reads.booking_read(session, security, user.id, booking)


@router.post(
    "/gig-applications/{application_id}/decline",
    response_model=ApplicationRead,
    summary="谢绝报名或邀请",
)
async def decline_application(
    application_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    security: SecurityDep,
    clock: ClockDep,
) -> ApplicationRead:
    """The side that answers says no: the poster to an application, the worker to an invitation."""
    application = await booking_service.answer(
        session, user, application_id, withdraw=False, now=clock()
    )
    return await reads.application_read(session, security, user.id, application)


@router.post(
    "/gig-applications/{application_id}/withdraw",
    response_model=ApplicationRead,
    summary="撤回报名或邀请",
)
async def withdraw_gig_application(
    application_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    security: SecurityDep,
    clock: ClockDep,
) -> ApplicationRead:
    """The side that asked takes it back while it is pending."""
    application = await booking_service.answer(
        session, user, application_id, withdraw=True, now=clock()
    )
    return await reads.application_read(session, security, user.id, application)


@router.get("/gigs/{gig_id}/bookings", response_model=Page[BookingRead], summary="零工的预约")
async def list_gig_bookings(
    gig_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    security: SecurityDep,
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Page[BookingRead]:
    """Bookings of your gig, newest first, with the workers' contacts (poster only)."""
    return await listing.gig_bookings(session, security, user, gig_id, cursor, limit)


@router.get("/me/gig-bookings", response_model=Page[BookingRead], summary="我的零工预约")
async def list_my_gig_bookings(
    user: CurrentUser,
    session: SessionDep,
    security: SecurityDep,
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Page[BookingRead]:
    """Your bookings as a worker, newest first, with the gig's contact."""
    return await listing.my_bookings(session, security, user, cursor, limit)


@router.get("/gig-bookings/{booking_id}", response_model=BookingRead, summary="预约详情")
async def get_booking(
    booking_id: uuid.UUID, user: CurrentUser, session: SessionDep, security: SecurityDep
) -> BookingRead:
    """A booking, for its worker or its gig's poster (404 for anyone else)."""
    booking = await booking_service.party_booking(session, user, booking_id)
    return await reads.booking_read(session, security, user.id, booking)


@router.post("/gig-bookings/{booking_id}/cancel", response_model=BookingRead, summary="取消预约")
async def cancel_booking(
    booking_id: uuid.UUID,
    body: BookingCancel,
    user: CurrentUser,
    session: SessionDep,
    security: SecurityDep,
    clock: ClockDep,
) -> BookingRead:
    """Either side cancels before check-in, with a reason. Within 12 hours of the start it is a
    late cancellation (`late_cancellation: true`) and weighs more against the canceller's record.
    The place opens again."""
    booking = await booking_service.cancel_booking(session, user, booking_id, body.reason, clock())
    return await reads.booking_read(session, security, user.id, booking)


@router.post("/gig-bookings/{booking_id}/check-in", response_model=BookingRead, summary="到岗签到")
async def check_in(
    booking_id: uuid.UUID,
    body: CheckInRequest,
    user: CurrentUser,
    session: SessionDep,
    security: SecurityDep,
    clock: ClockDep,
) -> BookingRead:
    """The worker checks in on site (from 2 hours before the start until the end), optionally
    with the phone's location (`check_in_distance_km` records how far from the gig it was)."""
    location = None
    if body.latitude is not None and body.longitude is not None:
        location = (body.latitude, body.longitude)
    booking = await lifecycle.check_in(session, user, booking_id, location, clock())
    return await reads.booking_read(session, security, user.id, booking)


@router.post("/gig-bookings/{booking_id}/complete", response_model=BookingRead, summary="确认完工")
async def complete_booking(
    booking_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    security: SecurityDep,
    clock: ClockDep,
) -> BookingRead:
    """Either side marks the work done (after the start). Ratings open; the gig completes with
    its last booking."""
    booking = await lifecycle.complete(session, user, booking_id, clock())
    return await reads.booking_read(session, security, user.id, booking)


@router.post("/gig-bookings/{booking_id}/payment", response_model=BookingRead, summary="确认已付款")
async def report_payment(
    booking_id: uuid.UUID,
    body: PaymentReport,
    user: CurrentUser,
    session: SessionDep,
    security: SecurityDep,
    clock: ClockDep,
) -> BookingRead:
    """The poster confirms the pay is settled, with the amount (fen), after completion."""
    booking = await lifecycle.report_payment(
        session, user, booking_id, body.amount_fen, body.note, clock()
    )
    return await reads.booking_read(session, security, user.id, booking)


@router.post(
    "/gig-bookings/{booking_id}/payment/confirm", response_model=BookingRead, summary="确认收款"
)
async def confirm_payment(
    booking_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    security: SecurityDep,
    clock: ClockDep,
) -> BookingRead:
    """The worker confirms the pay the poster reported has arrived."""
    booking = await lifecycle.confirm_receipt(session, user, booking_id, clock())
    return await reads.booking_read(session, security, user.id, booking)


@router.post(
    "/gig-bookings/{booking_id}/payment/dispute", response_model=BookingRead, summary="工钱异议"
)
async def dispute_payment(
    booking_id: uuid.UUID,
    body: PaymentDispute,
    user: CurrentUser,
    session: SessionDep,
    security: SecurityDep,
    clock: ClockDep,
    open_complaint: Annotated[WageComplaintOpener, Depends(_wage_complaint_opener)],
) -> BookingRead:
    """The worker says the pay did not arrive (or not in full). A wage-arrears complaint (欠薪投诉)
    opens automatically for staff; follow it in `GET /api/v1/me/complaints` (`complaint_id`)."""
    booking = await lifecycle.dispute(
        session, user, booking_id, body.reason, body.owed_amount_fen, clock(), open_complaint
    )
    return await reads.booking_read(session, security, user.id, booking)


@router.post(
    "/gig-bookings/{booking_id}/ratings",
    response_model=RatingRead,
    status_code=201,
    summary="评价",
)
async def rate_booking(
    booking_id: uuid.UUID, body: RatingCreate, user: CurrentUser, session: SessionDep
) -> RatingRead:
    """Rate the other side 1–5 with tags, once per booking and side, after completion only
    (409 `gig.rating_not_allowed` before, 409 `gig.already_rated` the second time). Ratings feed
    the profiles' averages and the matching score."""
    rating = await lifecycle.rate(
        session, user, booking_id, body.score, list(body.tags), body.comment
    )
    return RatingRead.model_validate(rating, from_attributes=True)
