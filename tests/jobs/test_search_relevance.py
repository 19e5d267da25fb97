"""Relevance read from the postings: the right first page, postings kept in step, clean paging."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import system_clock
from app.core.geo import destination_point
from app.jobs import keyword, service
from app.jobs.models import Job, JobTerm
from tests.employers.factories import auth, job_put_body, post_job, shanghai_today
from tests.jobs.conftest import Employers

URL = "/api/v1/jobs"
CENTRE = (39.816, 109.987)
NOW = datetime.now(UTC).replace(microsecond=0)


async def _ids(client: httpx.AsyncClient, **params: Any) -> list[str]:
    response = await client.get(URL, params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def _post(client: httpx.AsyncClient, app: FastAPI, e: Employers, **fields: Any) -> str:
    return str((await post_job(client, app, e.owner_a, e.employer_a.id, **fields))["id"])


async def _published(session: AsyncSession, job_id: str, days_ago: float) -> None:
    """Backdate a job (the trigger moves its postings' scores with it)."""
    await session.execute(
        update(Job)
        .where(Job.id == uuid.UUID(job_id))
        .values(published_at=NOW - timedelta(days=days_ago))
    )


async def _postings(session: AsyncSession, job_id: str) -> int:
    stmt = select(func.count()).where(JobTerm.job_id == uuid.UUID(job_id))
    return int(await session.scalar(stmt) or 0)


async def test_title_beats_description_within_a_month_fresher_beats_older(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, session: AsyncSession
) -> None:
    e = employers
    title_2d = await _post(client, app, e, title="叉车司机")
    mention_new = await _post(client, app, e, description="仓库装卸，偶尔需要开叉车。")
    title_40d = await _post(client, app, e, title="叉车工")
    mention_20d = await _post(client, app, e, description="仓库理货，会开叉车者优先。")
    await _published(session, title_2d, 2)
    await _published(session, mention_new, 0)
    await _published(session, title_40d, 40)
    await _published(session, mention_20d, 20)
    # Scores (days): 30 − 2 = 28, 0, 30 − 40 = −10, −20.
    assert await _ids(client, q="叉车") == [title_2d, mention_new, title_40d, mention_20d]


async def test_more_terms_in_the_title_rank_higher(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, session: AsyncSession
) -> None:
    e = employers
    neither = await _post(client, app, e, description="叉车装卸，夜班为主。")
    both = await _post(client, app, e, title="夜班叉车司机")
    one = await _post(client, app, e, title="叉车司机", description="负责园区运输，需要上夜班。")
    only_one_term = await _post(client, app, e, title="叉车司机")
    for job_id in (neither, both, one, only_one_term):
        await _published(session, job_id, 1)
    assert await _ids(client, q="叉车 夜班") == [both, one, neither]
    assert await _ids(client, q="夜班 叉车") == [both, one, neither]


async def test_nearer_beats_farther_when_the_query_has_a_place(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, session: AsyncSession
) -> None:
    placed: dict[float, str] = {}
    for km in (8.0, 0.5, 3.0):
        lat, lng = destination_point(*CENTRE, km, bearing_deg=30)
        placed[km] = await _post(
            client, app, employers, title="叉车司机", latitude=lat, longitude=lng
        )
    lat, lng = destination_point(*CENTRE, 0.2, bearing_deg=30)
    mention_near = await _post(
        client,
        app,
        employers,
        description="仓库理货，会开叉车者优先。",
        latitude=lat,
        longitude=lng,
    )
    for job_id in [*placed.values(), mention_near]:
        await _published(session, job_id, 1)
    near = {"lat": CENTRE[0], "lng": CENTRE[1], "radius_km": 10}
    # A title match 8 km away (30 − 8) still beats a mention 200 m away (0 − 0.2).
    assert await _ids(client, q="叉车", **near) == [
        placed[0.5],
        placed[3.0],
        placed[8.0],
        mention_near,
    ]
    items = (await client.get(URL, params={"q": "叉车", **near})).json()["items"]
    assert [round(item["distance_km"], 1) for item in items] == [0.5, 3.0, 8.0, 0.2]


async def test_postings_follow_edits_closes_expiry_review_and_deletion(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, session: AsyncSession
) -> None:
    e = employers
    job = await post_job(client, app, e.owner_a, e.employer_a.id, title="叉车司机")
    job_id = job["id"]
    assert await _ids(client, q="叉车") == [job_id]

    body = job_put_body(job, title="夜班保安", occupation_code="security_guard")
    edited = await client.put(f"{URL}/{job_id}", json=body, headers=auth(app, e.owner_a))
    assert edited.status_code == 200, edited.text
    assert await _ids(client, q="叉车") == []
    assert await _ids(client, q="夜班") == [job_id]

    # A staff decision (or anything else) that unpublishes and republishes the row.
    await session.execute(
        update(Job).where(Job.id == uuid.UUID(job_id)).values(status="pending_review")
    )
    assert await _ids(client, q="夜班") == []
    await session.execute(update(Job).where(Job.id == uuid.UUID(job_id)).values(status="published"))
    assert await _ids(client, q="夜班") == [job_id]

    await session.execute(
        update(Job)
        .where(Job.id == uuid.UUID(job_id))
        .values(valid_until=shanghai_today() - timedelta(days=1))
    )
    assert await _ids(client, q="夜班") == []  # expired at midnight, before any worker ran
    assert await service.expire_jobs(session, system_clock) == 1
    assert await _postings(session, job_id) == 0  # closed jobs keep no postings

    other = await _post(client, app, e, title="夜班叉车司机")
    closed = await client.post(f"{URL}/{other}/close", headers=auth(app, e.owner_a))
    assert closed.status_code == 200
    assert await _postings(session, other) == 0
    assert await _ids(client, q="夜班") == []

    deleted = await _post(client, app, e, title="夜班叉车司机")
    assert await _postings(session, deleted) > 0
    await session.execute(delete(Job).where(Job.id == uuid.UUID(deleted)))
    assert await _postings(session, deleted) == 0


async def _walk(client: httpx.AsyncClient, **params: Any) -> list[str]:
    seen: list[str] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = await client.get(URL, params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        seen.extend(item["id"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return seen


@pytest.fixture
async def crowd(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, session: AsyncSession
) -> dict[str, list[str]]:
    """23 jobs: title and description matches, two terms or one, shared publication times
    (ties broken by id), spread over 0–12 km, two employers and two categories."""
    e = employers
    made: dict[str, list[str]] = {"all": [], "b": [], "guards": []}
    for i in range(23):
        lat, lng = destination_point(*CENTRE, (i * 7) % 13, bearing_deg=i * 37)
        fields: dict[str, Any] = {"latitude": lat, "longitude": lng}
        if i % 3 == 0:
            fields["title"] = "夜班叉车司机" if i % 2 else "叉车司机"
        else:
            fields["description"] = "仓库货物叉车装卸" + ("，需上夜班。" if i % 2 else "，白班。")
        if i % 4 == 0:
            fields.update(title=f"保安{'叉车' if i % 8 else ''}", occupation_code="security_guard")
        owner, employer = (e.owner_b, e.employer_b) if i % 5 == 0 else (e.owner_a, e.employer_a)
        job_id = str((await post_job(client, app, owner, employer.id, **fields))["id"])
        await _published(session, job_id, (i * 11) % 6)  # six distinct times, many ties
        made["all"].append(job_id)
        if i % 5 == 0:
            made["b"].append(job_id)
        if i % 4 == 0:
            made["guards"].append(job_id)
    return made


@pytest.mark.parametrize(
    "params",
    [
        {"q": "叉车"},
        {"q": "叉车 夜班"},
        {"q": "叉车", "lat": CENTRE[0], "lng": CENTRE[1], "radius_km": 10},
        {"q": "夜班 叉车", "lat": CENTRE[0], "lng": CENTRE[1], "radius_km": 12},
        {"q": "叉车", "category": "property_security"},
        {"q": "叉车", "job_type": "full_time", "lat": CENTRE[0], "lng": CENTRE[1]},
        {"q": "叉车", "employer_id": "b"},
    ],
)
@pytest.mark.parametrize("scan_cap", [keyword.SCAN_CAP, 2])
async def test_pages_neither_skip_nor_repeat_and_match_one_long_page(
    client: httpx.AsyncClient,
    crowd: dict[str, list[str]],
    employers: Employers,
    params: dict[str, Any],
    scan_cap: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(keyword, "SCAN_CAP", scan_cap)  # 2: the capped walk hands over
    if params.get("employer_id") == "b":
        params = {**params, "employer_id": str(employers.employer_b.id)}
    whole = await _ids(client, **params, limit=50)
    assert whole, "the case must match something"
    for limit in (1, 4):
        paged = await _walk(client, **params, limit=limit)
        assert paged == whole


async def test_category_filter_answers_the_same_jobs_as_without_postings(
    client: httpx.AsyncClient, crowd: dict[str, list[str]]
) -> None:
    guards = await _ids(client, q="叉车", category="property_security", limit=50)
    everything = await _ids(client, q="叉车", limit=50)
    assert guards == [job_id for job_id in everything if job_id in set(crowd["guards"])]
    assert guards


async def test_newest_with_a_keyword_uses_the_postings(
    client: httpx.AsyncClient, crowd: dict[str, list[str]]
) -> None:
    newest = await _walk(client, q="叉车 夜班", sort="newest", limit=4)
    relevance = await _ids(client, q="叉车 夜班", limit=50)
    assert sorted(newest) == sorted(relevance)


async def test_the_rarest_term_drives(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    frequencies = {"东胜": 0.9, "司机": 0.01}
    monkeypatch.setattr(keyword, "_stats", (time.monotonic(), frequencies))
    fetch: Any = None  # fresh statistics: no query is made
    # Outside the common values → rarer than any of them; then by frequency.
    assert await keyword.driver_first(fetch, ("东胜", "司机", "叉车")) == [
        "叉车",
        "司机",
        "东胜",
    ]


async def test_demo_jobs_get_postings_and_are_found(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    from app.demo.employers import seed_employers
    from app.demo.jobs import seed_jobs

    await seed_employers(session)
    created = await seed_jobs(session)
    assert created > 0
    with_postings = await session.scalar(select(func.count(func.distinct(JobTerm.job_id))))
    assert with_postings == created
    title = await session.scalar(select(Job.title).limit(1))
    assert title
    assert await _ids(client, q=title)
