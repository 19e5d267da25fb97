"""Ratings (after completion, once per side) and who may see or do what."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.identity.models import User
from tests.gigs.helpers import make_poster, make_worker, post_gig, shift_gig
from tests.support.factories import auth, make_user


async def _booked(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> tuple[User, User, dict[str, Any], dict[str, Any]]:
    poster = await make_poster(session, app)
    worker = await make_worker(session, app, "郑师傅")
    gig = await post_gig(client, app, poster)
    application = await client.post(
        f"/api/v1/gigs/{gig['id']}/applications", json={}, headers=auth(app, worker)
    )
    booking = await client.post(
        f"/api/v1/gig-applications/{application.json()['id']}/accept", headers=auth(app, poster)
    )
    return poster, worker, gig, booking.json()


async def test_ratings_only_after_completion_and_once_per_side(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    poster, worker, gig, booking = await _booked(client, app, session)
    path = f"/api/v1/gig-bookings/{booking['id']}/ratings"
    early = await client.post(path, json={"score": 5}, headers=auth(app, worker))
    assert early.status_code == 409 and early.json()["code"] == "gig.rating_not_allowed"

    await shift_gig(session, gig["id"], timedelta(hours=-2))
    await client.post(f"/api/v1/gig-bookings/{booking['id']}/complete", headers=auth(app, poster))
    for bad in (
        {"score": 6},
        {"score": 0},
        {"score": 5, "tags": ["随便写"]},
        {"score": 5, "tags": ["结算及时", "结算及时"]},
    ):
        assert (await client.post(path, json=bad, headers=auth(app, worker))).status_code == 422

    by_worker = await client.post(
        path,
        json={"score": 5, "tags": ["结算及时", "描述属实"], "comment": "老板爽快"},
        headers=auth(app, worker),
    )
    assert by_worker.status_code == 201 and by_worker.json()["rater_side"] == "worker"
    twice = await client.post(path, json={"score": 1}, headers=auth(app, worker))
    assert twice.status_code == 409 and twice.json()["code"] == "gig.already_rated"
    by_poster = await client.post(
        path, json={"score": 4, "tags": ["准时到岗"]}, headers=auth(app, poster)
    )
    assert by_poster.status_code == 201
    stranger = await client.post(
        path, json={"score": 3}, headers=auth(app, await make_user(session, app))
    )
    assert stranger.status_code == 404

    profile = (await client.get("/api/v1/me/gig-profile", headers=auth(app, worker))).json()
    assert profile["stats"]["rating_average"] == 4.0 and profile["stats"]["rating_count"] == 1
    seen = (await client.get(f"/api/v1/gigs/{gig['id']}")).json()
    assert seen["poster"]["rating_average"] == 5.0 and seen["poster"]["completed_count"] == 1
    detail = (
        await client.get(f"/api/v1/gig-bookings/{booking['id']}", headers=auth(app, worker))
    ).json()
    assert detail["my_rating"]["score"] == 5 and detail["their_rating"]["score"] == 4


async def test_only_the_poster_sees_applicants_and_bookings(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    poster, worker, gig, booking = await _booked(client, app, session)
    outsider = await make_worker(session, app, "冯师傅")
    for who in (worker, outsider):
        for path in (f"/gigs/{gig['id']}/applications", f"/gigs/{gig['id']}/bookings"):
            response = await client.get(f"/api/v1{path}", headers=auth(app, who))
            assert response.status_code == 404, (path, response.text)
    applicants = await client.get(
        f"/api/v1/gigs/{gig['id']}/applications", headers=auth(app, poster)
    )
    assert [a["worker"]["name"] for a in applicants.json()["items"]] == ["郑师傅"]
    bookings = await client.get(f"/api/v1/gigs/{gig['id']}/bookings", headers=auth(app, poster))
    assert bookings.json()["items"][0]["worker"]["revealed"] is True

    booking_path = f"/api/v1/gig-bookings/{booking['id']}"
    assert (await client.get(booking_path, headers=auth(app, outsider))).status_code == 404
    for action in ("cancel", "check-in", "complete"):
        response = await client.post(
            f"{booking_path}/{action}",
            json={"reason": "捣乱"} if action == "cancel" else {},
            headers=auth(app, outsider),
        )
        assert response.status_code == 404, action
    mine = await client.get("/api/v1/me/gig-bookings", headers=auth(app, worker))
    assert [b["id"] for b in mine.json()["items"]] == [booking["id"]]
    assert mine.json()["items"][0]["gig_contact_phone"] == "13812345678"


async def test_application_rules(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    poster = await make_worker(session, app, "王老板")  # a worker too, with a real name
    gig = await post_gig(client, app, poster)
    gid = gig["id"]
    own = await client.post(f"/api/v1/gigs/{gid}/applications", json={}, headers=auth(app, poster))
    assert own.status_code == 409 and own.json()["code"] == "gig.own_gig"
    no_profile = await make_user(session, app, phone="13700000099")
    response = await client.post(
        f"/api/v1/gigs/{gid}/applications", json={}, headers=auth(app, no_profile)
    )
    assert response.status_code == 409 and response.json()["code"] == "gig.profile_required"
    invite = await client.post(
        f"/api/v1/gigs/{gid}/invitations",
        json={"worker_id": str(no_profile.id)},
        headers=auth(app, poster),
    )
    assert invite.status_code == 404 and invite.json()["code"] == "gig.worker_not_found"

    worker = await make_worker(session, app)
    first = await client.post(
        f"/api/v1/gigs/{gid}/applications", json={}, headers=auth(app, worker)
    )
    twice = await client.post(
        f"/api/v1/gigs/{gid}/applications", json={}, headers=auth(app, worker)
    )
    assert twice.status_code == 409 and twice.json()["code"] == "gig.already_applied"
    app_id = first.json()["id"]
    # The worker withdraws (the poster may not), then applies again.
    wrong = await client.post(
        f"/api/v1/gig-applications/{app_id}/withdraw", headers=auth(app, poster)
    )
    assert wrong.status_code == 403
    withdrawn = await client.post(
        f"/api/v1/gig-applications/{app_id}/withdraw", headers=auth(app, worker)
    )
    assert withdrawn.json()["status"] == "withdrawn"
    again = await client.post(
        f"/api/v1/gigs/{gid}/applications", json={}, headers=auth(app, worker)
    )
    assert again.status_code == 201 and again.json()["id"] == app_id
    # Declined by the poster: no second try.
    declined = await client.post(
        f"/api/v1/gig-applications/{app_id}/decline", headers=auth(app, poster)
    )
    assert declined.json()["status"] == "declined"
    final = await client.post(
        f"/api/v1/gigs/{gid}/applications", json={}, headers=auth(app, worker)
    )
    assert final.status_code == 409 and final.json()["code"] == "gig.application_closed"
    accept = await client.post(
        f"/api/v1/gig-applications/{app_id}/accept", headers=auth(app, poster)
    )
    assert accept.status_code == 409

    mine = (await client.get("/api/v1/me/gig-applications", headers=auth(app, worker))).json()
    assert mine["items"][0]["gig"]["id"] == gid and mine["items"][0]["status"] == "declined"


async def test_idempotent_application_and_started_gigs(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    poster = await make_poster(session, app)
    gig = await post_gig(client, app, poster)
    worker = await make_worker(session, app)
    headers = {**auth(app, worker), "Idempotency-Key": "apply-once-0001"}
    first = await client.post(f"/api/v1/gigs/{gig['id']}/applications", json={}, headers=headers)
    retry = await client.post(f"/api/v1/gigs/{gig['id']}/applications", json={}, headers=headers)
    assert first.status_code == retry.status_code == 201
    assert first.json()["id"] == retry.json()["id"]

    late = await post_gig(client, app, poster)
    await shift_gig(session, late["id"], timedelta(hours=-1))
    response = await client.post(
        f"/api/v1/gigs/{late['id']}/applications", json={}, headers=auth(app, worker)
    )
    assert response.status_code == 409 and response.json()["code"] == "gig.started"
