"""Approving a held gig judges "has it started?" by the injected clock."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.gigs.models import Gig
from tests.gigs.helpers import make_poster, next_weekday, post_gig
from tests.support.clock import installed_clock, local
from tests.support.factories import auth, make_staff


async def _held_gig(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession, poster_name: str
) -> tuple[str, datetime]:
    day = next_weekday(6)
    gig = await post_gig(
        client, app, await make_poster(session, app, poster_name), dates=[str(day)]
    )
    await session.execute(
        update(Gig).where(Gig.id == uuid.UUID(gig["id"])).values(status="pending_review")
    )
    return gig["id"], local(day.year, day.month, day.day, 8, 0)


async def test_approval_cancels_a_gig_whose_start_the_clock_has_passed(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    reviewer = auth(app, await make_staff(session, roles=("reviewer",)))
    on_time, starts_at = await _held_gig(client, app, session, "王老板")
    too_late, _ = await _held_gig(client, app, session, "李老板")
    approve = {"decision": "approve"}
    with installed_clock(app, starts_at - timedelta(minutes=1)) as clock:
        first = await client.post(
            f"/api/v1/admin/gigs/{on_time}/review", json=approve, headers=reviewer
        )
        clock.set(starts_at)
        second = await client.post(
            f"/api/v1/admin/gigs/{too_late}/review", json=approve, headers=reviewer
        )
    assert first.status_code == 200 and first.json()["status"] == "open", first.text
    assert second.status_code == 200 and second.json()["status"] == "cancelled", second.text
