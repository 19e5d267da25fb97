"""WeChat login, refresh rotation with reuse detection, logout."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.identity import roles
from app.identity.models import RefreshToken, User
from tests.identity.helpers import bearer, wechat_login


async def test_login_creates_one_user_per_openid(client: httpx.AsyncClient, app: FastAPI) -> None:
    first = await wechat_login(client, app, "o_login_1")
    second = await wechat_login(client, app, "o_login_1")
    assert first["user"]["id"] == second["user"]["id"]
    assert first["user"]["roles"] == ["job_seeker"]
    assert first["user"]["phone_bound"] is False
    assert first["token_type"] == "bearer" and first["expires_in"] > 0
    assert "session_key" not in str(first)
    me = await client.get("/api/v1/me", headers=bearer(first["access_token"]))
    assert me.status_code == 200 and me.json()["id"] == first["user"]["id"]


async def test_session_key_is_stored_encrypted(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    result = await wechat_login(client, app, "o_login_sk")
    user = await session.get(User, result["user"]["id"])
    assert user is not None and user.session_key_encrypted
    assert user.session_key_encrypted.startswith("v1.")


async def test_used_code_is_refused(client: httpx.AsyncClient, app: FastAPI) -> None:
    code = app.state.fake_wechat.mint_jscode("o_login_reuse")
    ok = await client.post("/api/v1/auth/wechat/login", json={"code": code})
    assert ok.status_code == 200
    again = await client.post("/api/v1/auth/wechat/login", json={"code": code})
    assert again.status_code == 401
    assert again.json()["code"] == "wechat.code_invalid"


async def test_refresh_rotates_and_reuse_revokes_the_family(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    login = await wechat_login(client, app, "o_login_rotate")
    first = login["refresh_token"]

    rotated = await client.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert rotated.status_code == 200
    second = rotated.json()["refresh_token"]
    assert second != first
    assert (
        await client.get("/api/v1/me", headers=bearer(rotated.json()["access_token"]))
    ).status_code == 200

    # The old token shows up again: someone holds a copy. The whole family dies.
    reused = await client.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert reused.status_code == 401
    assert reused.json()["code"] == "auth.refresh_reused"
    after = await client.post("/api/v1/auth/refresh", json={"refresh_token": second})
    assert after.status_code == 401
    assert after.json()["code"] == "auth.refresh_invalid"

    rows = (
        (
            await session.execute(
                select(RefreshToken).where(RefreshToken.user_id == login["user"]["id"])
            )
        )
        .scalars()
        .all()
    )
    assert rows and all(row.revoked_at is not None for row in rows)


async def test_logout_revokes(client: httpx.AsyncClient, app: FastAPI) -> None:
    login = await wechat_login(client, app, "o_login_logout")
    out = await client.post("/api/v1/auth/logout", json={"refresh_token": login["refresh_token"]})
    assert out.status_code == 204
    again = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": login["refresh_token"]}
    )
    assert again.status_code == 401


async def test_garbage_tokens_are_401(client: httpx.AsyncClient) -> None:
    for header in ("Bearer nonsense", "Bearer a.b.c", "Basic Zm9vOmJhcg=="):
        response = await client.get("/api/v1/me", headers={"Authorization": header})
        assert response.status_code == 401, header
    bad = await client.post("/api/v1/auth/refresh", json={"refresh_token": "x" * 43})
    assert bad.status_code == 401


async def test_two_concurrent_refreshes_with_one_token_give_one_success(
    committing_client: httpx.AsyncClient, app: FastAPI
) -> None:
    login = await wechat_login(committing_client, app, "o_login_race")
    token = login["refresh_token"]
    results = await asyncio.gather(
        *[
            committing_client.post("/api/v1/auth/refresh", json={"refresh_token": token})
            for _ in range(5)
        ]
    )
    statuses = sorted(r.status_code for r in results)
    assert statuses.count(200) == 1, statuses
    assert all(s == 401 for s in statuses if s != 200)


async def test_demo_codes_log_in_and_bind_a_phone(client: httpx.AsyncClient) -> None:
    code = (await client.post("/api/v1/demo/wechat-code", json={"openid": "demo-user-x"})).json()[
        "code"
    ]
    login = await client.post("/api/v1/auth/wechat/login", json={"code": code})
    assert login.status_code == 200
    headers = bearer(login.json()["access_token"])
    phone_code = (
        await client.post("/api/v1/demo/phone-code", json={"phone_number": "13800000009"})
    ).json()["code"]
    bound = await client.post(
        "/api/v1/auth/wechat/phone", headers=headers, json={"code": phone_code}
    )
    assert bound.status_code == 200 and bound.json()["phone_masked"] == "138****0009"


async def test_only_a_returning_login_asks_the_role_probes_and_the_inbox(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first login skips both (nothing can refer to an account its transaction has not
    committed); every later login asks them as before."""
    asked: list[str] = []

    async def probe(session: AsyncSession, user_id: uuid.UUID) -> bool:
        asked.append("role")
        return True

    async def unread(session: AsyncSession, user_id: uuid.UUID) -> int:
        asked.append("inbox")
        return 3

    monkeypatch.setattr(roles, "_PROBES", {"gig_worker": probe})
    inbox = app.state.unread_notifications  # starlette's State is not monkeypatch-safe
    app.state.unread_notifications = unread
    try:
        first = await wechat_login(client, app, "o_login_newcomer")
        assert first["user"]["roles"] == ["job_seeker"]
        assert first["user"]["unread_notifications"] == 0 and asked == []
        again = await wechat_login(client, app, "o_login_newcomer")
    finally:
        app.state.unread_notifications = inbox
    assert again["user"]["roles"] == ["job_seeker", "gig_worker"]
    assert again["user"]["unread_notifications"] == 3 and sorted(asked) == ["inbox", "role"]
