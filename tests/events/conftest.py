"""Fixtures of the events tests: a settable clock and events arranged in the database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.events.checkin_code import CheckInCodec
from app.events.dependencies import get_checkin_codec
from app.events.models import RecruitmentEvent
from tests.support.clock import FakeClock, installed_clock, local

# The fair in these tests: Saturday 2026-12-05, 09:00–12:00 in Dongsheng; "now" is a week before.
FAIR_START = local(2026, 12, 5, 9, 0)
NOW = local(2026, 11, 28, 10, 0)


@pytest.fixture
def clock(app: FastAPI) -> Iterator[FakeClock]:
    with installed_clock(app, NOW) as fake:
        yield fake


@pytest.fixture
def codec(app: FastAPI) -> CheckInCodec:
    """The codec the app signs with (same settings key)."""

    class _Request:
        def __init__(self, app: FastAPI) -> None:
            self.app = app

    return get_checkin_codec(_Request(app))  # type: ignore[arg-type]


async def make_event(
    session: AsyncSession,
    *,
    kind: str = "fair",
    starts_at: datetime = FAIR_START,
    hours: int = 3,
    registration_limit: int = 100,
    booth_limit: int = 10,
    **values: Any,
) -> RecruitmentEvent:
    defaults: dict[str, Any] = {
        "title": "测试招聘会",
        "organiser": "东胜区人力资源和社会保障局",
        "address": "东胜区人力资源市场",
        "target_groups": ["general"],
    }
    if kind == "livestream":
        defaults |= {
            "online": True,
            "address": None,
            "platform": "wechat_channels",
            "host": "主持人",
        }
        booth_limit = 0
    event = RecruitmentEvent(
        kind=kind,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        registration_limit=registration_limit,
        booth_limit=booth_limit,
        **(defaults | values),
    )
    session.add(event)
    await session.flush()
    return event
