"""Posting gigs: who may post, schedule in UTC, moderation, statuses, search near me."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.integrations.wechat.fake import FakeWeChatState
from tests.employers.factories import make_employer
from tests.gigs.helpers import (
    BASE_LAT,
    BASE_LNG,
    gig_body,
    make_poster,
    next_weekday,
    north_of_base,
    post_gig,
    today,
)
from tests.support.factories import auth, make_user


async def test_occurrences_are_stored_in_utc_from_shanghai_times(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    poster = await make_poster(session, app)
    saturday = next_weekday(6)
    sunday = saturday + timedelta(days=1)
    gig = await post_gig(
        client, app, poster, dates=[sunday.isoformat(), saturday.isoformat()], headcount=2
    )
    assert gig["status"] == "open"
    assert gig["dates"] == [saturday.isoformat(), sunday.isoformat()]
    first = gig["occurrences"][0]
    # 08:00–17:00 in Shanghai (UTC+8) is 00:00–09:00 UTC.
    assert datetime.fromisoformat(first["starts_at"]) == datetime(
        saturday.year, saturday.month, saturday.day, 0, 0, tzinfo=UTC
    )
    assert datetime.fromisoformat(first["ends_at"]).astimezone(UTC).hour == 9
    assert first["ends_at"].endswith("T17:00:00+08:00")  # answered in Beijing time
    assert gig["start_time"] == "08:00" and gig["end_time"] == "17:00"
    assert gig["pay_text"] == gig["salary_text"] == "250元/天"


async def test_night_shift_ends_next_morning(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    poster = await make_poster(session, app)
    gig = await post_gig(client, app, poster, start_time="22:00", end_time="06:00")
    occurrence = gig["occurrences"][0]
    length = datetime.fromisoformat(occurrence["ends_at"]) - datetime.fromisoformat(
        occurrence["starts_at"]
    )
    assert length == timedelta(hours=8)


async def test_only_real_name_people_or_verified_employers_post(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    anonymous = await make_user(session, app, phone="13700000010")
    response = await client.post("/api/v1/gigs", json=gig_body(), headers=auth(app, anonymous))
    assert response.status_code == 403 and response.json()["code"] == "gig.poster_not_allowed"

    owner = await make_user(session, app, phone="13700000011")
    pending = await make_employer(session, owner, status="pending")
    body = gig_body(employer_id=str(pending.id))
    response = await client.post("/api/v1/gigs", json=body, headers=auth(app, owner))
    assert response.status_code == 403 and response.json()["code"] == "gig.employer_not_verified"

    verified = await make_employer(session, owner)
    body = gig_body(employer_id=str(verified.id))
    response = await client.post("/api/v1/gigs", json=body, headers=auth(app, owner))
    assert response.status_code == 201 and response.json()["employer_id"] == str(verified.id)

    outsider = await make_poster(session, app)
    response = await client.post("/api/v1/gigs", json=body, headers=auth(app, outsider))
    assert response.status_code == 403


async def test_licensed_skills_always_require_a_certificate(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    poster = await make_poster(session, app)
    gig = await post_gig(
        client,
        app,
        poster,
        required_skills=[{"skill": "welding", "min_level": "intermediate"}],
    )
    requirement = gig["required_skills"][0]
    assert requirement["certificate_required"] is True
    assert requirement["certificates"][0]["code"] == "welding"


async def test_schedule_and_skills_are_validated(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    headers = auth(app, await make_poster(session, app))
    cases = {
        "gig.schedule_invalid": [
            gig_body(day=today() - timedelta(days=1)),
            gig_body(day=today() + timedelta(days=120)),
            gig_body(start_time="08:00", end_time="08:10"),
        ],
        "gig.skill_invalid": [
            gig_body(required_skills=[{"skill": "juggling"}]),
            gig_body(required_skills=[{"skill": "moving", "certificate_required": True}]),
        ],
        "validation_error": [
            gig_body(dates=[]),
            gig_body(headcount=0),
            gig_body(pay_unit="month"),
            gig_body(contact_phone="12345"),
            gig_body(start_time="08:00", end_time="08:00"),
        ],
    }
    for code, bodies in cases.items():
        for body in bodies:
            response = await client.post("/api/v1/gigs", json=body, headers=headers)
            assert response.status_code == 422, (code, body, response.text)
            if code != "validation_error":
                assert response.json()["code"] == code


async def test_discriminatory_text_is_refused_and_doubtful_text_is_held(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession, fake_wechat: FakeWeChatState
) -> None:
    poster = await make_poster(session, app)
    headers = auth(app, poster)
    refused = gig_body(description="仓库装卸，限男性，35岁以下，日结。")
    response = await client.post("/api/v1/gigs", json=refused, headers=headers)
    assert response.status_code == 422 and response.json()["code"] == "gig.content_refused"
    assert response.json()["details"]["findings"]

    word = next(iter(fake_wechat.review_words))
    held = gig_body(description=f"仓库装卸工作，日结工资。{word}")
    response = await client.post("/api/v1/gigs", json=held, headers=headers)
    assert response.status_code == 201
    gig = response.json()
    assert gig["status"] == "pending_review" and gig["moderation_notes"]
    # Held gigs are the poster's alone until staff approve them.
    stranger = auth(app, await make_user(session, app))
    assert (await client.get(f"/api/v1/gigs/{gig['id']}", headers=stranger)).status_code == 404


async def test_contact_phone_is_masked_until_the_viewer_applies(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    from tests.gigs.helpers import make_worker

    poster = await make_poster(session, app)
    gig = await post_gig(client, app, poster)
    assert gig["contact_phone"] == "13812345678" and gig["is_mine"]
    worker = await make_worker(session, app)
    seen = (await client.get(f"/api/v1/gigs/{gig['id']}", headers=auth(app, worker))).json()
    assert seen["contact_phone"] == "138****5678" and not seen["contact_revealed"]
    anonymous = (await client.get(f"/api/v1/gigs/{gig['id']}")).json()
    assert anonymous["contact_phone"] == "138****5678"
    applied = await client.post(
        f"/api/v1/gigs/{gig['id']}/applications", json={}, headers=auth(app, worker)
    )
    assert applied.status_code == 201
    seen = (await client.get(f"/api/v1/gigs/{gig['id']}", headers=auth(app, worker))).json()
    assert seen["contact_phone"] == "13812345678" and seen["my_application_status"] == "pending"


async def test_search_near_me_by_skill_date_and_pay_with_cursor(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    poster = await make_poster(session, app)
    saturday = next_weekday(6)
    near_lat, near_lng = north_of_base(1)
    far_lat, far_lng = north_of_base(6)
    near = await post_gig(client, app, poster, day=saturday, latitude=near_lat, longitude=near_lng)
    far = await post_gig(client, app, poster, day=saturday, latitude=far_lat, longitude=far_lng)
    cheap = await post_gig(client, app, poster, day=saturday, pay_fen=10000)
    other_skill = await post_gig(
        client, app, poster, day=saturday, required_skills=[{"skill": "home_cleaning"}]
    )
    other_day = await post_gig(client, app, poster, day=saturday + timedelta(days=1))
    params = {
        "lat": BASE_LAT,
        "lng": BASE_LNG,
        "radius_km": 5,
        "skill": "moving",
        "date": saturday.isoformat(),
        "min_daily_pay_fen": 20000,
    }
    found = (await client.get("/api/v1/gigs", params=params)).json()["items"]
    ids = [g["id"] for g in found]
    assert near["id"] in ids
    for excluded in (far, cheap, other_skill, other_day):
        assert excluded["id"] not in ids
    assert abs(found[ids.index(near["id"])]["distance_km"] - 1.0) < 0.05

    # Nearest first, and the cursor walks the list without repeats.
    params = {"lat": BASE_LAT, "lng": BASE_LNG, "radius_km": 10, "limit": 2}
    seen: list[str] = []
    distances: list[float] = []
    cursor = None
    while True:
        page = (
            await client.get(
                "/api/v1/gigs", params={**params, **({"cursor": cursor} if cursor else {})}
            )
        ).json()
        seen += [g["id"] for g in page["items"]]
        distances += [g["distance_km"] for g in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) >= 5
    assert distances == sorted(distances)

    bad = await client.get("/api/v1/gigs", params={**params, "cursor": "garbage!"})
    assert bad.status_code == 422
    half = await client.get("/api/v1/gigs", params={"lat": BASE_LAT})
    assert half.status_code == 422


async def test_poster_cancels_and_lists_own_gigs(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    poster = await make_poster(session, app)
    gig = await post_gig(client, app, poster)
    headers = auth(app, poster)
    mine = (await client.get("/api/v1/me/gigs", headers=headers)).json()["items"]
    assert [g["id"] for g in mine] == [gig["id"]]
    stranger = auth(app, await make_poster(session, app, "赵老板"))
    response = await client.post(
        f"/api/v1/gigs/{gig['id']}/cancel", json={"reason": "不需要了"}, headers=stranger
    )
    assert response.status_code == 404
    response = await client.post(
        f"/api/v1/gigs/{gig['id']}/cancel", json={"reason": "不需要了"}, headers=headers
    )
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert (await client.get(f"/api/v1/gigs/{gig['id']}")).status_code == 404
    again = await client.post(
        f"/api/v1/gigs/{gig['id']}/cancel", json={"reason": "不需要了"}, headers=headers
    )
    assert again.status_code == 409
