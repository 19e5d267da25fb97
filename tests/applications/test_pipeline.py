"""The status pipeline: rules, history rows, hires recorded as employment events."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.applications.errors import IllegalTransition
from app.applications.models import EmploymentEvent
from app.applications.pipeline import check_transition
from app.core.db import create_sessionmaker
from tests.applications.helpers import (
    World,
    add_member,
    apply,
    build_world,
    patch_status,
    put_resume,
)
from tests.support.factories import auth

HIRE: dict[str, Any] = {
    "employment": {
        "start_date": date.today().isoformat(),
        "contract_type": "fixed_term",
        "contract_months": 36,
        "is_first_contract": True,
    }
}

ALLOWED = [
    ("submitted", "viewed", "employer"),
    ("submitted", "interview", "employer"),
    ("viewed", "interview", "employer"),
    ("interview", "offered", "employer"),
    ("offered", "hired", "employer"),
    ("interview", "hired", "employer"),
    ("submitted", "rejected", "employer"),
    ("offered", "rejected", "employer"),
    ("submitted", "withdrawn", "applicant"),
    ("offered", "withdrawn", "applicant"),
]

REFUSED = [
    ("viewed", "submitted", "employer", "backwards"),
    ("offered", "interview", "employer", "backwards"),
    ("interview", "viewed", "employer", "backwards"),
    ("viewed", "viewed", "employer", "unchanged"),
    ("submitted", "withdrawn", "employer", "applicant_only"),
    ("submitted", "viewed", "applicant", "employer_only"),
    ("hired", "rejected", "employer", "final"),
    ("hired", "withdrawn", "applicant", "final"),
    ("rejected", "interview", "employer", "final"),
    ("withdrawn", "viewed", "employer", "final"),
]


@pytest.mark.parametrize(("current", "target", "actor"), ALLOWED)
def test_allowed_moves(current: str, target: str, actor: Any) -> None:
    check_transition(current, target, actor)


@pytest.mark.parametrize(("current", "target", "actor", "reason"), REFUSED)
def test_refused_moves(current: str, target: str, actor: Any, reason: str) -> None:
    with pytest.raises(IllegalTransition) as raised:
        check_transition(current, target, actor)
    assert raised.value.details == {"from": current, "to": target, "reason": reason}


async def _applied(client: httpx.AsyncClient, app: FastAPI, world: World) -> str:
    await put_resume(client, app, world.seeker)
    response = await apply(client, app, world.seeker, world.job_a.id)
    assert response.status_code == 201
    return str(response.json()["id"])


async def test_the_full_pipeline_keeps_every_step_in_the_history(
    client: httpx.AsyncClient, app: FastAPI, world: World, session: AsyncSession
) -> None:
    application_id = await _applied(client, app, world)
    for status in ("viewed", "interview", "offered"):
        response = await patch_status(
            client, app, world.recruiter_a, application_id, status, note=f"备注{status}"
        )
        assert response.status_code == 200, response.text
        assert response.json()["status"] == status
        assert response.json()["viewer_role"] == "employer"
    hired = await patch_status(client, app, world.recruiter_a, application_id, "hired", **HIRE)
    assert hired.status_code == 200, hired.text
    assert hired.json()["employment"]["contract_months"] == 36

    # Both sides read the same history: who, from, to, note, when.
    for reader in (world.seeker, world.recruiter_a):
        detail = await client.get(
            f"/api/v1/applications/{application_id}", headers=auth(app, reader)
        )
        history = detail.json()["history"]
        assert [(h["from_status"], h["to_status"]) for h in history] == [
            (None, "submitted"),
            ("submitted", "viewed"),
            ("viewed", "interview"),
            ("interview", "offered"),
            ("offered", "hired"),
        ]
        assert [h["actor_user_id"] for h in history[1:]] == [str(world.recruiter_a.id)] * 4
        assert {h["actor_role"] for h in history[1:]} == {"employer"}
        assert history[1]["note"] == "备注viewed"
        assert all(h["created_at"] for h in history)


async def test_a_hire_records_an_employment_event(
    client: httpx.AsyncClient, app: FastAPI, world: World, session: AsyncSession
) -> None:
    application_id = await _applied(client, app, world)
    await patch_status(client, app, world.recruiter_a, application_id, "hired", **HIRE)
    event = (await session.scalars(select(EmploymentEvent))).one()
    assert (event.user_id, event.employer_id, event.job_id) == (
        world.seeker.id,
        world.employer_a.id,
        world.job_a.id,
    )
    assert str(event.application_id) == application_id
    assert (event.contract_type, event.contract_months, event.is_first_contract) == (
        "fixed_term",
        36,
        True,
    )
    assert event.recorded_by == world.recruiter_a.id

    mine = await client.get("/api/v1/me/employment-events", headers=auth(app, world.seeker))
    assert mine.status_code == 200
    [item] = mine.json()["items"]
    assert item["employer_name"] == "示例甲公司"
    assert item["job_title"] == "快递员"
    assert item["contract_type"] == "fixed_term"
    others = await client.get("/api/v1/me/employment-events", headers=auth(app, world.other_seeker))
    assert others.json()["items"] == []


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"employment": {"start_date": date.today().isoformat(), "contract_type": "fixed_term"}},
        {
            "employment": {
                "start_date": date.today().isoformat(),
                "contract_type": "open_ended",
                "contract_months": 12,
            }
        },
        {"employment": {"start_date": "2001-01-01", "contract_type": "open_ended"}},
        {"employment": {"start_date": date.today().isoformat(), "contract_type": "gig"}},
    ],
    ids=["no employment", "fixed term without months", "open ended with months", "old", "type"],
)
async def test_a_hire_needs_valid_employment_details(
    client: httpx.AsyncClient,
    app: FastAPI,
    world: World,
    session: AsyncSession,
    body: dict[str, Any],
) -> None:
    application_id = await _applied(client, app, world)
    response = await patch_status(client, app, world.recruiter_a, application_id, "hired", **body)
    assert response.status_code == 422, response.text
    assert await session.scalar(select(func.count()).select_from(EmploymentEvent)) == 0


async def test_employment_details_only_with_a_hire(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    application_id = await _applied(client, app, world)
    response = await patch_status(client, app, world.recruiter_a, application_id, "viewed", **HIRE)
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("path", "target", "reason"),
    [
        (["interview"], "viewed", "backwards"),
        (["viewed"], "submitted", "backwards"),
        (["rejected"], "interview", "final"),
        ([], "withdrawn", "applicant_only"),
        (["viewed"], "viewed", "unchanged"),
    ],
)
async def test_illegal_transitions_are_refused_with_from_and_to(
    client: httpx.AsyncClient,
    app: FastAPI,
    world: World,
    path: list[str],
    target: str,
    reason: str,
) -> None:
    application_id = await _applied(client, app, world)
    for status in path:
        assert (
            await patch_status(client, app, world.recruiter_a, application_id, status)
        ).is_success
    response = await patch_status(client, app, world.recruiter_a, application_id, target)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "application.illegal_transition"
    assert body["details"] == {
        "from": path[-1] if path else "submitted",
        "to": target,
        "reason": reason,
    }
    detail = await client.get(
        f"/api/v1/applications/{application_id}", headers=auth(app, world.seeker)
    )
    assert len(detail.json()["history"]) == 1 + len(path)


async def test_the_applicant_cannot_withdraw_after_a_hire(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    application_id = await _applied(client, app, world)
    await patch_status(client, app, world.recruiter_a, application_id, "hired", **HIRE)
    response = await client.post(
        f"/api/v1/applications/{application_id}/withdraw", headers=auth(app, world.seeker)
    )
    assert response.status_code == 409
    assert response.json()["details"]["from"] == "hired"


async def test_the_employer_cannot_move_a_withdrawn_application(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    application_id = await _applied(client, app, world)
    await client.post(
        f"/api/v1/applications/{application_id}/withdraw", headers=auth(app, world.seeker)
    )
    response = await patch_status(client, app, world.recruiter_a, application_id, "viewed")
    assert response.status_code == 409
    assert response.json()["details"] == {"from": "withdrawn", "to": "viewed", "reason": "final"}


async def test_the_applicant_cannot_patch_their_own_status(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    application_id = await _applied(client, app, world)
    response = await patch_status(client, app, world.seeker, application_id, "hired", **HIRE)
    assert response.status_code == 404


async def test_two_recruiters_hiring_at_once_record_one_employment_event(
    committing_client: httpx.AsyncClient, app: FastAPI, engine: AsyncEngine
) -> None:
    maker = create_sessionmaker(engine)
    async with maker() as arrange:
        world = await build_world(arrange, app)
        await arrange.commit()
    application_id = await _applied(committing_client, app, world)
    # A second member of employer A taps "hired" at the same moment.
    async with maker() as arrange:
        await add_member(arrange, world.employer_a, world.recruiter_b)
        await arrange.commit()
    responses = await asyncio.gather(
        patch_status(committing_client, app, world.recruiter_a, application_id, "hired", **HIRE),
        patch_status(committing_client, app, world.recruiter_b, application_id, "hired", **HIRE),
    )
    assert sorted(r.status_code for r in responses) == [200, 409]
    async with maker() as check:
        events = await check.scalar(select(func.count()).select_from(EmploymentEvent))
    assert events == 1
