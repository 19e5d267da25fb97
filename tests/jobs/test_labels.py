"""Job responses carry the names and pay text beside their codes."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.employers.factories import post_job
from tests.jobs.conftest import Employers


async def test_job_detail_and_search_show_names_beside_codes(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers
) -> None:
    job = await post_job(client, app, employers.owner_a, employers.employer_a.id)
    assert job["occupation_name"] == "快递员"
    assert job["area_name"] == "交通街道"
    assert job["benefit_names"] == ["五险一金"]
    assert job["education_name"] == "不限"
    assert job["salary_text"] == "5000-8000元/月"
    assert job["industry_name"]
    assert job["employer"]["industry_name"] and job["employer"]["area_name"]
    hit = (await client.get("/api/v1/jobs")).json()["items"][0]
    assert (hit["occupation_name"], hit["salary_text"]) == ("快递员", "5000-8000元/月")
