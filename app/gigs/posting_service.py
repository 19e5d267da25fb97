"""Posting, reading, cancelling and reviewing gigs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.dialects.postgresql import Range
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.clock import local_date
from app.core.security import Security
from app.gigs import booking_repository as bookings
from app.gigs import errors, notices, repository
from app.gigs.models import Gig
from app.gigs.moderation import PostingText, Verdict, moderate
from app.gigs.profile_service import check_area
from app.gigs.rules import LATE_CANCEL_HOURS, MAX_SHIFT_MINUTES, MIN_SHIFT_MINUTES, is_late
from app.gigs.schedule import (
    Occurrence,
    build_occurrences,
    duration_minutes,
    occurrence_segments,
    parse_hhmm,
    piece_spans,
    weekday_mask,
)
from app.gigs.schemas import GigCreate, SkillRequirementIn
from app.gigs.views import seal_contact_phone
from app.identity.models import StaffAccount, User
from app.integrations.wechat.client import WeChatClient
from app.taxonomy import skills_by_code

MAX_DAYS_AHEAD = 90


def _requirements(items: list[SkillRequirementIn]) -> list[dict[str, Any]]:
    """Requirements as stored; skills the law licenses always require a certificate."""
    out = []
    for item in items:
        skill = skills_by_code().get(item.skill)
        if skill is None:
            raise errors.InvalidSkill(details={"skill": item.skill})
        required = item.certificate_required or skill.licensed
        if required and not skill.certificates:
            raise errors.InvalidSkill(
                f"技能“{skill.name}”没有对应的证书", details={"skill": item.skill}
            )
        out.append(
            {"skill": item.skill, "min_level": item.min_level, "certificate_required": required}
        )
    return out


@dataclass(frozen=True, slots=True)
class Schedule:
    start: int
    end: int
    minutes: int


def _schedule(body: GigCreate, now: datetime) -> Schedule:
    start, end = parse_hhmm(body.start_time), parse_hhmm(body.end_time) % (24 * 60)
    minutes = duration_minutes(start, end)
    if not MIN_SHIFT_MINUTES <= minutes <= MAX_SHIFT_MINUTES:
        raise errors.InvalidSchedule("每天用工时长须在 30 分钟到 16 小时之间")
    today = local_date(now)
    if body.dates[-1] > today + timedelta(days=MAX_DAYS_AHEAD):
        raise errors.InvalidSchedule("只能发布 90 天内的零工")
    first = build_occurrences(body.dates[:1], start, end)[0]
    if first.starts_at <= now:
        raise errors.InvalidSchedule("开工时间已过，请选择以后的日期或时间")
    return Schedule(start, end, minutes)


def _daily_pay(pay_fen: int, unit: str, minutes: int) -> int | None:
    if unit == "day":
        return pay_fen
    if unit == "hour":
        return round(pay_fen * minutes / 60)
    return None


async def _check_poster(session: AsyncSession, user: User, employer_id: uuid.UUID | None) -> None:
    if employer_id is not None:
        if not await repository.is_verified_member(session, employer_id, user.id):
            raise errors.EmployerNotVerified()
    elif user.real_name_verified_at is None:
        raise errors.PosterNotAllowed()


def gig_row(
    security: Security, body: GigCreate, poster_id: uuid.UUID, now: datetime, verdict: Verdict
) -> tuple[Gig, list[Occurrence]]:
    """The gig row and its occurrences for a validated body (the demo and bench loaders too)."""
    required = _requirements(body.required_skills)
    check_area(body.area_code)
    schedule = _schedule(body, now)
    occurrences = build_occurrences(body.dates, schedule.start, schedule.end)
    pieces = occurrence_segments([(o.starts_at, o.ends_at) for o in occurrences])
    touched = sorted({p.local_date for p in pieces})
    gig = Gig(
        poster_id=poster_id,
        employer_id=body.employer_id,
        status=verdict.status,
        title=body.title,
        description=body.description,
        required_skills=required,
        required_skill_codes=[r["skill"] for r in required],
        certificate_skill_codes=[r["skill"] for r in required if r["certificate_required"]],
        work_dates=list(body.dates),
        start_minute=schedule.start,
        end_minute=schedule.end,
        local_dates=touched,
        weekday_mask=weekday_mask(touched),
        week_pieces=[Range(a, b) for a, b in piece_spans(pieces)],
        starts_at=occurrences[0].starts_at,
        ends_at=occurrences[-1].ends_at,
        minutes_per_day=schedule.minutes,
        latitude=body.latitude,
        longitude=body.longitude,
        area_code=body.area_code,
        address=body.address,
        headcount=body.headcount,
        pay_fen=body.pay_fen,
        pay_unit=body.pay_unit,
        daily_pay_fen=_daily_pay(body.pay_fen, body.pay_unit, schedule.minutes),
        settlement=body.settlement,
        contact_name=body.contact_name,
        contact_phone_encrypted=seal_contact_phone(security, body.contact_phone),
        moderation=verdict.record,
    )
    return gig, occurrences


async def readable_gig(
    session: AsyncSession, gig_id: uuid.UUID, viewer_id: uuid.UUID | None
) -> Gig:
    """A gig the viewer may see: open ones for all, the rest for their poster (else 404)."""
    gig = await repository.get_readable(session, gig_id, viewer_id)
    if gig is None:
        raise errors.GigNotFound()
    return gig


async def create_gig(
    session: AsyncSession,
    security: Security,
    wechat: WeChatClient,
    user: User,
    body: GigCreate,
    now: datetime,
) -> Gig:
    await _check_poster(session, user, body.employer_id)
    _requirements(body.required_skills)
    check_area(body.area_code)
    _schedule(body, now)
    first_skill = body.required_skills[0].skill if body.required_skills else None
    occupation = skills_by_code()[first_skill].occupation if first_skill else None
    text = PostingText(body.title, body.description, occupation, body.pay_fen, body.pay_unit)
    verdict = await moderate(wechat, user.openid, text, now)
    gig, occurrences = gig_row(security, body, user.id, now, verdict)
    return await repository.insert_gig(session, gig, occurrences)


async def cancel_gig(
    session: AsyncSession,
    user: User,
    gig_id: uuid.UUID,
    reason: str,
    now: datetime,
    late_hours: float = LATE_CANCEL_HOURS,
) -> Gig:
    """The poster calls the gig off: its bookings are cancelled (counted against the poster)."""
    if await repository.get_own(session, gig_id, user.id) is None:
        raise errors.GigNotFound()
    gig = await repository.lock_gig(session, gig_id)
    assert gig is not None
    if gig.status not in ("pending_review", "open", "full"):
        raise errors.GigStateInvalid("零工已开始、已结束或已取消，不能取消")
    late = is_late(gig.starts_at, now, late_hours)
    active = await bookings.active_bookings_of_gig(session, gig.id)
    if any(b.status == "checked_in" for b in active):
        raise errors.GigStateInvalid("已有零工签到，不能取消整个零工")
    for booking in active:
        await bookings.set_booking(
            session,
            booking.id,
            status="cancelled",
            cancelled_at=now,
            cancelled_by="poster",
            cancel_reason=reason,
            late_cancellation=late,
        )
        await bookings.set_application_status(session, booking.application_id, "closed", now)
    await bookings.close_pending_applications(session, gig.id)
    if active:
        await repository.add_poster_counts(
            session,
            user.id,
            cancelled_count=len(active),
            late_cancelled_count=len(active) if late else 0,
        )
    gig.status, gig.cancel_reason, gig.cancelled_at = "cancelled", reason, now
    gig.booked_count = 0
    await session.flush()
    await notices.booking_cancelled(session, now, gig, active, "poster", reason)
    return gig


async def review_gig(
    session: AsyncSession,
    staff: StaffAccount,
    gig_id: uuid.UUID,
    approve: bool,
    reason: str | None,
    now: datetime,
) -> Gig:
    """Staff decide a held gig: approve → open; reject → rejected with a reason the poster sees."""
    gig = await repository.lock_gig(session, gig_id)
    if gig is None:
        raise errors.GigNotFound()
    if gig.status != "pending_review":
        raise errors.NotPendingReview()
    if not approve and not reason:
        raise errors.ReasonRequired()
    gig.status = "open" if approve else "rejected"
    if approve and gig.starts_at <= now:
        gig.status, gig.cancelled_at = "cancelled", now
        gig.cancel_reason = "审核通过时开工时间已过"
    gig.moderation = {**gig.moderation, "staff_reason": reason, "reviewed_by": str(staff.id)}
    await session.flush()
    await record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action="gig.review",
        subject_kind="gig",
        subject_id=gig.id,
        details={"approve": approve, "reason": reason, "status": gig.status},
    )
    return gig
