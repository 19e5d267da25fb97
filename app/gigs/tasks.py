"""The gigs' worker tasks (namespace ``gigs``, see ``app.worker``)."""

from __future__ import annotations

import uuid
from datetime import datetime

import procrastinate

from app.core.queue import runtime_of
from app.gigs.models import Gig, GigBooking
from app.gigs.notices import reminder

blueprint = procrastinate.Blueprint()


@blueprint.task(name="remind_booking", pass_context=True, retry=3)
async def remind_booking(
    context: procrastinate.JobContext, booking_id: str, starts_at: str
) -> bool:
    """Two hours before a gig: remind the worker if the booking still stands."""
    runtime = runtime_of(context)
    async with runtime.sessionmaker() as session, session.begin():
        booking = await session.get(GigBooking, uuid.UUID(booking_id), populate_existing=True)
        if booking is None or booking.status != "booked":
            return False
        gig = await session.get(Gig, booking.gig_id, populate_existing=True)
        if gig is None or gig.status not in ("open", "full", "in_progress"):
            return False
        if gig.starts_at != datetime.fromisoformat(starts_at):
            return False
        return await reminder(session, runtime.clock(), booking, gig)
