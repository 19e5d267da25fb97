"""The sample seekers' seeder: labelled, idempotent, and readable through the API."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications.models import JobApplication, Resume
from app.demo.applications import SEEKERS, seed_applications
from app.identity.models import User
from tests.applications.helpers import World, make_job
from tests.support.factories import auth


async def test_seeder_adds_sample_seekers_resumes_and_applications_once(
    client: httpx.AsyncClient, app: FastAPI, world: World, session: AsyncSession
) -> None:
    for i in range(3):
        await make_job(session, world.employer_a, title=f"示例岗位{i}")
    created = await seed_applications(session)
    assert created == sum(spec[5] for spec in SEEKERS)
    assert await seed_applications(session) == 0

    seekers = (await session.scalars(select(User).where(User.openid.like("demo_seeker_%")))).all()
    assert len(seekers) == len(SEEKERS)
    assert all(s.nickname and s.nickname.startswith("示例") for s in seekers)
    resumes = (await session.scalars(select(Resume))).all()
    assert {r.user_id for r in resumes} == {s.id for s in seekers}

    applications = (await session.scalars(select(JobApplication))).all()
    viewed = [a for a in applications if a.status == "viewed"]
    assert len(viewed) == len(SEEKERS)
    # The employer reads the sample applicant's phone like a real one.
    recruiter = world.recruiter_a if viewed[0].employer_id == world.employer_a.id else None
    recruiter = recruiter or world.recruiter_b
    response = await client.get(
        f"/api/v1/jobs/{viewed[0].job_id}/applications", headers=auth(app, recruiter)
    )
    assert response.status_code == 200
    phones = {i["applicant"]["phone"] for i in response.json()["items"]}
    assert phones & {spec[3] for spec in SEEKERS}
    mine = await client.get("/api/v1/me/applications", headers=auth(app, seekers[0]))
    assert len(mine.json()["items"]) >= 1
