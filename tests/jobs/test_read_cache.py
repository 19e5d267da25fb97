"""The job detail cache: served from memory, dropped at once on a change, across processes too.

Real commits (the cache holds committed data only); every table is truncated afterwards.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.core.config import Settings
from app.core.readcache import ResponseCache
from app.employers.models import Employer
from app.identity.models import User
from app.jobs import public_read
from app.main import create_app, start_resources, stop_resources
from tests.employers.factories import job_put_body, make_employer, post_job
from tests.support.factories import auth, make_user
from tests.support.probe_app import running
from tests.support.readcache import live_cache, until


async def _live(app: FastAPI) -> ResponseCache:
    return await live_cache(app, "job_detail_cache")


async def _owner_and_employer(engine: AsyncEngine, app: FastAPI) -> tuple[User, Employer]:
    async with AsyncSession(engine, expire_on_commit=False) as session:
        owner = await make_user(session, app, nickname="缓存测试")
        employer = await make_employer(session, owner, name="示例缓存物流有限公司")
        await session.commit()
    return owner, employer


@pytest.fixture
async def posted(
    committing_client: httpx.AsyncClient, app: FastAPI, engine: AsyncEngine
) -> tuple[User, Employer, dict[str, Any]]:
    owner, employer = await _owner_and_employer(engine, app)
    job = await post_job(committing_client, app, owner, employer.id)
    return owner, employer, job


async def test_a_detail_is_served_from_the_cache_until_it_changes(
    committing_client: httpx.AsyncClient,
    app: FastAPI,
    posted: tuple[User, Employer, dict[str, Any]],
) -> None:
    client = committing_client
    owner, _, job = posted
    cache = await _live(app)
    path = f"/api/v1/jobs/{job['id']}"
    first = await client.get(path)
    assert first.status_code == 200
    assert cache.get(uuid.UUID(job["id"]), _valid_for_now(app)) is not None
    assert (await client.get(path)).content == first.content  # a hit

    # An edit is visible on the very next read (dropped at commit, before the PUT answered).
    edited = await client.put(
        path, json=job_put_body(first.json(), title="急招快递员（新）"), headers=auth(app, owner)
    )
    assert edited.status_code == 200, edited.text
    after_edit = await client.get(path)
    assert after_edit.json()["title"] == "急招快递员（新）"
    assert after_edit.headers["etag"] != first.headers["etag"]

    # Closing: the next anonymous read is a 404.
    closed = await client.post(f"{path}/close", headers=auth(app, owner))
    assert closed.status_code == 200
    assert (await client.get(path)).status_code == 404


async def test_a_commit_drops_the_entry_at_once_though_another_app_shares_the_engine(
    committing_client: httpx.AsyncClient,
    app: FastAPI,
    engine: AsyncEngine,
    settings: Settings,
    posted: tuple[User, Employer, dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A second app started and stopped on the same engine (as some tests do) must not take
    the first app's place: the local drop at commit, not the notification, keeps the edit
    visible on the very next read."""
    other = create_app(settings)
    await start_resources(other, engine)
    await stop_resources(other)
    client = committing_client
    owner, _, job = posted
    cache = await _live(app)
    listener = app.state.read_cache_listener
    ignore = {"job": lambda _: None, "employer": lambda _: None}  # notifications drop nothing
    monkeypatch.setattr(listener, "handlers", ignore)
    path = f"/api/v1/jobs/{job['id']}"
    first = await client.get(path)
    assert cache.get(uuid.UUID(job["id"]), _valid_for_now(app)) is not None

    edited = await client.put(
        path, json=job_put_body(first.json(), title="急招快递员（改）"), headers=auth(app, owner)
    )
    assert edited.status_code == 200, edited.text
    assert cache.get(uuid.UUID(job["id"]), _valid_for_now(app)) is None
    assert (await client.get(path)).json()["title"] == "急招快递员（改）"


async def test_a_members_view_is_never_shared(
    committing_client: httpx.AsyncClient,
    app: FastAPI,
    engine: AsyncEngine,
    posted: tuple[User, Employer, dict[str, Any]],
) -> None:
    client = committing_client
    owner, _, job = posted
    cache = await _live(app)
    path = f"/api/v1/jobs/{job['id']}"
    mine = await client.get(path, headers=auth(app, owner))
    assert mine.json()["moderation"] is not None
    assert mine.headers["cache-control"] == "private, no-cache"
    assert cache.get(uuid.UUID(job["id"]), _valid_for_now(app)) is None  # not stored

    async with AsyncSession(engine, expire_on_commit=False) as session:
        stranger = await make_user(session, app)
        await session.commit()
    theirs = await client.get(path, headers=auth(app, stranger))  # stores the public view
    assert theirs.json()["moderation"] is None
    anonymous = await client.get(path)
    assert anonymous.content == theirs.content and anonymous.json()["moderation"] is None
    assert (await client.get(path, headers=auth(app, owner))).json()["moderation"] is not None


