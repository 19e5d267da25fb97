"""The service desk's worker tasks (namespace ``service_desk``, see ``app.worker``)."""

from __future__ import annotations

import uuid

import procrastinate

from app.core.queue import runtime_of
from app.service_desk import appointment_repository as arepo
from app.service_desk.notices import reminder

blueprint = procrastinate.Blueprint()


@blueprint.task(name="remind_appointment", pass_context=True, retry=3)
async def remind_appointment(context: procrastinate.JobContext, appointment_id: str) -> bool:
    """The evening before a visit: remind the person if the visit is still booked."""
    runtime = runtime_of(context)
    async with runtime.sessionmaker() as session, session.begin():
        row = await arepo.get_appointment(session, uuid.UUID(appointment_id), user_id=None)
        if row is None or row[0].status != "booked":
            return False
        now = runtime.clock()
        if row[1].starts_at <= now:
            return False
        return await reminder(session, now, *row)
