"""Authorisation sits in the queries: a member of A cannot touch or peek at B's jobs."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from tests.employers.factories import add_recruiter, job_put_body, post_job
from tests.jobs.conftest import Employers
from tests.support.factories import auth, make_staff, make_user


async def _held_job_of_b(client: httpx.AsyncClient, app: FastAPI, e: Employers) -> str:
    job = await post_job(
        client, app, e.owner_b, e.employer_b.id, description="负责片区快递派送，入职交押金200元。"
    )
    assert job["status"] == "pending_review"
    return str(job["id"])


async def test_a_member_of_a_cannot_edit_or_close_bs_jobs(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers
) -> None:
    job_b = await post_job(client, app, employers.owner_b, employers.employer_b.id)
    headers = auth(app, employers.owner_a)

    edit = await client.put(
        f"/api/v1/jobs/{job_b['id']}", json=job_put_body(job_b, headcount=1), headers=headers
    )
    assert edit.status_code == 404
    assert edit.json()["code"] == "job.not_found"
    close = await client.post(f"/api/v1/jobs/{job_b['id']}/close", headers=headers)
    assert close.status_code == 404
    still = await client.get(f"/api/v1/jobs/{job_b['id']}")
    assert (still.json()["status"], still.json()["headcount"]) == ("published", 3)


async def test_unpublished_jobs_are_seen_by_their_employer_and_staff_only(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, session: AsyncSession
) -> None:
    held = await _held_job_of_b(client, app, employers)
    recruiter_b = await make_user(session, app)
    await add_recruiter(session, employers.employer_b, recruiter_b)
    station = await make_staff(session, roles=("station",))
    url = f"/api/v1/jobs/{held}"

    assert (await client.get(url)).status_code == 404
    assert (await client.get(url, headers=auth(app, employers.owner_a))).status_code == 404
    assert (await client.get(url, headers=auth(app, employers.seeker))).status_code == 404
    colleague = await client.get(url, headers=auth(app, recruiter_b))
    assert colleague.status_code == 200
    assert colleague.json()["moderation"]["findings"][0]["rule"] == "fraud.deposit"
    staff_view = await client.get(url, headers=auth(app, station))
    assert staff_view.status_code == 200


async def test_employer_job_lists_are_for_members(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers
) -> None:
    held = await _held_job_of_b(client, app, employers)
    url = f"/api/v1/employers/{employers.employer_b.id}/jobs"

    mine = await client.get(url, headers=auth(app, employers.owner_b))
    assert [item["id"] for item in mine.json()["items"]] == [held]
    assert (await client.get(url, headers=auth(app, employers.owner_a))).status_code == 404


async def test_a_removed_recruiter_loses_access(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, session: AsyncSession
) -> None:
    recruiter = await make_user(session, app)
    await add_recruiter(session, employers.employer_a, recruiter)
    job = await post_job(client, app, recruiter, employers.employer_a.id)
    removed = await client.delete(
        f"/api/v1/employers/{employers.employer_a.id}/members/{recruiter.id}",
        headers=auth(app, employers.owner_a),
    )
    assert removed.status_code == 204
    edit = await client.put(
        f"/api/v1/jobs/{job['id']}",
        json=job_put_body(job, headcount=1),
        headers=auth(app, recruiter),
    )
    assert edit.status_code == 404
