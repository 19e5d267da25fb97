"""Search: Chinese keywords, filters, distance, sorting, keyset pagination, expiry."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.geo import destination_point, haversine_km
from app.jobs.models import Job
from tests.employers.factories import post_job, shanghai_today
from tests.jobs.conftest import Employers

URL = "/api/v1/jobs"
CENTRE = (39.816, 109.987)  # 交通街道


async def _ids(client: httpx.AsyncClient, **params: Any) -> list[str]:
    response = await client.get(URL, params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def _post(client: httpx.AsyncClient, app: FastAPI, e: Employers, **fields: Any) -> str:
    job = await post_job(client, app, e.owner_a, e.employer_a.id, **fields)
    return str(job["id"])


async def test_kuaidiyuan_finds_couriers_not_everything_about_parcels(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers
) -> None:
    courier = await _post(client, app, employers, title="快递员")
    sorter = await _post(
        client,
        app,
        employers,
        title="分拣员",
        occupation_code="parcel_sorter",
        description="在快递分拨中心分拣包裹，快递件量大，多劳多得。",
    )
    driver = await _post(
        client,
        app,
        employers,
        title="货车司机",
        occupation_code="truck_driver",
        description="驾驶厢式货车运输快递包裹，需持 C1 驾照。",
    )

    assert await _ids(client, q="快递员") == [courier]
    assert set(await _ids(client, q="快递")) == {courier, sorter, driver}
    assert await _ids(client, q="快递 司机") == [driver]  # every term must match
    assert await _ids(client, q="月嫂") == []


async def test_relevance_puts_title_matches_first(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers
) -> None:
    mention = await _post(
        client,
        app,
        employers,
        title="仓库管理员",
        occupation_code="warehouse_keeper",
        description="负责仓库进出库管理，配合快递员交接货物。",
    )
    title = await _post(client, app, employers, title="快递员")
    assert await _ids(client, q="快递员") == [title, mention]


async def test_filters(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, session: AsyncSession
) -> None:
    e = employers
    base = await _post(client, app, e)  # courier, full time, 5000-8000/month, jiaotong
    daily = await _post(
        client,
        app,
        e,
        job_type="part_time",
        salary_unit="day",
        salary_min_fen=30_000,
        salary_max_fen=50_000,
        open_to_graduates=False,
    )  # 300-500/day → 6525-10875/month
    bachelor = await _post(
        client,
        app,
        e,
        title="物流调度主管",
        occupation_code="logistics_dispatcher",
        education="bachelor",
        area_code="tianjiao",
        industry_code="modern_logistics",
        open_to_graduates=False,
    )
    other_employer = (await post_job(client, app, e.owner_b, e.employer_b.id))["id"]
    await session.execute(
        update(Job)
        .where(Job.id == uuid.UUID(bachelor))
        .values(published_at=datetime.now(UTC) - timedelta(days=10))
    )

    assert set(await _ids(client, job_type="part_time")) == {daily}
    assert set(await _ids(client, salary_min_fen=900_000)) == {daily}
    assert set(await _ids(client, area_code="tianjiao")) == {bachelor}
    assert bachelor not in await _ids(client, education="associate")
    assert bachelor in await _ids(client, education="master")
    assert set(await _ids(client, open_to_graduates="true")) == {base, other_employer}
    assert set(await _ids(client, employer_id=str(e.employer_b.id))) == {other_employer}
    assert bachelor not in await _ids(client, posted_within_days=7)
    assert set(await _ids(client, category="courier_delivery")) == {base, daily, other_employer}
    assert set(await _ids(client, occupation="logistics_dispatcher")) == {bachelor}


async def test_near_me_orders_by_distance_and_reports_it(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers
) -> None:
    placed = {}
    for km in (7.5, 0.4, 3.0, 12.0, 1.2):
        lat, lng = destination_point(*CENTRE, km, bearing_deg=km * 40)
        placed[await _post(client, app, employers, latitude=lat, longitude=lng)] = (lat, lng)

    response = await client.get(URL, params={"lat": CENTRE[0], "lng": CENTRE[1], "radius_km": 10})
    items = response.json()["items"]
    distances = [item["distance_km"] for item in items]
    assert distances == sorted(distances)
    assert len(items) == 4  # 12 km is outside the radius
    for item in items:
        expected = haversine_km(*CENTRE, *placed[item["id"]])
        assert item["distance_km"] == pytest.approx(expected, abs=1e-6)
    assert [round(d, 1) for d in distances] == [0.4, 1.2, 3.0, 7.5]
    no_place = (await client.get(URL)).json()["items"]
    assert all(item["distance_km"] is None for item in no_place)


async def test_salary_sort_compares_monthly_equivalents(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers
) -> None:
    monthly = await _post(client, app, employers, salary_min_fen=500_000, salary_max_fen=600_000)
    hourly = await _post(
        client, app, employers, salary_unit="hour", salary_min_fen=3_000, salary_max_fen=4_000
    )  # 40/hour × 174 = 6960/month
    assert await _ids(client, sort="salary") == [hourly, monthly]


async def _collect(client: httpx.AsyncClient, between: Any, **params: Any) -> list[dict[str, Any]]:
    """Walk every page, calling ``between()`` after each one."""
    seen: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        page = (await client.get(URL, params=query)).json()
        seen.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return seen
        await between()


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "newest", "limit": 3},
        {"sort": "distance", "lat": CENTRE[0], "lng": CENTRE[1], "radius_km": 30, "limit": 3},
        {"sort": "relevance", "q": "快递", "limit": 2},
        {"sort": "salary", "limit": 3},
    ],
)
async def test_pages_have_no_duplicates_or_gaps_while_jobs_are_posted(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, params: dict[str, Any]
) -> None:
    original = set()
    for i in range(8):
        lat, lng = destination_point(*CENTRE, 1 + i % 4, bearing_deg=45 * i)
        original.add(
            await _post(
                client,
                app,
                employers,
                latitude=lat,
                longitude=lng,
                salary_max_fen=800_000 + (i % 3) * 100_000,
                description=f"负责片区快递派送，第{i % 2}组。" + ("快递件多。" if i % 3 else ""),
            )
        )
    posted: list[str] = []

    async def post_more() -> None:
        for km in (0.2, 25.0):
            lat, lng = destination_point(*CENTRE, km, bearing_deg=90)
            posted.append(await _post(client, app, employers, latitude=lat, longitude=lng))

    seen = await _collect(client, post_more, **params)
    ids = [item["id"] for item in seen]
    assert len(ids) == len(set(ids)), "a job appeared twice"
    assert original <= set(ids), "a job that existed all along was skipped"
    assert set(ids) <= original | set(posted)


async def test_expired_and_closed_jobs_are_not_listed(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, session: AsyncSession
) -> None:
    live = await _post(client, app, employers)
    last_day_today = await _post(client, app, employers, valid_until=shanghai_today().isoformat())
    expired = await _post(client, app, employers)
    await session.execute(
        update(Job)
        .where(Job.id == uuid.UUID(expired))
        .values(valid_until=shanghai_today() - timedelta(days=1))
    )

    assert set(await _ids(client)) == {live, last_day_today}
    detail = (await client.get(f"{URL}/{expired}")).json()
    assert (detail["is_expired"], detail["can_apply"]) == (True, False)


async def test_bad_search_requests_are_4xx(client: httpx.AsyncClient) -> None:
    assert (await client.get(URL, params={"sort": "distance"})).status_code == 422
    assert (await client.get(URL, params={"sort": "relevance"})).status_code == 422
    assert (await client.get(URL, params={"lat": 39.8})).status_code == 422
    bad_cursor = await client.get(URL, params={"cursor": "not-a-cursor"})
    assert bad_cursor.status_code == 422
    assert bad_cursor.json()["code"] == "pagination.cursor_invalid"
    assert (
        await client.get(URL, params={"radius_km": 500, "lat": 39.8, "lng": 110})
    ).status_code == 422
    assert (await client.get(URL, params={"q": "的 了 ，"})).status_code == 200
    # A parameter of the search model given twice: which one was meant?
    twice = await client.get(f"{URL}?limit=2&limit=3")
    assert twice.status_code == 422
    assert twice.json()["details"][0]["type"] == "repeated_parameter"


async def test_nearest_first_pages_span_the_widening_circles(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers
) -> None:
    """A dense cluster answers the first page from the smallest circle; later pages widen."""
    for km in (0.05, 0.1, 0.15, 0.2, 0.25, 2.0, 4.5, 9.0):
        lat, lng = destination_point(*CENTRE, km, bearing_deg=km * 100)
        await _post(client, app, employers, latitude=lat, longitude=lng)
    seen = await _collect(client, _nothing, lat=CENTRE[0], lng=CENTRE[1], radius_km=10, limit=3)
    distances = [round(item["distance_km"], 2) for item in seen]
    assert distances == [0.05, 0.1, 0.15, 0.2, 0.25, 2.0, 4.5, 9.0]


async def _nothing() -> None:
    return None
