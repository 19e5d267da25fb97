"""GET/PUT /me/resume: one resume per person, replaced as a whole, validated."""

from __future__ import annotations

import asyncio
import copy
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.applications.models import Resume
from app.core.db import create_sessionmaker
from tests.applications.helpers import RESUME, put_resume
from tests.support.factories import auth, make_user


def _with(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(RESUME)
    body.update(changes)
    return body


async def test_resume_is_missing_until_saved_then_reads_back(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await make_user(session, app)
    missing = await client.get("/api/v1/me/resume", headers=auth(app, user))
    assert missing.status_code == 404
    assert missing.json()["code"] == "resume.not_found"

    saved = await put_resume(client, app, user)
    read = (await client.get("/api/v1/me/resume", headers=auth(app, user))).json()
    assert read == saved
    assert read["education"][0]["school"] == "内蒙古大学"
    assert read["expected_salary"] == {"min_fen": 500000, "max_fen": 800000, "unit": "month"}
    # Derived: the highest of bachelor and senior_high.
    assert read["highest_education"] == "bachelor"


async def test_put_replaces_the_whole_resume_and_keeps_one_row(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await make_user(session, app)
    await put_resume(client, app, user)
    replaced = await put_resume(
        client, app, user, {"skills": ["焊工"], "self_introduction": "换个介绍"}
    )
    assert replaced["skills"] == ["焊工"]
    assert replaced["education"] == []
    assert replaced["expected_salary"] is None
    assert replaced["highest_education"] is None
    count = await session.scalar(
        select(func.count()).select_from(Resume).where(Resume.user_id == user.id)
    )
    assert count == 1


async def test_resumes_are_per_person(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    alice = await make_user(session, app)
    bob = await make_user(session, app)
    await put_resume(client, app, alice)
    response = await client.get("/api/v1/me/resume", headers=auth(app, bob))
    assert response.status_code == 404


async def test_resume_needs_login(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/me/resume")).status_code == 401
    assert (await client.put("/api/v1/me/resume", json=RESUME)).status_code == 401


FUTURE = (date.today() + timedelta(days=40)).isoformat()

INVALID: dict[str, dict[str, Any]] = {
    "education dates reversed": _with(
        education=[
            {
                "school": "某大学",
                "degree": "bachelor",
                "start_date": "2022-09-01",
                "graduation_date": "2022-06-30",
            }
        ]
    ),
    "work ends before it starts": _with(
        work_history=[
            {
                "employer_name": "某公司",
                "title": "司机",
                "start_date": "2023-05-01",
                "end_date": "2023-04-30",
            }
        ]
    ),
    "work starts in the future": _with(
        work_history=[{"employer_name": "某公司", "title": "司机", "start_date": FUTURE}]
    ),
    "unknown degree": _with(
        education=[{"school": "某大学", "degree": "phd", "graduation_date": "2020-06-30"}]
    ),
    "too many education entries": _with(
        education=[{"school": "学校", "degree": "bachelor", "graduation_date": "2020-06-30"}] * 11
    ),
    "too many skills": _with(skills=[f"技能{i}" for i in range(31)]),
    "skill too long": _with(skills=["很" * 21]),
    "duplicate skills": _with(skills=["叉车", "叉车"]),
    "self introduction too long": _with(self_introduction="好" * 1001),
    "salary range reversed": _with(
        expected_salary={"min_fen": 800000, "max_fen": 500000, "unit": "month"}
    ),
    "negative salary": _with(expected_salary={"min_fen": -1, "max_fen": 5, "unit": "month"}),
    "unknown salary unit": _with(expected_salary={"min_fen": 1, "max_fen": 5, "unit": "year"}),
    "unknown occupation": _with(expected_occupation_codes=["astronaut"]),
    "unknown area": _with(expected_area_codes=["beijing"]),
    "too many occupations": _with(
        expected_occupation_codes=["courier", "food_delivery_rider", "a", "b", "c", "d"]
    ),
    "field not in the schema": _with(highest_education="doctorate"),
}


@pytest.mark.parametrize("body", INVALID.values(), ids=INVALID.keys())
async def test_invalid_resumes_are_refused_without_writing(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession, body: dict[str, Any]
) -> None:
    user = await make_user(session, app)
    response = await client.put("/api/v1/me/resume", json=body, headers=auth(app, user))
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "validation_error"
    assert response.json()["message"]
    missing = await client.get("/api/v1/me/resume", headers=auth(app, user))
    assert missing.status_code == 404


async def test_graduation_may_lie_ahead_for_students(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await make_user(session, app)
    body = _with(
        education=[
            {
                "school": "鄂尔多斯职业学院",
                "degree": "associate",
                "start_date": "2024-09-01",
                "graduation_date": FUTURE,
            }
        ]
    )
    saved = await put_resume(client, app, user, body)
    assert saved["highest_education"] == "associate"


async def test_concurrent_first_saves_make_one_resume(
    committing_client: httpx.AsyncClient, app: FastAPI, engine: AsyncEngine
) -> None:
    async with create_sessionmaker(engine)() as arrange:
        user = await make_user(arrange, app)
        await arrange.commit()
    bodies = [_with(skills=["叉车"]), _with(skills=["焊工"])]
    responses = await asyncio.gather(
        *(
            committing_client.put("/api/v1/me/resume", json=b, headers=auth(app, user))
            for b in bodies
        )
    )
    assert [r.status_code for r in responses] == [200, 200]
    async with create_sessionmaker(engine)() as check:
        rows = (await check.scalars(select(Resume).where(Resume.user_id == user.id))).all()
    assert len(rows) == 1
    assert rows[0].skills in (["叉车"], ["焊工"])
