"""What gig workers and posters are told (written through the outbox).

Reminder: when a booking is made, one job is scheduled two hours before the gig starts
(``gigs:remind_booking``); it re-reads the booking when it runs and tells the worker only if it
is still booked and the start has not moved. A booking made less than two hours before the
start gets no reminder (the acceptance was just sent).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.notices import moment_keyword, moment_text
from app.core.queue import JobSpec, defer
from app.gigs.models import Gig, GigApplication, GigBooking
from app.identity.models import User
from app.notifications.kinds import NotificationKind
from app.notifications.outbox import Message, notify
from app.taxonomy.pay import format_amount

REMIND_TASK = "gigs:remind_booking"
REMIND_BEFORE = timedelta(hours=2)


def application_page(application_id: uuid.UUID) -> str:
    return f"pages/gigs/applications/detail?id={application_id}"


def booking_page(booking_id: uuid.UUID) -> str:
    return f"pages/gigs/bookings/detail?id={booking_id}"


async def _name(session: AsyncSession, user_id: uuid.UUID, fallback: str) -> str:
    user = await session.get(User, user_id)
    return (user.nickname if user is not None else None) or fallback


def _when(gig: Gig) -> dict[str, str]:
    return {"subject": gig.title, "time": moment_keyword(gig.starts_at), "place": gig.address}


async def accepted(
    session: AsyncSession, now: datetime, application: GigApplication, gig: Gig, booking: GigBooking
) -> None:
    """The side that asked hears the yes; the worker's reminder is scheduled."""
    when = moment_text(gig.starts_at)
    if application.origin == "worker":
        recipient, body = (
            application.worker_id,
            (f"您报名的零工「{gig.title}」已被录用，{when}开工，地点{gig.address}，请准时到岗。"),
        )
    else:
        worker = await _name(session, application.worker_id, "零工")
        recipient, body = gig.poster_id, (f"{worker}接受了您「{gig.title}」的邀请，{when}开工。")
    await notify(
        session,
        now,
        [recipient],
        Message(
            kind=NotificationKind.GIG_APPLICATION_DECIDED,
            title="零工报名结果",
            body=body,
            page=booking_page(booking.id),
            keywords={**_when(gig), "status": "已录用"},
            dedupe_key=f"gig_application:{application.id}:accepted:{booking.id}",
        ),
    )
    remind_at = gig.starts_at - REMIND_BEFORE
    if remind_at > now:
        await defer(
            session,
            [
                JobSpec(
                    task=REMIND_TASK,
                    args={"booking_id": str(booking.id), "starts_at": gig.starts_at.isoformat()},
                    scheduled_at=remind_at,
                )
            ],
        )


async def declined(
    session: AsyncSession, now: datetime, application: GigApplication, gig: Gig
) -> None:
    """The side that asked hears the no."""
    if application.origin == "worker":
        recipient, body = application.worker_id, f"很遗憾，您报名的零工「{gig.title}」未被录用。"
    else:
        worker = await _name(session, application.worker_id, "零工")
        recipient, body = gig.poster_id, f"{worker}谢绝了您「{gig.title}」的邀请。"
    await notify(
        session,
        now,
        [recipient],
        Message(
            kind=NotificationKind.GIG_APPLICATION_DECIDED,
            title="零工报名结果",
            body=body,
            page=application_page(application.id),
            keywords={
                "subject": gig.title,
                "status": "未录用" if application.origin == "worker" else "已谢绝",
            },
            # each occurrence is news: the transaction alone makes it told once
            dedupe_key=None,
        ),
    )


async def booking_cancelled(
    session: AsyncSession,
    now: datetime,
    gig: Gig,
    bookings: Sequence[GigBooking],
    by: str,
    reason: str,
) -> None:
    """The other side hears: the worker(s) when the poster cancels, the poster otherwise."""
    when = moment_text(gig.starts_at)
    keywords = {**_when(gig), "status": "已取消", "note": reason}
    if by == "poster":
        for booking in bookings:
            await notify(
                session,
                now,
                [booking.worker_id],
                Message(
                    kind=NotificationKind.GIG_BOOKING_CANCELLED,
                    title="零工预约取消",
                    body=f"发布者取消了{when}的零工「{gig.title}」，原因：{reason}。",
                    page=booking_page(booking.id),
                    keywords=keywords,
                    dedupe_key=f"gig_booking:{booking.id}:cancelled",
                ),
            )
        return
    for booking in bookings:
        worker = await _name(session, booking.worker_id, "零工")
        await notify(
            session,
            now,
            [gig.poster_id],
            Message(
                kind=NotificationKind.GIG_BOOKING_CANCELLED,
                title="零工预约取消",
                body=f"{worker}取消了{when}的零工「{gig.title}」，原因：{reason}。",
                page=booking_page(booking.id),
                keywords=keywords,
                dedupe_key=f"gig_booking:{booking.id}:cancelled",
            ),
        )


async def reminder(session: AsyncSession, now: datetime, booking: GigBooking, gig: Gig) -> bool:
    told = await notify(
        session,
        now,
        [booking.worker_id],
        Message(
            kind=NotificationKind.GIG_REMINDER,
            title="零工开工提醒",
            body=(
                f"您的零工「{gig.title}」将于{moment_text(gig.starts_at)}开工，"
                f"地点{gig.address}，请准时到岗并签到。"
            ),
            page=booking_page(booking.id),
            keywords=_when(gig),
            dedupe_key=f"gig_booking:{booking.id}:reminder:{gig.starts_at.isoformat()}",
        ),
    )
    return bool(told)


async def pay_reported(session: AsyncSession, now: datetime, booking: GigBooking, gig: Gig) -> None:
    amount = format_amount(booking.paid_amount_fen or 0)
    await notify(
        session,
        now,
        [booking.worker_id],
        Message(
            kind=NotificationKind.GIG_PAY,
            title="零工报酬已支付",
            body=f"发布者已确认支付零工「{gig.title}」的报酬{amount}，收到后请确认收款。",
            page=booking_page(booking.id),
            keywords={"subject": gig.title, "amount": amount, "status": "已支付"},
            dedupe_key=f"gig_booking:{booking.id}:pay_reported",
        ),
    )


async def pay_confirmed(
    session: AsyncSession, now: datetime, booking: GigBooking, gig: Gig
) -> None:
    amount = format_amount(booking.paid_amount_fen or 0)
    worker = await _name(session, booking.worker_id, "零工")
    await notify(
        session,
        now,
        [gig.poster_id],
        Message(
            kind=NotificationKind.GIG_PAY,
            title="零工已确认收款",
            body=f"{worker}已确认收到零工「{gig.title}」的报酬{amount}。",
            page=booking_page(booking.id),
            keywords={"subject": gig.title, "amount": amount, "status": "已收款"},
            dedupe_key=f"gig_booking:{booking.id}:pay_confirmed",
        ),
    )
