"""The worker's gig profile: a bound phone first, the skill catalogue decides what is valid."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from tests.gigs.helpers import make_worker, profile_body
from tests.support.factories import auth, make_user


async def test_profile_needs_a_bound_phone(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await make_user(session, app)
    response = await client.put(
        "/api/v1/me/gig-profile", json=profile_body(), headers=auth(app, user)
    )
    assert response.status_code == 403
    assert response.json()["code"] == "identity.phone_required"
    assert "手机号" in response.json()["message"]


async def test_put_then_get_round_trips_with_names_and_record(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await make_user(session, app, phone="13700000001")
    headers = auth(app, user)
    assert (await client.get("/api/v1/me/gig-profile", headers=headers)).status_code == 404
    body = profile_body(
        skills=[{"code": "welding", "level": "senior", "certificates": ["welding"]}],
        availability=[{"weekday": 6, "start": "08:00", "end": "24:00"}],
        dates_off=["2000-01-01"],
    )
    put = await client.put("/api/v1/me/gig-profile", json=body, headers=headers)
    assert put.status_code == 200, put.text
    got = (await client.get("/api/v1/me/gig-profile", headers=headers)).json()
    assert got["skills"] == [
        {
            "code": "welding",
            "name": "电焊",
            "level": "senior",
            "level_name": "高级",
            "certificates": [{"code": "welding", "name": "熔化焊接与热切割作业证"}],
        }
    ]
    assert got["availability"] == [{"weekday": 6, "start": "08:00", "end": "24:00"}]
    assert got["dates_off"] == []  # past days off are dropped
    assert got["stats"]["completion_rate"] is None and got["stats"]["rating_count"] == 0
    me = (await client.get("/api/v1/me", headers=headers)).json()
    assert "gig_worker" in me["roles"]


async def test_put_replaces_the_profile(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await make_worker(session, app)
    headers = auth(app, user)
    body = profile_body(travel_radius_km=25, accepts_same_day=False)
    assert (
        await client.put("/api/v1/me/gig-profile", json=body, headers=headers)
    ).status_code == 200
    got = (await client.get("/api/v1/me/gig-profile", headers=headers)).json()
    assert got["travel_radius_km"] == 25 and got["accepts_same_day"] is False


async def test_unknown_skill_and_foreign_certificate_are_refused(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    headers = auth(app, await make_user(session, app, phone="13700000002"))
    unknown = profile_body(skills=[{"code": "juggling", "level": "junior"}])
    response = await client.put("/api/v1/me/gig-profile", json=unknown, headers=headers)
    assert response.status_code == 422 and response.json()["code"] == "gig.skill_invalid"
    foreign = profile_body(
        skills=[{"code": "moving", "level": "junior", "certificates": ["welding"]}]
    )
    response = await client.put("/api/v1/me/gig-profile", json=foreign, headers=headers)
    assert response.status_code == 422 and response.json()["code"] == "gig.skill_invalid"


async def test_bad_windows_pay_and_areas_are_refused(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    headers = auth(app, await make_user(session, app, phone="13700000003"))
    cases = [
        profile_body(availability=[{"weekday": 1, "start": "18:00", "end": "08:00"}]),
        profile_body(availability=[{"weekday": 8, "start": "08:00", "end": "18:00"}]),
        profile_body(availability=[{"weekday": 1, "start": "8:00", "end": "18:00"}]),
        profile_body(expected_pay_unit=None),
        profile_body(travel_radius_km=80),
        profile_body(skills=[]),
        profile_body(extra_field=1),
    ]
    for body in cases:
        response = await client.put("/api/v1/me/gig-profile", json=body, headers=headers)
        assert response.status_code == 422, body
        assert response.json()["message"]
    response = await client.put(
        "/api/v1/me/gig-profile", json=profile_body(area_code="nowhere"), headers=headers
    )
    assert response.status_code == 422 and response.json()["code"] == "gig.area_invalid"
