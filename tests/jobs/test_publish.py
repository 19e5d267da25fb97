"""Posting, editing and closing jobs; the read model; idempotent creates; input checks."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.jobs.models import Job, JobTerm
from tests.employers.factories import job_payload, job_put_body, post_job, shanghai_today
from tests.jobs.conftest import Employers
from tests.support.factories import auth


async def test_a_member_of_a_verified_employer_publishes(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, session: AsyncSession
) -> None:
    job = await post_job(
        client,
        app,
        employers.owner_a,
        employers.employer_a.id,
        salary_unit="day",
        salary_min_fen=20_000,
        salary_max_fen=30_000,
    )
    assert job["status"] == "published"
    assert job["published_at"] is not None
    assert job["occupation_category"] == "courier_delivery"
    assert job["industry_code"] == employers.employer_a.industry_code  # defaulted
    assert job["monthly_salary_min_fen"] == 435_000  # 200 元/天 × 21.75
    assert job["monthly_salary_max_fen"] == 652_500
    assert job["moderation"]["outcome"] == "published"
    assert job["employer"]["is_verified"] is True
    terms = dict(
        (
            await session.execute(
                select(JobTerm.term, JobTerm.in_title).where(JobTerm.job_id == job["id"])
            )
        ).all()
    )
    assert terms["快递员"] is True

    public = await client.get(f"/api/v1/jobs/{job['id']}")
    assert public.status_code == 200
    assert public.json()["moderation"] is None
    assert public.json()["can_apply"] is True
    assert public.json()["employer"]["name"] == employers.employer_a.name


async def test_strangers_cannot_post_for_an_employer(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers
) -> None:
    response = await client.post(
        "/api/v1/jobs",
        json=job_payload(employers.employer_a.id),
        headers=auth(app, employers.seeker),
    )
    assert response.status_code == 404
    assert response.json()["code"] == "employer.not_found"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"salary_min_fen": 900_000, "salary_max_fen": 800_000}, "job.salary_range_invalid"),
        ({"job_type": "internship"}, "job.internship_fields_invalid"),
        (
            {"internship_months": 3, "internship_allowance_fen": 200_000},
            "job.internship_fields_invalid",
        ),
        ({"occupation_code": "astronaut"}, "job.occupation_unknown"),
        ({"industry_code": "piracy"}, "job.industry_unknown"),
        ({"area_code": "atlantis"}, "job.area_unknown"),
        ({"benefits": ["free_yacht"]}, "job.benefit_unknown"),
        ({"valid_until": "2000-01-01"}, "job.valid_until_invalid"),
    ],
)
async def test_inconsistent_postings_are_refused(
    client: httpx.AsyncClient,
    app: FastAPI,
    employers: Employers,
    session: AsyncSession,
    overrides: dict[str, object],
    code: str,
) -> None:
    response = await client.post(
        "/api/v1/jobs",
        json=job_payload(employers.employer_a.id, **overrides),
        headers=auth(app, employers.owner_a),
    )
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code
    assert await session.scalar(select(func.count()).select_from(Job)) == 0


async def test_an_internship_carries_months_and_allowance(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers
) -> None:
    job = await post_job(
        client,
        app,
        employers.owner_a,
        employers.employer_a.id,
        job_type="internship",
        internship_months=6,
        internship_allowance_fen=250_000,
    )
    assert (job["internship_months"], job["internship_allowance_fen"]) == (6, 250_000)


async def test_a_retried_create_makes_one_job(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, session: AsyncSession
) -> None:
    headers = {**auth(app, employers.owner_a), "Idempotency-Key": "job-create-0001"}
    payload = job_payload(employers.employer_a.id)
    first = await client.post("/api/v1/jobs", json=payload, headers=headers)
    second = await client.post("/api/v1/jobs", json=payload, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert await session.scalar(select(func.count()).select_from(Job)) == 1


async def test_edit_then_close(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers
) -> None:
    job = await post_job(client, app, employers.owner_a, employers.employer_a.id)
    headers = auth(app, employers.owner_a)
    url = f"/api/v1/jobs/{job['id']}"

    edited = await client.put(
        url, json=job_put_body(job, headcount=5, salary_max_fen=900_000), headers=headers
    )
    assert edited.status_code == 200, edited.text
    assert (edited.json()["headcount"], edited.json()["monthly_salary_max_fen"]) == (5, 900_000)
    assert edited.json()["published_at"] == job["published_at"]
    nulled = await client.put(url, json=job_put_body(job, title=None), headers=headers)
    assert nulled.status_code == 422
    partial = await client.put(url, json={"headcount": 6}, headers=headers)
    assert partial.status_code == 422  # PUT replaces the whole posting: every field is sent

    closed = await client.post(f"{url}/close", headers=headers)
    assert closed.json()["status"] == "closed"
    assert (await client.post(f"{url}/close", headers=headers)).status_code == 200
    too_late = await client.put(url, json=job_put_body(job, headcount=6), headers=headers)
    assert too_late.status_code == 409
    assert too_late.json()["code"] == "job.closed"
    assert (await client.get(url)).status_code == 404  # closed: members and staff only


async def test_valid_until_is_limited_to_half_a_year(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers
) -> None:
    far = (shanghai_today() + timedelta(days=181)).isoformat()
    response = await client.post(
        "/api/v1/jobs",
        json=job_payload(employers.employer_a.id, valid_until=far),
        headers=auth(app, employers.owner_a),
    )
    assert response.json()["code"] == "job.valid_until_invalid"
