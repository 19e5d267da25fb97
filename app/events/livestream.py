"""Live-stream hiring (直播带岗, "暖城·暖岗"): apply to a featured job from the session.

The application is made by the applications domain (``app.applications.service.apply``: one per
job and person, with the resume snapshot and its rules). This module records the session as its
source in ``livestream_application`` and keeps the session's application count.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.applications import service as applications
from app.core.clock import Clock
from app.core.security import Security
from app.events import errors
from app.events import registration_repository as rrepo
from app.events import repository as repo
from app.events.schemas import LivestreamApplicationRead
from app.identity.models import User


async def apply_from_session(
    session: AsyncSession,
    clock: Clock,
    security: Security,
    user: User,
    event_id: uuid.UUID,
    job_id: uuid.UUID,
) -> LivestreamApplicationRead:
    event = await repo.get_event(session, event_id)
    if event is None or event.status == "cancelled":
        raise errors.EventNotFound()
    if event.kind != "livestream":
        raise errors.NotLivestream()
    if not await repo.is_featured(session, event.id, job_id):
        raise errors.JobNotFeatured()
    application, created = await applications.apply(session, clock, security, user, job_id)
    if created:
        linked = await rrepo.link_application(
            session,
            {
                "event_id": event.id,
                "job_id": job_id,
                "user_id": user.id,
                "application_id": application.id,
            },
        )
        if linked:
            await repo.count_application(session, event.id)
    source = await rrepo.application_source(session, application.id)
    return LivestreamApplicationRead(
        event_id=event.id,
        job_id=job_id,
        application_id=application.id,
        application_status=application.status,
        from_this_session=source == event.id,
        applied_at=application.created_at,
    )
