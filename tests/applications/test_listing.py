"""Cursor-paginated lists of applications, for the applicant and for the employer."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from tests.applications.helpers import World, apply, make_job, patch_status, put_resume
from tests.support.factories import auth, make_user


async def _all_pages(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], **params: Any
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get(url, params=query, headers=headers)).json()
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items


async def test_my_applications_page_through_without_duplicates(
    client: httpx.AsyncClient, app: FastAPI, world: World, session: AsyncSession
) -> None:
    jobs = [await make_job(session, world.employer_a, title=f"岗位{i}") for i in range(5)]
    await put_resume(client, app, world.seeker)
    applied = [(await apply(client, app, world.seeker, job.id)).json()["id"] for job in jobs]
    items = await _all_pages(client, "/api/v1/me/applications", auth(app, world.seeker))
    assert sorted(i["id"] for i in items) == sorted(applied)
    assert len(items) == 5
    # Newest first.
    assert [i["job"]["title"] for i in items] == [f"岗位{i}" for i in reversed(range(5))]
    assert all(i["status"] == "submitted" and i["job"]["is_open"] for i in items)


async def test_my_applications_filter_by_status(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    await put_resume(client, app, world.seeker)
    first = (await apply(client, app, world.seeker, world.job_a.id)).json()["id"]
    await apply(client, app, world.seeker, world.job_b.id)
    await patch_status(client, app, world.recruiter_a, first, "interview")
    page = await client.get(
        "/api/v1/me/applications", params={"status": "interview"}, headers=auth(app, world.seeker)
    )
    assert [i["id"] for i in page.json()["items"]] == [first]


async def test_the_employer_pages_through_a_jobs_applicants(
    client: httpx.AsyncClient, app: FastAPI, world: World, session: AsyncSession
) -> None:
    people = [await make_user(session, app, phone=f"1350000000{i}") for i in range(5)]
    for person in people:
        await put_resume(client, app, person)
        assert (await apply(client, app, person, world.job_a.id)).status_code == 201
    items = await _all_pages(
        client, f"/api/v1/jobs/{world.job_a.id}/applications", auth(app, world.recruiter_a)
    )
    assert sorted(i["applicant"]["user_id"] for i in items) == sorted(str(p.id) for p in people)
    assert {i["applicant"]["phone"] for i in items} == {f"1350000000{i}" for i in range(5)}


async def test_a_broken_cursor_is_a_clear_422(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    for cursor in ("not-a-cursor", "WzEsMl0"):  # garbage, and [1,2]
        response = await client.get(
            "/api/v1/me/applications", params={"cursor": cursor}, headers=auth(app, world.seeker)
        )
        assert response.status_code == 422
        assert response.json()["code"] == "pagination.cursor_invalid"
