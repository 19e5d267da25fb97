"""Under concurrency the database holds the line: never more bookings than the headcount, never
one worker booked twice at overlapping times. Real commits, requests fired at once."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.db import create_sessionmaker
from app.identity.models import User
from tests.gigs.helpers import make_poster, make_worker, next_weekday, post_gig
from tests.support.factories import auth


async def _scalar(engine: AsyncEngine, sql: str, **params: object) -> object:
    async with engine.connect() as conn:
        return (await conn.execute(text(sql), params)).scalar_one()


async def test_fifty_concurrent_accepts_never_exceed_a_headcount_of_five(
    committing_client: httpx.AsyncClient, app: FastAPI, engine: AsyncEngine
) -> None:
    client = committing_client
    async with create_sessionmaker(engine)() as session:
        poster = await make_poster(session, app)
        workers = [await make_worker(session, app, f"工人{i}") for i in range(50)]
        await session.commit()
    gig = await post_gig(client, app, poster, headcount=5)
    application_ids = []
    for worker in workers:
        response = await client.post(
            f"/api/v1/gigs/{gig['id']}/applications", json={}, headers=auth(app, worker)
        )
        assert response.status_code == 201, response.text
        application_ids.append(response.json()["id"])

    responses = await asyncio.gather(
        *(
            client.post(f"/api/v1/gig-applications/{a}/accept", headers=auth(app, poster))
            for a in application_ids
        )
    )
    outcomes = Counter((r.status_code, r.json().get("code")) for r in responses)
    assert outcomes == {(200, None): 5, (409, "gig.full"): 45}, outcomes
    assert all(r.json()["message"] == "该零工人数已满" for r in responses if r.status_code == 409)

    gig_id = gig["id"]
    assert (
        await _scalar(engine, "SELECT count(*) FROM gig_booking WHERE gig_id = :g", g=gig_id) == 5
    )
    assert await _scalar(engine, "SELECT booked_count FROM gig WHERE id = :g", g=gig_id) == 5
    assert await _scalar(engine, "SELECT status FROM gig WHERE id = :g", g=gig_id) == "full"
    accepted = await _scalar(
        engine,
        "SELECT count(*) FROM gig_application WHERE gig_id = :g AND status = 'accepted'",
        g=gig_id,
    )
    assert accepted == 5


async def _invite(
    client: httpx.AsyncClient, app: FastAPI, poster: User, gig_id: str, worker: User
) -> str:
    response = await client.post(
        f"/api/v1/gigs/{gig_id}/invitations",
        json={"worker_id": str(worker.id)},
        headers=auth(app, poster),
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_one_worker_accepting_two_overlapping_gigs_at_once_gets_one_booking(
    committing_client: httpx.AsyncClient, app: FastAPI, engine: AsyncEngine
) -> None:
    client = committing_client
    saturday = next_weekday(6)
    async with create_sessionmaker(engine)() as session:
        posters = [await make_poster(session, app, f"老板{i}") for i in range(2)]
        workers = [await make_worker(session, app, f"师傅{i}") for i in range(5)]
        await session.commit()
    # Five workers, each invited to two overlapping gigs (08:00–17:00 and 12:00–20:00).
    morning = await post_gig(client, app, posters[0], day=saturday, headcount=10)
    evening = await post_gig(
        client, app, posters[1], day=saturday, headcount=10, start_time="12:00", end_time="20:00"
    )
    pairs = [
        (
            w,
            await _invite(client, app, posters[0], morning["id"], w),
            await _invite(client, app, posters[1], evening["id"], w),
        )
        for w in workers
    ]
    responses = await asyncio.gather(
        *(
            client.post(f"/api/v1/gig-applications/{a}/accept", headers=auth(app, w))
            for w, first, second in pairs
            for a in (first, second)
        )
    )
    for i, (worker, _first, _second) in enumerate(pairs):
        codes = sorted((r.status_code, r.json().get("code")) for r in responses[2 * i : 2 * i + 2])
        assert codes == [(200, None), (409, "gig.time_conflict")], codes
        active = await _scalar(
            engine,
            "SELECT count(*) FROM gig_booking WHERE worker_id = :w AND status <> 'cancelled'",
            w=worker.id,
        )
        assert active == 1
