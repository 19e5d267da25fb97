"""Live-stream hiring: apply to a featured job from the session; the session counts them."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications.models import JobApplication
from tests.applications.helpers import build_world, put_resume
from tests.events.conftest import make_event
from tests.support.clock import FakeClock
from tests.support.factories import auth, make_staff


async def test_apply_from_the_session_through_the_application_service(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    world = await build_world(session, app)
    live = await make_event(session, kind="livestream", brand="暖城·暖岗", registration_limit=0)
    staff = await make_staff(session, roles=("station",))
    featured = await client.put(
        f"/api/v1/admin/events/{live.id}/featured-jobs",
        json={"job_ids": [str(world.job_a.id)]},
        headers=auth(app, staff),
    )
    assert featured.status_code == 200, featured.text
    assert [j["title"] for j in featured.json()["featured_jobs"]] == ["快递员"]
    await put_resume(client, app, world.seeker)
    url = f"/api/v1/events/{live.id}/featured-jobs/{world.job_a.id}/applications"

    applied = await client.post(url, headers=auth(app, world.seeker))
    again = await client.post(url, headers=auth(app, world.seeker))

    assert applied.status_code == 201, applied.text
    assert applied.json()["from_this_session"] is True
    assert again.json()["application_id"] == applied.json()["application_id"]
    rows = (
        await session.scalars(
            select(JobApplication).where(JobApplication.user_id == world.seeker.id)
        )
    ).all()
    assert [str(r.id) for r in rows] == [applied.json()["application_id"]]
    assert (await client.get(f"/api/v1/events/{live.id}")).json()["application_count"] == 1
    # The employer sees it as an ordinary application to its job.
    mine = (await client.get("/api/v1/me/applications", headers=auth(app, world.seeker))).json()
    assert [a["id"] for a in mine["items"]] == [applied.json()["application_id"]]


async def test_earlier_applications_and_unfeatured_jobs_are_not_counted(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    world = await build_world(session, app)
    live = await make_event(session, kind="livestream", registration_limit=0)
    staff = await make_staff(session, roles=("station",))
    await client.put(
        f"/api/v1/admin/events/{live.id}/featured-jobs",
        json={"job_ids": [str(world.job_a.id)]},
        headers=auth(app, staff),
    )
    await put_resume(client, app, world.other_seeker)
    earlier = await client.post(
        f"/api/v1/jobs/{world.job_a.id}/applications", headers=auth(app, world.other_seeker)
    )
    assert earlier.status_code in (200, 201), earlier.text

    again = await client.post(
        f"/api/v1/events/{live.id}/featured-jobs/{world.job_a.id}/applications",
        headers=auth(app, world.other_seeker),
    )
    not_featured = await client.post(
        f"/api/v1/events/{live.id}/featured-jobs/{world.job_b.id}/applications",
        headers=auth(app, world.other_seeker),
    )

    assert again.json()["from_this_session"] is False
    assert (not_featured.status_code, not_featured.json()["code"]) == (
        404,
        "event.job_not_featured",
    )
    assert (await client.get(f"/api/v1/events/{live.id}")).json()["application_count"] == 0
    fair = await make_event(session)
    wrong_kind = await client.put(
        f"/api/v1/admin/events/{fair.id}/featured-jobs",
        json={"job_ids": []},
        headers=auth(app, staff),
    )
    assert wrong_kind.json()["code"] == "event.not_livestream"
