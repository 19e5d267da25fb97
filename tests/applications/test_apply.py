"""POST /jobs/{id}/applications: once per job and person, with a resume snapshot; refusals."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.applications.models import ApplicationStatusChange, JobApplication
from app.core.db import create_sessionmaker
from tests.applications.helpers import (
    World,
    apply,
    build_world,
    make_job,
    put_resume,
)
from tests.support.factories import auth, make_user


async def _count(session: AsyncSession, model: type, **where: object) -> int:
    stmt = select(func.count()).select_from(model).filter_by(**where)
    return int(await session.scalar(stmt) or 0)


async def test_apply_creates_an_application_with_a_resume_snapshot(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    await put_resume(client, app, world.seeker)
    response = await apply(client, app, world.seeker, world.job_a.id)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "submitted"
    assert body["viewer_role"] == "applicant"
    assert body["applicant"] is None  # contact data is for the employer's eyes only
    assert body["job"]["title"] == "快递员"
    assert body["job"]["employer_name"] == "示例甲公司"
    assert body["job"]["is_open"] is True
    assert body["resume"]["skills"] == ["叉车", "仓储管理"]
    assert body["resume"]["taken_at"]
    assert [(h["from_status"], h["to_status"], h["actor_role"]) for h in body["history"]] == [
        (None, "submitted", "applicant")
    ]
    assert body["history"][0]["actor_user_id"] == str(world.seeker.id)


async def test_editing_the_resume_later_does_not_change_the_snapshot(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    await put_resume(client, app, world.seeker)
    created = (await apply(client, app, world.seeker, world.job_a.id)).json()
    await put_resume(client, app, world.seeker, {"skills": ["焊工"]})
    detail = await client.get(
        f"/api/v1/applications/{created['id']}", headers=auth(app, world.seeker)
    )
    assert detail.json()["resume"]["skills"] == ["叉车", "仓储管理"]


async def test_applying_again_returns_the_same_application_with_200(
    client: httpx.AsyncClient, app: FastAPI, world: World, session: AsyncSession
) -> None:
    await put_resume(client, app, world.seeker)
    first = await apply(client, app, world.seeker, world.job_a.id)
    again = await apply(client, app, world.seeker, world.job_a.id)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert await _count(session, JobApplication, job_id=world.job_a.id) == 1
    assert await _count(session, ApplicationStatusChange) == 1


async def test_retry_with_the_same_idempotency_key_replays(
    client: httpx.AsyncClient, app: FastAPI, world: World, session: AsyncSession
) -> None:
    await put_resume(client, app, world.seeker)
    first = await apply(client, app, world.seeker, world.job_a.id, key="apply-key-0001")
    retry = await apply(client, app, world.seeker, world.job_a.id, key="apply-key-0001")
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()
    assert await _count(session, JobApplication, job_id=world.job_a.id) == 1


async def test_a_phone_is_required(
    client: httpx.AsyncClient, app: FastAPI, world: World, session: AsyncSession
) -> None:
    no_phone = await make_user(session, app, phone=None)
    await put_resume(client, app, no_phone)
    response = await apply(client, app, no_phone, world.job_a.id)
    assert response.status_code == 403
    assert response.json()["code"] == "identity.phone_required"
    assert "手机号" in response.json()["message"]
    assert await _count(session, JobApplication) == 0


async def test_a_resume_is_required(
    client: httpx.AsyncClient, app: FastAPI, world: World, session: AsyncSession
) -> None:
    response = await apply(client, app, world.seeker, world.job_a.id)
    assert response.status_code == 409
    assert response.json()["code"] == "application.resume_required"
    assert await _count(session, JobApplication) == 0


@pytest.mark.parametrize(
    ("status", "days", "code"),
    [
        ("closed", 30, "job.closed"),
        ("published", -2, "job.expired"),
        ("pending_review", 30, "job.not_published"),
        ("rejected", 30, "job.not_published"),
    ],
)
async def test_jobs_that_do_not_recruit_refuse(
    client: httpx.AsyncClient,
    app: FastAPI,
    world: World,
    session: AsyncSession,
    status: str,
    days: int,
    code: str,
) -> None:
    job = await make_job(
        session, world.employer_a, status=status, valid_until=date.today() + timedelta(days=days)
    )
    await put_resume(client, app, world.seeker)
    response = await apply(client, app, world.seeker, job.id)
    assert response.status_code == 409
    assert response.json()["code"] == code
    assert response.json()["message"]
    assert await _count(session, JobApplication) == 0


async def test_an_unknown_job_is_not_found(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    await put_resume(client, app, world.seeker)
    response = await apply(client, app, world.seeker, world.seeker.id)
    assert response.status_code == 404
    assert response.json()["code"] == "job.not_found"


async def test_members_cannot_apply_to_their_own_employer(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    await put_resume(client, app, world.recruiter_a)
    response = await apply(client, app, world.recruiter_a, world.job_a.id)
    assert response.status_code == 409
    assert response.json()["code"] == "application.own_employer"


async def test_an_existing_application_survives_the_job_closing(
    client: httpx.AsyncClient, app: FastAPI, world: World, session: AsyncSession
) -> None:
    await put_resume(client, app, world.seeker)
    first = (await apply(client, app, world.seeker, world.job_a.id)).json()
    world.job_a.status = "closed"
    await session.flush()
    retry = await apply(client, app, world.seeker, world.job_a.id)
    assert retry.status_code == 200
    assert retry.json()["id"] == first["id"]
    assert retry.json()["job"]["is_open"] is False


async def test_withdraw_then_apply_again_reopens_the_same_application(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    await put_resume(client, app, world.seeker)
    first = (await apply(client, app, world.seeker, world.job_a.id)).json()
    withdrawn = await client.post(
        f"/api/v1/applications/{first['id']}/withdraw",
        json={"note": "已找到工作"},
        headers=auth(app, world.seeker),
    )
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    await put_resume(client, app, world.seeker, {"skills": ["焊工"]})
    again = await apply(client, app, world.seeker, world.job_a.id)
    assert again.status_code == 200
    body = again.json()
    assert body["id"] == first["id"]
    assert body["status"] == "submitted"
    assert body["resume"]["skills"] == ["焊工"]
    assert [(h["from_status"], h["to_status"], h["note"]) for h in body["history"]] == [
        (None, "submitted", None),
        ("submitted", "withdrawn", "已找到工作"),
        ("withdrawn", "submitted", "重新投递"),
    ]


async def test_withdrawing_twice_answers_with_the_withdrawn_application(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    await put_resume(client, app, world.seeker)
    created = (await apply(client, app, world.seeker, world.job_a.id)).json()
    url = f"/api/v1/applications/{created['id']}/withdraw"
    first = await client.post(url, headers=auth(app, world.seeker))
    second = await client.post(url, headers=auth(app, world.seeker))
    assert (first.status_code, second.status_code) == (200, 200)
    assert len(second.json()["history"]) == 2


async def test_only_the_applicant_can_withdraw(
    client: httpx.AsyncClient, app: FastAPI, world: World, session: AsyncSession
) -> None:
    await put_resume(client, app, world.seeker)
    created = (await apply(client, app, world.seeker, world.job_a.id)).json()
    url = f"/api/v1/applications/{created['id']}/withdraw"
    for stranger in (world.recruiter_a, world.other_seeker):
        response = await client.post(url, headers=auth(app, stranger))
        assert response.status_code == 404
        assert response.json()["code"] == "application.not_found"


# --- concurrency: real commits -----------------------------------------------------------


async def _arranged(engine: AsyncEngine, app: FastAPI) -> World:
    async with create_sessionmaker(engine)() as arrange:
        world = await build_world(arrange, app)
        await arrange.commit()
    return world


async def _applications(engine: AsyncEngine, world: World) -> tuple[int, int]:
    async with create_sessionmaker(engine)() as check:
        apps = await _count(check, JobApplication, user_id=world.seeker.id)
        history = await _count(check, ApplicationStatusChange)
    return apps, history


@pytest.mark.parametrize("key", ["double-tap-key-1", None], ids=["same key", "no key"])
async def test_a_concurrent_double_tap_creates_exactly_one_application(
    committing_client: httpx.AsyncClient, app: FastAPI, engine: AsyncEngine, key: str | None
) -> None:
    world = await _arranged(engine, app)
    await put_resume(committing_client, app, world.seeker)
    responses = await asyncio.gather(
        *(apply(committing_client, app, world.seeker, world.job_a.id, key=key) for _ in range(4))
    )
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert await _applications(engine, world) == (1, 1)


async def test_concurrent_applications_of_different_people_all_succeed(
    committing_client: httpx.AsyncClient, app: FastAPI, engine: AsyncEngine
) -> None:
    world = await _arranged(engine, app)
    for person in (world.seeker, world.other_seeker):
        await put_resume(committing_client, app, person)
    responses = await asyncio.gather(
        apply(committing_client, app, world.seeker, world.job_a.id),
        apply(committing_client, app, world.other_seeker, world.job_a.id),
    )
    assert [r.status_code for r in responses] == [201, 201]