async def test_changes_made_outside_the_orm_arrive_by_notification(
    committing_client: httpx.AsyncClient,
    app: FastAPI,
    engine: AsyncEngine,
    posted: tuple[User, Employer, dict[str, Any]],
) -> None:
    client = committing_client
    _, employer, job = posted
    cache = await _live(app)
    job_id = uuid.UUID(job["id"])
    path = f"/api/v1/jobs/{job_id}"
    assert (await client.get(path)).json()["employer"]["name"] == "示例缓存物流有限公司"

    async with engine.begin() as conn:  # a script, another service: no ORM event here
        await conn.execute(
            text("UPDATE employer SET name = '示例新名物流有限公司' WHERE id = :id"),
            {"id": employer.id},
        )
    await until(lambda: cache.get(job_id, _valid_for_now(app)) is None)
    assert (await client.get(path)).json()["employer"]["name"] == "示例新名物流有限公司"

    async with engine.begin() as conn:
        await conn.execute(text("UPDATE job SET headcount = 7 WHERE id = :id"), {"id": job_id})
    await until(lambda: cache.get(job_id, _valid_for_now(app)) is None)
    assert (await client.get(path)).json()["headcount"] == 7


async def test_two_processes_each_drop_what_the_other_changed(
    committing_client: httpx.AsyncClient,
    app: FastAPI,
    settings: Settings,
    posted: tuple[User, Employer, dict[str, Any]],
) -> None:
    """Two app instances with their own engines and listeners on one database."""
    owner, _, job = posted
    job_id = uuid.UUID(job["id"])
    path = f"/api/v1/jobs/{job_id}"
    assert settings.database.url
    async with running(settings, settings.database.url) as (other_app, other):
        other_cache = await _live(other_app)
        await _live(app)
        seen = (await other.get(path)).json()
        assert other_cache.get(job_id, _valid_for_now(other_app)) is not None

        edited = await committing_client.put(
            path, json=job_put_body(seen, headcount=42), headers=auth(app, owner)
        )
        assert edited.status_code == 200
        await until(lambda: other_cache.get(job_id, _valid_for_now(other_app)) is None)
        assert (await other.get(path)).json()["headcount"] == 42

        closed = await committing_client.post(f"{path}/close", headers=auth(app, owner))
        assert closed.status_code == 200
        await until(lambda: other_cache.get(job_id, _valid_for_now(other_app)) is None)
        assert (await other.get(path)).status_code == 404


async def test_a_lost_listener_turns_the_cache_off_until_it_is_back(
    committing_client: httpx.AsyncClient,
    app: FastAPI,
    engine: AsyncEngine,
    posted: tuple[User, Employer, dict[str, Any]],
) -> None:
    _, _, job = posted
    cache = await _live(app)
    job_id = uuid.UUID(job["id"])
    await committing_client.get(f"/api/v1/jobs/{job_id}")
    assert len(cache) >= 1

    async with engine.begin() as conn:
        await conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'dongsheng-jobs-cache' AND datname = current_database()"
            )
        )
    await until(lambda: not cache.live)
    assert len(cache) == 0 and cache.get(job_id, _valid_for_now(app)) is None
    # Served from the database meanwhile; live again once the listener has reconnected.
    assert (await committing_client.get(f"/api/v1/jobs/{job_id}")).status_code == 200
    await until(lambda: cache.live, seconds=10)


def _valid_for_now(app: FastAPI) -> Any:
    from app.core.clock import local_date, system_clock

    now = system_clock()
    return (local_date(now), app.state.file_link_signer.expiry(now))


def test_a_read_that_raced_an_invalidation_is_not_stored() -> None:
    cache = ResponseCache(ttl_seconds=60, max_entries=10)
    cache.live = True
    before = cache.generation
    cache.invalidate("job-1")  # a change committed while the read was running
    cache.put("job-1", b"{}", generation=before)
    assert cache.get("job-1", None) is None
    cache.put("job-1", b"{}", generation=cache.generation)
    assert cache.get("job-1", None) is not None


def test_the_cache_is_bounded_and_expires() -> None:
    cache = ResponseCache(ttl_seconds=0.0, max_entries=2)
    cache.live = True
    for key in ("a", "b", "c"):
        cache.put(key, b"{}", generation=cache.generation)
    assert len(cache) == 2
    assert cache.get("b", None) is None  # TTL 0: expired at once


def test_the_lean_routes_are_first() -> None:
    from app.gigs.lean_matches import LeanMatchRoute
    from app.identity.lean_login import LeanLoginRoute
    from app.jobs.public_search import LeanSearchRoute
    from app.main import create_app

    routes = create_app().router.routes
    lean = {public_read.LeanDetailRoute, LeanSearchRoute, LeanMatchRoute, LeanLoginRoute}
    assert {type(route) for route in routes[:5]} == lean
    assert isinstance(routes[0], public_read.LeanDetailRoute)  # the hottest path first
