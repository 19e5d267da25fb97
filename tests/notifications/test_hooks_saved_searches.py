"""Saved searches: keep, list, delete; the daily digest tells each person once a day of the
jobs published since their last digest."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import SHANGHAI, local_midnight
from app.core.queue import JobSpec, TaskRuntime, defer
from app.employers.models import Employer
from app.jobs.models import SavedSearch
from tests.applications.helpers import make_employer, make_job
from tests.notifications.inbox import Told, told
from tests.support.clock import FakeClock, installed_clock
from tests.support.factories import auth, make_user
from tests.support.queue import run_jobs

DIGEST = "jobs:saved_search_digest"


def _day() -> datetime:
    """Tomorrow 00:00 in Dongsheng (jobs of the factory stay valid for 30 days)."""
    return local_midnight(datetime.now(SHANGHAI).date() + timedelta(days=1))


async def _job(session: AsyncSession, employer: Employer, title: str, published: datetime) -> None:
    job = await make_job(session, employer, title=title)
    job.published_at = published
    await session.flush()


async def _digest(session: AsyncSession, runtime: TaskRuntime, at: datetime) -> None:
    await defer(session, [JobSpec(task=DIGEST, args={"timestamp": int(at.timestamp())})])
    runtime = dataclasses.replace(runtime, clock=FakeClock(at))
    ran = await run_jobs(session, runtime, until=at, tasks=[DIGEST])
    assert [r.error for r in ran if r.task == DIGEST] == [None]


async def test_keep_list_and_delete(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user, other = await make_user(session, app), await make_user(session, app)
    body = {
        "name": "交通街道 快递员",
        "criteria": {"occupation": "courier", "area_code": "jiaotong"},
    }
    created = await client.post("/api/v1/me/saved-searches", json=body, headers=auth(app, user))
    assert created.status_code == 201, created.text
    assert created.json()["criteria"]["occupation"] == "courier"
    assert created.json()["criteria"]["q"] is None
    half = {"name": "附近", "criteria": {"lat": 39.8}}
    refused = await client.post("/api/v1/me/saved-searches", json=half, headers=auth(app, user))
    assert refused.status_code == 422
    listed = await client.get("/api/v1/me/saved-searches", headers=auth(app, user))
    assert [s["name"] for s in listed.json()] == ["交通街道 快递员"]
    assert (await client.get("/api/v1/me/saved-searches", headers=auth(app, other))).json() == []
    url = f"/api/v1/me/saved-searches/{created.json()['id']}"
    assert (await client.delete(url, headers=auth(app, other))).status_code == 404
    assert (await client.delete(url, headers=auth(app, user))).status_code == 204
    assert (await client.get("/api/v1/me/saved-searches", headers=auth(app, user))).json() == []
    for _ in range(10):
        await client.post("/api/v1/me/saved-searches", json=body, headers=auth(app, user))
    eleventh = await client.post("/api/v1/me/saved-searches", json=body, headers=auth(app, user))
    assert eleventh.status_code == 409 and eleventh.json()["code"] == "saved_search.limit"


async def test_one_digest_per_person_per_day_with_only_new_jobs(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession, task_runtime: TaskRuntime
) -> None:
    day = _day()
    seeker, picky = await make_user(session, app), await make_user(session, app)
    searches = {
        seeker: [{"occupation": "courier"}, {"area_code": "jiaotong"}],
        picky: [{"area_code": "mars-town"}],
    }
    with installed_clock(app, day + timedelta(hours=8)):
        for user, criteria in searches.items():
            for each in criteria:
                response = await client.post(
                    "/api/v1/me/saved-searches",
                    json={"name": "订阅", "criteria": each},
                    headers=auth(app, user),
                )
                assert response.status_code == 201, response.text
    employer = await make_employer(session, await make_user(session, app))
    await _job(session, employer, "旧岗位", day + timedelta(hours=7))
    await _job(session, employer, "快递员", day + timedelta(hours=8, minutes=30))
    await _job(session, employer, "理货员", day + timedelta(hours=8, minutes=40))

    await _digest(session, task_runtime, day + timedelta(hours=9))
    assert await told(session) == [
        Told(
            seeker.id,
            "saved_search_digest",
            "订阅岗位每日推荐",
            "您订阅的搜索有2个新岗位：「理货员」、「快递员」，快去看看吧。",
            "pages/jobs/saved-searches",
        )
    ]
    # a second run the same day tells no one again; the job it found waits for tomorrow
    await _job(session, employer, "装卸工", day + timedelta(hours=9, minutes=30))
    await _digest(session, task_runtime, day + timedelta(hours=10))
    assert len(await told(session)) == 1
    await _digest(session, task_runtime, day + timedelta(days=1, hours=9))
    rows = await told(session, "saved_search_digest")
    assert [r.body for r in rows][1:] == ["您订阅的搜索有1个新岗位：「装卸工」，快去看看吧。"]
    assert {r.user_id for r in rows} == {seeker.id}


async def test_saved_searches_are_exported_and_erased(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await make_user(session, app)
    body = {"name": "附近", "criteria": {"lat": 39.8, "lng": 109.9, "radius_km": 5}}
    created = await client.post("/api/v1/me/saved-searches", json=body, headers=auth(app, user))
    assert created.status_code == 201, created.text
    exported = await client.get("/api/v1/me/export", headers=auth(app, user))
    assert exported.status_code == 200, exported.text
    [kept] = exported.json()["saved_searches"]
    assert kept["criteria"] == {"lat": 39.8, "lng": 109.9, "radius_km": 5}
    erased = await client.request(
        "DELETE", "/api/v1/me", json={"confirm": True}, headers=auth(app, user)
    )
    assert erased.status_code in (200, 204), erased.text
    left = await session.scalar(
        select(func.count()).select_from(SavedSearch).where(SavedSearch.user_id == user.id)
    )
    assert left == 0
