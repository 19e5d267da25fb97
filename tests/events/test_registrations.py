"""Seekers' sign-up with a limit, cancellation, and check-in codes scanned at the door."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.events.checkin_code import CheckInCodec
from app.identity.models import User
from tests.events.conftest import FAIR_START, make_event
from tests.support.clock import FakeClock
from tests.support.factories import auth, make_staff, make_user


async def _register(
    client: httpx.AsyncClient, app: FastAPI, user: User, event_id: uuid.UUID
) -> httpx.Response:
    return await client.post(f"/api/v1/events/{event_id}/registrations", headers=auth(app, user))


async def test_registration_limit_and_one_per_person(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    event = await make_event(session, registration_limit=2)
    users = [await make_user(session, app) for _ in range(3)]

    first = await _register(client, app, users[0], event.id)
    assert first.status_code == 201, first.text
    assert first.json()["check_in_code"].startswith("E1.")
    again = await _register(client, app, users[0], event.id)
    assert (again.status_code, again.json()["code"]) == (409, "event.already_registered")
    assert (await _register(client, app, users[1], event.id)).status_code == 201
    full = await _register(client, app, users[2], event.id)
    assert (full.status_code, full.json()["code"]) == (409, "event.registration_full")
    assert full.json()["message"] == "报名人数已满"

    # Cancelling gives the place back.
    cancel = await client.post(
        f"/api/v1/event-registrations/{first.json()['id']}/cancel", headers=auth(app, users[0])
    )
    assert cancel.status_code == 200
    assert cancel.json()["check_in_code"] is None
    assert (await _register(client, app, users[2], event.id)).status_code == 201
    detail = (await client.get(f"/api/v1/events/{event.id}")).json()
    assert detail["registered_count"] == 2


async def test_registration_needs_an_open_event(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    user = await make_user(session, app)
    live = await make_event(session, kind="livestream", registration_limit=0)
    past = await make_event(session, starts_at=FAIR_START - timedelta(days=30))
    cancelled = await make_event(session, status="cancelled")
    assert (await _register(client, app, user, live.id)).json()[
        "code"
    ] == "event.registration_not_open"
    assert (await _register(client, app, user, past.id)).json()["code"] == "event.ended"
    assert (await _register(client, app, user, cancelled.id)).status_code == 404
    assert (await _register(client, app, user, uuid.uuid4())).status_code == 404


async def test_check_in_once_with_a_genuine_code(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    event = await make_event(session)
    user = await make_user(session, app, nickname="小李")
    staff = await make_staff(session, roles=("station",))
    registration = (await _register(client, app, user, event.id)).json()
    url = f"/api/v1/admin/events/{event.id}/check-ins"

    too_early = await client.post(
        url, json={"token": registration["check_in_code"]}, headers=auth(app, staff)
    )
    assert (too_early.status_code, too_early.json()["code"]) == (409, "event.check_in_not_open")

    clock.set(FAIR_START - timedelta(minutes=30))
    ok = await client.post(
        url, json={"token": registration["check_in_code"]}, headers=auth(app, staff)
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["user_nickname"] == "小李"
    reused = await client.post(
        url, json={"token": registration["check_in_code"]}, headers=auth(app, staff)
    )
    assert (reused.status_code, reused.json()["code"]) == (409, "event.check_in_code_used")
    mine = (
        await client.get(
            f"/api/v1/event-registrations/{registration['id']}", headers=auth(app, user)
        )
    ).json()
    assert mine["status"] == "checked_in"
    assert mine["check_in_code"] is None


async def test_forged_other_event_expired_and_cancelled_codes_are_refused(
    client: httpx.AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    clock: FakeClock,
    codec: CheckInCodec,
) -> None:
    event = await make_event(session)
    other = await make_event(session, title="另一场")
    staff = await make_staff(session, roles=("station",))
    user, quitter = await make_user(session, app), await make_user(session, app)
    registration = (await _register(client, app, user, event.id)).json()
    other_registration = (await _register(client, app, user, other.id)).json()
    cancelled = (await _register(client, app, quitter, event.id)).json()
    await client.post(
        f"/api/v1/event-registrations/{cancelled['id']}/cancel", headers=auth(app, quitter)
    )
    clock.set(FAIR_START)
    url = f"/api/v1/admin/events/{event.id}/check-ins"

    async def scan(token: str) -> tuple[int, str | None]:
        response = await client.post(url, json={"token": token}, headers=auth(app, staff))
        return response.status_code, response.json().get("code")

    genuine = registration["check_in_code"]
    forged_key = CheckInCodec.from_secret("guessed").issue(
        uuid.UUID(registration["id"]), event.id, FAIR_START + timedelta(days=1)
    )
    assert await scan(genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB")) == (
        422,
        "event.check_in_code_invalid",
    )
    assert await scan(forged_key) == (422, "event.check_in_code_invalid")
    assert await scan("https://example.com/not-a-code") == (422, "event.check_in_code_invalid")
    assert await scan(other_registration["check_in_code"]) == (409, "event.check_in_other_event")
    assert await scan(cancelled["check_in_code"]) == (409, "event.check_in_registration_cancelled")
    # A genuine code naming a registration that does not exist.
    assert await scan(codec.issue(uuid.uuid4(), event.id, event.ends_at)) == (
        422,
        "event.check_in_code_invalid",
    )
    clock.set(event.ends_at + timedelta(minutes=1))
    assert await scan(genuine) == (409, "event.check_in_code_expired")
    # Nothing above checked anyone in.
    clock.set(FAIR_START)
    assert await scan(genuine) == (200, None)
