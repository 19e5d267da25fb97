"""The sample gig market loads idempotently and matching works on it (as tried from /docs)."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.demo.gigs import GIG_COUNT, POSTER_OPENID, WORKER_COUNT, seed_gig_market
from app.gigs.models import Gig, GigWorkerProfile
from app.identity.models import User
from tests.support.factories import auth


async def test_sample_market_loads_once_and_matches(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    assert await seed_gig_market(session) == WORKER_COUNT + GIG_COUNT
    await seed_gig_market(session)  # again: nothing duplicated
    gigs = (await session.execute(select(Gig).where(Gig.status == "open"))).scalars().all()
    assert len(gigs) == GIG_COUNT and all(g.title.startswith("示例") for g in gigs)
    profiles = (await session.execute(select(func.count()).select_from(GigWorkerProfile))).scalar()
    assert profiles == WORKER_COUNT

    poster = (await session.execute(select(User).where(User.openid == POSTER_OPENID))).scalar_one()
    found = 0
    for gig in gigs:
        response = await client.get(f"/api/v1/gigs/{gig.id}/matches", headers=auth(app, poster))
        assert response.status_code == 200
        found += len(response.json()["items"])
    assert found > 0, "the sample workers should match some sample gigs"

    worker = (
        await session.execute(select(User).where(User.openid == "demo-gig-worker-0"))
    ).scalar_one()
    response = await client.get("/api/v1/me/gig-matches", headers=auth(app, worker))
    assert response.status_code == 200
    assert response.json()["items"], "the README's demo-gig-worker-0 has a match on any day"
