"""The events' worker tasks (namespace ``events``, see ``app.worker``)."""

from __future__ import annotations

import uuid
from datetime import datetime

import procrastinate

from app.core.queue import runtime_of
from app.events.models import RecruitmentEvent
from app.events.notices import event_reminder

blueprint = procrastinate.Blueprint()


@blueprint.task(name="remind_event", pass_context=True, retry=3)
async def remind_event(context: procrastinate.JobContext, event_id: str, starts_at: str) -> int:
    """The evening before an event: remind the people registered now; how many were told.

    Nothing when the event was cancelled or its start moved (the move deferred a new job).
    """
    runtime = runtime_of(context)
    async with runtime.sessionmaker() as session, session.begin():
        event = await session.get(RecruitmentEvent, uuid.UUID(event_id))
        if event is None or event.status == "cancelled":
            return 0
        if event.starts_at != datetime.fromisoformat(starts_at):
            return 0
        return await event_reminder(session, runtime.clock(), event)
