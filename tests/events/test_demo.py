"""The demo events: upcoming, labelled, with a live-stream session; idempotent."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.demo import events as demo
from app.events.models import RecruitmentEvent
from app.training.models import TrainingCourse


async def test_demo_events_are_upcoming_and_labelled(session: AsyncSession) -> None:
    assert await demo.seed_events(session) == 4
    assert await demo.seed_training_courses(session) == 2
    events = (await session.scalars(select(RecruitmentEvent))).all()
    now = datetime.now(UTC)
    assert all(e.title.startswith("示例") and e.starts_at > now for e in events)
    assert {e.kind for e in events} == {"fair", "special_fair", "campus_trip", "livestream"}
    live = next(e for e in events if e.kind == "livestream")
    assert live.brand == "暖城·暖岗"
    courses = (await session.scalars(select(TrainingCourse))).all()
    assert all(c.title.startswith("示例") for c in courses)
    assert await demo.seed_events(session) == 0
    assert await demo.seed_training_courses(session) == 0
