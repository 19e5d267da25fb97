"""Ranked matching on hand-made cases: who is left out, who ranks first, and why (in Chinese)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.identity.models import User
from tests.gigs.helpers import (
    make_poster,
    make_worker,
    next_weekday,
    north_of_base,
    post_gig,
)
from tests.support.factories import auth

WELDER = [{"code": "welding", "level": "senior", "certificates": ["welding"]}]
SATURDAY_ONLY = [{"weekday": 6, "start": "06:00", "end": "22:00"}]


def at(km: float) -> dict[str, float]:
    lat, lng = north_of_base(km)
    return {"home_lat": lat, "home_lng": lng}


async def _welder(session: AsyncSession, app: FastAPI, name: str, km: float, **kw: Any) -> User:
    profile: dict[str, Any] = {"skills": WELDER, "availability": SATURDAY_ONLY, **at(km)}
    profile.update(kw)
    return await make_worker(session, app, name, **profile)


async def _matches(
    client: httpx.AsyncClient, app: FastAPI, poster: User, gig_id: str, **params: Any
) -> dict[str, Any]:
    response = await client.get(
        f"/api/v1/gigs/{gig_id}/matches", params=params, headers=auth(app, poster)
    )
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


async def test_ranking_exclusions_and_reasons(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    saturday = next_weekday(6)
    poster = await make_poster(session, app)
    gig = await post_gig(
        client,
        app,
        poster,
        day=saturday,
        title="钢结构焊接 2 人",
        description="厂房钢结构焊接，需持证上岗，当天结算。",
        required_skills=[{"skill": "welding", "min_level": "intermediate"}],
    )
    best = await _welder(session, app, "张一", 1.0)
    farther = await _welder(session, app, "张二", 4.0)
    junior = await _welder(
        session,
        app,
        "张三",
        1.0,
        skills=[{"code": "welding", "level": "junior", "certificates": ["welding"]}],
    )
    excluded = {
        "no skill": await make_worker(session, app, "王一", availability=SATURDAY_ONLY, **at(0.5)),
        "no certificate": await _welder(
            session,
            app,
            "王二",
            0.5,
            skills=[{"code": "welding", "level": "senior", "certificates": []}],
        ),
        "weekdays only": await _welder(
            session,
            app,
            "王三",
            0.5,
            availability=[{"weekday": d, "start": "06:00", "end": "22:00"} for d in range(1, 6)],
        ),
        "mornings only": await _welder(
            session,
            app,
            "王四",
            0.5,
            availability=[{"weekday": 6, "start": "08:00", "end": "12:00"}],
        ),
        "day off": await _welder(session, app, "王五", 0.5, dates_off=[saturday.isoformat()]),
        "outside radius": await _welder(session, app, "王六", 8.0, travel_radius_km=5),
        "already booked": await _welder(session, app, "王七", 0.5),
    }
    # 王七 is booked elsewhere on Saturday 10:00–14:00, overlapping 08:00–17:00.
    other_poster = await make_poster(session, app, "赵老板")
    other = await post_gig(
        client,
        app,
        other_poster,
        day=saturday,
        start_time="10:00",
        end_time="14:00",
        required_skills=[],
    )
    booked = excluded["already booked"]
    application = await client.post(
        f"/api/v1/gigs/{other['id']}/applications", json={}, headers=auth(app, booked)
    )
    accepted = await client.post(
        f"/api/v1/gig-applications/{application.json()['id']}/accept",
        headers=auth(app, other_poster),
    )
    assert accepted.status_code == 200, accepted.text
    await session.execute(
        text(
            "UPDATE gig_worker_profile SET completed_count = 24, cancelled_count = 1 "
            "WHERE user_id = :id"
        ),
        {"id": best.id},
    )

    page = await _matches(client, app, poster, gig["id"])
    ranked = [m["worker_id"] for m in page["items"]]
    assert ranked == [str(best.id), str(farther.id), str(junior.id)]
    scores = [m["score"] for m in page["items"]]
    assert scores == sorted(scores, reverse=True)
    for reason, worker in excluded.items():
        assert str(worker.id) not in ranked, reason

    top = page["items"][0]
    assert top["reasons"][:2] == ["持焊工证", "电焊·高级"]
    assert "距离 1.0 公里" in top["reasons"]
    assert "周六全天有空" in top["reasons"]
    assert "完成率 96%" in top["reasons"]
    assert top["reason_text"].startswith(
        "持焊工证；电焊·高级；距离 1.0 公里；周六全天有空；完成率 96%"
    )
    assert "电焊·初级（要求中级）" in page["items"][2]["reasons"]
    assert "新人，暂无完成记录" in page["items"][1]["reasons"]
    assert set(top["components"]) == {"skill", "distance", "reliability", "rating", "pay"}


async def test_contact_is_masked_until_the_worker_applies(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    poster = await make_poster(session, app)
    gig = await post_gig(client, app, poster)
    worker = await make_worker(session, app, "陈大勇")
    item = (await _matches(client, app, poster, gig["id"]))["items"][0]
    assert item["worker_id"] == str(worker.id)
    assert item["name"] == "陈**" and "****" in item["phone"]
    assert item["contact_revealed"] is False and item["application"] is None

    applied = await client.post(
        f"/api/v1/gigs/{gig['id']}/applications", json={}, headers=auth(app, worker)
    )
    assert applied.status_code == 201
    item = (await _matches(client, app, poster, gig["id"]))["items"][0]
    assert item["name"] == "陈大勇" and "*" not in item["phone"]
    assert item["application"]["status"] == "pending"


async def test_invited_worker_stays_masked_until_accepting(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    poster = await make_poster(session, app)
    gig = await post_gig(client, app, poster)
    worker = await make_worker(session, app, "陈小勇")
    invited = await client.post(
        f"/api/v1/gigs/{gig['id']}/invitations",
        json={"worker_id": str(worker.id), "message": "周六来帮忙吗"},
        headers=auth(app, poster),
    )
    assert invited.status_code == 201, invited.text
    item = (await _matches(client, app, poster, gig["id"]))["items"][0]
    assert item["name"] == "陈**" and item["application"]["origin"] == "poster"
    accepted = await client.post(
        f"/api/v1/gig-applications/{invited.json()['id']}/accept", headers=auth(app, worker)
    )
    assert accepted.status_code == 200, accepted.text
    listed = await client.get(f"/api/v1/gigs/{gig['id']}/applications", headers=auth(app, poster))
    assert listed.json()["items"][0]["worker"]["name"] == "陈小勇"


async def test_only_the_poster_sees_matches(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    poster = await make_poster(session, app)
    gig = await post_gig(client, app, poster)
    worker = await make_worker(session, app)
    for who in (worker, await make_poster(session, app, "钱老板")):
        response = await client.get(f"/api/v1/gigs/{gig['id']}/matches", headers=auth(app, who))
        assert response.status_code == 404
    assert (await client.get(f"/api/v1/gigs/{gig['id']}/matches")).status_code == 401


async def test_matches_paginate_with_a_cursor(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    poster = await make_poster(session, app)
    gig = await post_gig(client, app, poster)
    workers = [await make_worker(session, app, f"孙{i}", **at(0.5 + i)) for i in range(5)]
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = await _matches(client, app, poster, gig["id"], **params)
        seen += [m["worker_id"] for m in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [str(w.id) for w in workers]


async def test_worker_sees_open_gigs_ranked_the_same_way(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    saturday = next_weekday(6)
    sunday = saturday + timedelta(days=1)
    worker = await make_worker(session, app, dates_off=[sunday.isoformat()], **at(2.0))
    poster = await make_poster(session, app)

    def place(km: float) -> dict[str, float]:
        lat, lng = north_of_base(km)
        return {"latitude": lat, "longitude": lng}

    near = await post_gig(client, app, poster, day=saturday, **place(2.5))
    far = await post_gig(client, app, poster, day=saturday, **place(7.0))
    await post_gig(client, app, poster, day=saturday, **place(20.0))  # beyond 10 km
    await post_gig(client, app, poster, day=sunday, **place(2.0))  # a day off
    await post_gig(
        client,
        app,
        poster,
        day=saturday,
        required_skills=[{"skill": "home_cleaning"}],
        **place(2.0),
    )
    response = await client.get("/api/v1/me/gig-matches", headers=auth(app, worker))
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [m["gig"]["id"] for m in items] == [near["id"], far["id"]]
    assert "距离 0.5 公里" in items[0]["reasons"]
    assert "新雇主，暂无完成记录" in items[0]["reasons"]
    assert items[0]["gig"]["distance_km"] == 0.5

    # Once booked on the near gig, the far one (same time) disappears too.
    application = await client.post(
        f"/api/v1/gigs/{near['id']}/applications", json={}, headers=auth(app, worker)
    )
    await client.post(
        f"/api/v1/gig-applications/{application.json()['id']}/accept", headers=auth(app, poster)
    )
    items = (await client.get("/api/v1/me/gig-matches", headers=auth(app, worker))).json()["items"]
    assert items == []


async def test_gig_matches_need_a_profile(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    poster = await make_poster(session, app)
    response = await client.get("/api/v1/me/gig-matches", headers=auth(app, poster))
    assert response.status_code == 409 and response.json()["code"] == "gig.profile_required"
