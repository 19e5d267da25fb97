"""Access and refresh tokens live by the injected clock (same lifetimes, a settable "now")."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI

from tests.identity.helpers import bearer, wechat_login
from tests.support.clock import installed_clock, local

LOGIN_AT = local(2031, 3, 1, 9, 0)  # years from the real date: only the set clock can pass


async def test_the_access_token_expires_by_the_clock(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    ttl: timedelta = app.state.security.tokens.ttl
    with installed_clock(app, LOGIN_AT) as clock:
        login = await wechat_login(client, app, "clock-openid-access")
        headers = bearer(login["access_token"])
        assert login["expires_in"] == int(ttl.total_seconds())
        assert (await client.get("/api/v1/me", headers=headers)).status_code == 200
        clock.set(LOGIN_AT + ttl - timedelta(seconds=1))
        assert (await client.get("/api/v1/me", headers=headers)).status_code == 200
        clock.set(LOGIN_AT + ttl)
        expired = await client.get("/api/v1/me", headers=headers)
        clock.set(LOGIN_AT - timedelta(minutes=1))
        not_yet = await client.get("/api/v1/me", headers=headers)
    assert expired.status_code == 401 and expired.json()["code"] == "auth.token_invalid"
    assert not_yet.status_code == 401 and not_yet.json()["code"] == "auth.token_invalid"


async def test_the_refresh_token_expires_by_the_clock(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    lifetime = timedelta(days=app.state.settings.security.refresh_token_days)
    with installed_clock(app, LOGIN_AT) as clock:
        first = (await wechat_login(client, app, "clock-openid-refresh"))["refresh_token"]
        clock.set(LOGIN_AT + lifetime - timedelta(seconds=1))
        rotated = await client.post("/api/v1/auth/refresh", json={"refresh_token": first})
        assert rotated.status_code == 200, rotated.text
        # The new pair is issued at the set "now": its access token works then.
        me = await client.get("/api/v1/me", headers=bearer(rotated.json()["access_token"]))
        assert me.status_code == 200
        second = rotated.json()["refresh_token"]
        clock.set(clock.now + lifetime)
        late = await client.post("/api/v1/auth/refresh", json={"refresh_token": second})
    assert late.status_code == 401 and late.json()["code"] == "auth.refresh_invalid"
