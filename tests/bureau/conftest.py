"""Fixtures of the bureau tests: "now" is mid-June 2025 in Dongsheng (the plan's target year)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession

from app.events.models import RecruitmentEvent
from app.identity.models import StaffAccount
from app.training.models import TrainingCourse
from tests.support.clock import FakeClock, installed_clock, local
from tests.support.factories import make_staff

NOW = local(2025, 6, 15, 10, 0)


@pytest.fixture
def clock(app: FastAPI) -> Iterator[FakeClock]:
    with installed_clock(app, NOW) as fake:
        yield fake


async def make_liaison(session: AsyncSession, unit: str) -> StaffAccount:
    staff = await make_staff(session, roles=("liaison",))
    staff.unit = unit
    await session.flush()
    return staff


async def make_event(
    session: AsyncSession, starts_at: datetime, *, kind: str = "fair", **values: Any
) -> RecruitmentEvent:
    defaults: dict[str, Any] = {
        "title": "测试招聘会",
        "organiser": "东胜区人力资源和社会保障局",
        "address": "东胜区人力资源市场",
        "target_groups": ["general"],
    }
    event = RecruitmentEvent(
        kind=kind,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        **(defaults | values),
    )
    session.add(event)
    await session.flush()
    return event


async def make_course(
    session: AsyncSession, starts_on: date, *, groups: tuple[str, ...] = ("youth",), **values: Any
) -> TrainingCourse:
    course = TrainingCourse(
        title="青年求职能力实训",
        provider="示例职业培训学校",
        occupation_code="electrician",
        hours=16,
        seats=30,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=2),
        target_groups=list(groups),
        address="东胜区示例路 8 号",
        **values,
    )
    session.add(course)
    await session.flush()
    return course


def read_workbook(content: bytes) -> Any:
    return load_workbook(io.BytesIO(content))
