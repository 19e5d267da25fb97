"""Applying reads "today" from the injected clock: a job's last day ends at Dongsheng midnight."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from tests.applications.helpers import World, apply, make_job, put_resume
from tests.support.clock import installed_clock, local
from tests.support.factories import auth


async def test_applying_follows_the_clock(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession, world: World
) -> None:
    last_day = local(2031, 5, 20).date()  # far from the real date: only the set clock reaches it
    job = await make_job(session, world.employer_a, valid_until=last_day)
    other = await make_job(session, world.employer_b, valid_until=last_day)
    await put_resume(client, app, world.seeker)
    with installed_clock(app, local(2031, 5, 20, 23, 59)) as clock:
        applied = await apply(client, app, world.seeker, job.id)
        assert applied.status_code == 201, applied.text
        assert applied.json()["job"]["is_open"] is True
        taken_at = datetime.fromisoformat(applied.json()["resume"]["taken_at"])
        assert taken_at == local(2031, 5, 20, 23, 59)
        clock.set(clock.now + timedelta(minutes=1))
        late = await apply(client, app, world.seeker, other.id)
        mine = await client.get("/api/v1/me/applications", headers=auth(app, world.seeker))
    assert late.status_code == 409 and late.json()["code"] == "job.expired"
    assert [item["job"]["is_open"] for item in mine.json()["items"]] == [False]
