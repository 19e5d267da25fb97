"""First entries racing for the same month meet at a lock, not at a unique-constraint error."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.bureau.models import MeasureProgress, TargetEntry
from app.core.db import create_sessionmaker
from tests.bureau.conftest import make_liaison
from tests.support.clock import FakeClock
from tests.support.factories import auth, make_staff


async def test_simultaneous_first_entries_of_a_month(
    committing_client: httpx.AsyncClient, app: FastAPI, engine: AsyncEngine, clock: FakeClock
) -> None:
    async with create_sessionmaker(engine)() as session:
        admin = auth(app, await make_staff(session))
        liaison = auth(app, await make_liaison(session, "区人社局"))
        await session.commit()

    entries = await asyncio.gather(
        *(
            committing_client.put(
                "/api/v1/admin/targets/new_urban_employment/entries/2025-05",
                json={"value": value},
                headers=admin,
            )
            for value in (100, 200, 300, 400)
        ),
        *(
            committing_client.put(
                "/api/v1/admin/measures/6/progress/2025-05",
                json={"summary": f"第{n}稿"},
                headers=liaison,
            )
            for n in range(4)
        ),
    )

    assert [r.status_code for r in entries] == [200] * 8
    async with create_sessionmaker(engine)() as session:
        assert await session.scalar(select(func.count()).select_from(TargetEntry)) == 1
        assert await session.scalar(select(func.count()).select_from(MeasureProgress)) == 1
