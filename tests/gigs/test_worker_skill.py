"""gig_worker_skill, the per-skill copy matching reads, follows every change of a profile."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.gigs.models import WORKER_SKILL_COPIES
from tests.gigs.helpers import make_worker, profile_body
from tests.support.factories import auth

COLUMNS = ", ".join(WORKER_SKILL_COPIES)


async def _copies(session: AsyncSession, user_id: object) -> dict[str, Any]:
    rows = await session.execute(
        text(f"SELECT skill_code, {COLUMNS} FROM gig_worker_skill WHERE user_id = :id"),
        {"id": user_id},
    )
    return {row.skill_code: tuple(row)[1:] for row in rows}


async def _profile(session: AsyncSession, user_id: object) -> tuple[Any, ...]:
    row = await session.execute(
        text(f"SELECT {COLUMNS} FROM gig_worker_profile WHERE user_id = :id"), {"id": user_id}
    )
    return tuple(row.one())


async def test_the_copies_follow_the_form_the_counters_and_a_deletion(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    worker = await make_worker(
        session,
        app,
        skills=[
            {"code": "moving", "level": "senior", "certificates": []},
            {"code": "welding", "level": "junior", "certificates": ["welding"]},
        ],
    )
    copies = await _copies(session, worker.id)
    assert set(copies) == {"moving", "welding"}
    profile = await _profile(session, worker.id)
    assert all(copy == profile for copy in copies.values())

    body = profile_body(skills=[{"code": "loading", "level": "junior", "certificates": []}])
    replaced = await client.put("/api/v1/me/gig-profile", json=body, headers=auth(app, worker))
    assert replaced.status_code == 200, replaced.text
    copies = await _copies(session, worker.id)
    assert set(copies) == {"loading"}
    assert copies["loading"] == await _profile(session, worker.id)

    await session.execute(
        text(
            "UPDATE gig_worker_profile SET completed_count = 7, rating_sum = 9 WHERE user_id = :id"
        ),
        {"id": worker.id},
    )
    assert (await _copies(session, worker.id))["loading"] == await _profile(session, worker.id)

    await session.execute(
        text("DELETE FROM gig_worker_profile WHERE user_id = :id"), {"id": worker.id}
    )
    assert await _copies(session, worker.id) == {}
