"""The lean job search answers exactly like the documented route; its first-page cache.

Each search is asked twice: through the lean route, and with the lean route taken out of the
router so the documented FastAPI route answers; the bodies must be equal byte for byte, and every
request the lean path does not take (an error of any kind) falls through to the documented route.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.core.readcache import ResponseCache
from app.employers.models import Employer
from app.identity.models import User
from app.jobs.public_search import LeanSearchRoute
from tests.employers.factories import make_employer, post_job
from tests.jobs.conftest import Employers
from tests.support.factories import auth, make_user
from tests.support.readcache import live_cache, until

URL = "/api/v1/jobs"
CENTRE = (39.816, 109.987)  # 交通街道


@contextmanager
def _full_route_only(app: FastAPI) -> Iterator[None]:
    routes = app.router.routes
    index = next(i for i, route in enumerate(routes) if isinstance(route, LeanSearchRoute))
    lean = routes.pop(index)
    try:
        yield
    finally:
        routes.insert(index, lean)


async def _both(
    client: httpx.AsyncClient, app: FastAPI, params: Any, headers: dict[str, str] | None = None
) -> tuple[httpx.Response, httpx.Response]:
    lean = await client.get(URL, params=params, headers=headers)
    with _full_route_only(app):
        full = await client.get(URL, params=params, headers=headers)
    assert "etag" not in full.headers
    return lean, full


async def _post_jobs(client: httpx.AsyncClient, app: FastAPI, e: Employers) -> None:
    lat, lng = CENTRE
    jobs = [
        {"title": "急招货车司机", "occupation_code": "truck_driver"},
        {"title": "网约车司机", "occupation_code": "ride_hailing_driver", "job_type": "part_time"},
        {"title": "快递员", "salary_min_fen": 500_000, "salary_max_fen": 900_000},
        {"title": "仓库管理员", "occupation_code": "warehouse_keeper", "education": "associate"},
        {
            "title": "分拣员",
            "occupation_code": "parcel_sorter",
            "description": "在快递分拨中心分拣包裹，配合司机装车。",
        },
    ]
    for i, fields in enumerate(jobs * 3):
        owner, employer = (e.owner_a, e.employer_a) if i % 2 else (e.owner_b, e.employer_b)
        await post_job(
            client, app, owner, employer.id, latitude=lat + i * 0.003, longitude=lng, **fields
        )


SEARCHES: list[dict[str, Any]] = [
    {},
    {"q": "司机"},
    {"q": "快递 司机"},
    {"q": "司机", "job_type": "part_time"},
    {"q": "司机", "occupation": "truck_driver"},
    {"q": "快递员", "salary_min_fen": 600_000, "limit": 2},
    {"q": "仓库", "education": "bachelor"},
    {"q": "司机", "lat": CENTRE[0], "lng": CENTRE[1], "radius_km": 3},
    {"lat": CENTRE[0], "lng": CENTRE[1], "limit": 4},
    {"sort": "newest", "category": "road_transport", "limit": 3},
    {"sort": "salary", "open_to_graduates": "false", "posted_within_days": 7},
    {"q": "，。"},  # only punctuation: newest first
    {"q": "月嫂"},
]


@pytest.mark.parametrize("params", SEARCHES, ids=[str(p) for p in SEARCHES])
async def test_the_lean_search_is_byte_for_byte_the_full_one(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, params: dict[str, Any]
) -> None:
    await _post_jobs(client, app, employers)
    lean, full = await _both(client, app, params)
    assert lean.status_code == full.status_code == 200, lean.text
    assert "etag" in lean.headers  # the lean path answered
    assert lean.content == full.content
    assert lean.headers["content-type"] == full.headers["content-type"] == "application/json"

    # The next pages too, through the cursor each path returns.
    cursor = lean.json()["next_cursor"]
    while cursor:
        lean, full = await _both(client, app, {**params, "cursor": cursor})
        assert lean.status_code == full.status_code == 200
        assert lean.content == full.content
        cursor = lean.json()["next_cursor"]


async def test_a_token_changes_nothing(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers
) -> None:
    await _post_jobs(client, app, employers)
    headers = auth(app, employers.seeker)
    lean, full = await _both(client, app, {"q": "司机"}, headers)
    assert lean.content == full.content and "etag" in lean.headers


BAD: list[str] = [
    "limit=0",
    "limit=2&limit=3",
    "cursor=",
    "q=",
    "via=full",
    "sort=relevance",
    "sort=distance",
    "lat=39.8",
    "radius_km=3",
    "lat=39.8&lng=109.9&radius_km=60",
    "job_type=night",
    "q=%E5%8F%B8%E6%9C%BA%00",
    "q=" + "司" * 51,
    "sort=newest&cursor=WyJuZXdlc3QiXQ",
]


@pytest.mark.parametrize("query", BAD)
async def test_what_the_lean_path_does_not_take_the_documented_route_answers(
    client: httpx.AsyncClient, app: FastAPI, query: str
) -> None:
    lean = await client.get(f"{URL}?{query}")
    with _full_route_only(app):
        full = await client.get(f"{URL}?{query}")
    assert lean.status_code == full.status_code
    assert "etag" not in lean.headers
    lean_body, full_body = lean.json(), full.json()
    lean_body.pop("request_id", None)
    full_body.pop("request_id", None)
    assert lean_body == full_body


async def test_head_and_other_methods_are_not_lean(client: httpx.AsyncClient) -> None:
    head = await client.head(URL)
    assert "etag" not in head.headers


# --- the first-page cache (real commits) -------------------------------------------------


async def _live(app: FastAPI) -> ResponseCache:
    return await live_cache(app, "job_search_cache")


@pytest.fixture
async def poster(engine: AsyncEngine, app: FastAPI) -> tuple[User, Employer]:
    """An owner and a verified employer, committed."""
    async with AsyncSession(engine, expire_on_commit=False) as session:
        owner = await make_user(session, app, nickname="搜索缓存")
        employer = await make_employer(session, owner, name="示例搜索缓存物流有限公司")
        await session.commit()
    return owner, employer


async def _search_until_cached(
    client: httpx.AsyncClient, cache: ResponseCache, params: dict[str, Any]
) -> httpx.Response:
    """Search until the answer is stored: a notification of the test's own writes may still be
    on its way, and a read that overlaps an invalidation is (rightly) not kept."""
    deadline = time.monotonic() + 3
    while True:
        response = await client.get(URL, params=params)
        assert response.status_code == 200, response.text
        if len(cache) == 1:
            return response
        assert time.monotonic() < deadline, "never cached"
        await asyncio.sleep(0.02)


async def test_first_pages_are_cached_until_any_job_changes(
    committing_client: httpx.AsyncClient,
    app: FastAPI,
    engine: AsyncEngine,
    poster: tuple[User, Employer],
) -> None:
    client = committing_client
    owner, employer = poster
    first_job = await post_job(client, app, owner, employer.id, title="货车司机")
    cache = await _live(app)

    first = await _search_until_cached(client, cache, {"q": "司机"})
    assert [item["id"] for item in first.json()["items"]] == [first_job["id"]]
    again = await client.get(
        URL, params={"q": "司机"}, headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304 and again.headers["etag"] == first.headers["etag"]

    # A job posted through the API shows on the very next search (dropped at commit).
    second_job = await post_job(client, app, owner, employer.id, title="网约车司机")
    after = await client.get(URL, params={"q": "司机"})
    assert {item["id"] for item in after.json()["items"]} == {first_job["id"], second_job["id"]}
    assert after.headers["etag"] != first.headers["etag"]

    # A job closed by a script or another process: PostgreSQL's notification drops the pages.
    await _search_until_cached(client, cache, {"q": "司机"})
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE job SET status = 'closed' WHERE id = :id"), {"id": second_job["id"]}
        )
    await until(lambda: len(cache) == 0)
    closed = await _search_until_cached(client, cache, {"q": "司机"})
    assert [item["id"] for item in closed.json()["items"]] == [first_job["id"]]

    # An employer renamed elsewhere: its name is on every list row.
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE employer SET name = '示例新名物流有限公司' WHERE id = :id"),
            {"id": employer.id},
        )
    await until(lambda: len(cache) == 0)
    renamed = await client.get(URL, params={"q": "司机"})
    assert renamed.json()["items"][0]["employer_name"] == "示例新名物流有限公司"


async def test_a_job_inserted_elsewhere_arrives_by_notification(
    committing_client: httpx.AsyncClient,
    app: FastAPI,
    engine: AsyncEngine,
    poster: tuple[User, Employer],
) -> None:
    client = committing_client
    owner, employer = poster
    job = await post_job(client, app, owner, employer.id, title="货车司机")
    cache = await _live(app)
    await _search_until_cached(client, cache, {"sort": "newest"})
    async with engine.begin() as conn:  # another process's insert: no ORM event here
        await conn.execute(
            text(
                "INSERT INTO job SELECT (jsonb_populate_record(NULL::job, to_jsonb(j)"
                " || jsonb_build_object('id', gen_random_uuid()))).* FROM job j WHERE id = :id"
            ),
            {"id": job["id"]},
        )
    await until(lambda: len(cache) == 0)


async def test_later_pages_are_not_cached(
    committing_client: httpx.AsyncClient,
    app: FastAPI,
    engine: AsyncEngine,
    poster: tuple[User, Employer],
) -> None:
    client = committing_client
    owner, employer = poster
    for title in ("货车司机", "网约车司机", "叉车司机"):
        await post_job(client, app, owner, employer.id, title=title)
    cache = await _live(app)
    first = await _search_until_cached(client, cache, {"q": "司机", "limit": 1})
    second = await client.get(
        URL, params={"q": "司机", "limit": 1, "cursor": first.json()["next_cursor"]}
    )
    assert second.status_code == 200 and "etag" in second.headers
    assert len(cache) == 1
