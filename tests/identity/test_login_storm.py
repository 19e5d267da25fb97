"""A storm of first-time logins: no errors, one user per openid, no connection held on WeChat."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.ratelimit import PostgresBackend, RateLimiter
from app.identity.models import RefreshToken, User
from app.identity.router import LOGIN_PER_ACCOUNT
from app.integrations.wechat.fake import FakeWeChatState

LATENCY_MS = 50


@pytest.fixture
def slow_wechat(app: FastAPI) -> Iterator[FakeWeChatState]:
    """The in-process fake WeChat answering every call after ``LATENCY_MS``, like the real one."""
    fake: FakeWeChatState = app.state.fake_wechat
    fake.latency_ms = LATENCY_MS
    try:
        yield fake
    finally:
        fake.latency_ms = 0


@pytest.fixture
async def limited(app: FastAPI, engine: AsyncEngine) -> AsyncIterator[None]:
    """Rate limits on (the tests' settings turn them off), counted in PostgreSQL."""
    previous = app.state.ratelimiter
    app.state.ratelimiter = RateLimiter(PostgresBackend(app.state.side_engine), enabled=True)
    try:
        yield
    finally:
        app.state.ratelimiter = previous


async def _login(client: httpx.AsyncClient, code: str, client_no: int) -> httpx.Response:
    # Each phone its own address, so the per-client limit is not what the storm runs into.
    headers = {"X-Forwarded-For": f"10.9.{client_no // 256}.{client_no % 256}"}
    return await client.post("/api/v1/auth/wechat/login", json={"code": code}, headers=headers)


async def test_fifty_concurrent_first_logins_make_one_user_per_openid(
    committing_client: httpx.AsyncClient,
    slow_wechat: FakeWeChatState,
    limited: None,
    engine: AsyncEngine,
) -> None:
    run = uuid.uuid4().hex[:8]
    # 10 logins of one person at once (a double tap times ten), 40 different newcomers.
    openids = [f"storm-{run}-same"] * 10 + [f"storm-{run}-{i}" for i in range(40)]
    codes = [slow_wechat.mint_jscode(openid) for openid in openids]

    answers = await asyncio.gather(
        *(_login(committing_client, code, i) for i, code in enumerate(codes))
    )

    assert [a.status_code for a in answers] == [200] * 50, [a.text for a in answers if a.is_error]
    same = {a.json()["user"]["id"] for a in answers[:10]}
    assert len(same) == 1
    others = {a.json()["user"]["id"] for a in answers[10:]}
    assert len(others) == 40 and not same & others
    async with engine.connect() as conn:
        per_openid = (
            await conn.execute(
                select(User.openid, func.count())
                .where(User.openid.like(f"storm-{run}-%"))
                .group_by(User.openid)
            )
        ).all()
        tokens = await conn.scalar(
            select(func.count()).select_from(RefreshToken).join(User, RefreshToken.user_id == User.id)
            .where(User.openid.like(f"storm-{run}-%"))
        )  # fmt: skip
    assert len(per_openid) == 41 and {n for _, n in per_openid} == {1}
    assert tokens == 50  # every login got its own refresh token


async def test_no_pooled_connection_is_held_while_waiting_for_wechat(
    committing_client: httpx.AsyncClient,
    slow_wechat: FakeWeChatState,
    limited: None,
    app: FastAPI,
    engine: AsyncEngine,
) -> None:
    """The login asks WeChat before its session touches the database, and the per-client limit
    is counted through the side pool and given back before the call."""
    wechat = app.state.wechat
    real = wechat.code_to_session
    held: list[tuple[int, int]] = []

    async def watched(code: str) -> Any:
        held.append((engine.pool.checkedout(), app.state.side_engine.pool.checkedout()))  # type: ignore[attr-defined]
        return await real(code)

    wechat.code_to_session = watched
    try:
        answer = await _login(committing_client, slow_wechat.mint_jscode("storm-held"), 0)
    finally:
        del wechat.code_to_session
    assert answer.status_code == 200, answer.text
    assert held == [(0, 0)]


async def test_the_per_account_limit_refuses_before_anything_is_written(
    committing_client: httpx.AsyncClient,
    slow_wechat: FakeWeChatState,
    limited: None,
    engine: AsyncEngine,
) -> None:
    """One person logging in from many phones at once: the logins past the per-account limit
    answer 429 and leave no refresh token; the others each got one."""
    openid = f"storm-{uuid.uuid4().hex[:8]}-busy"
    attempts = LOGIN_PER_ACCOUNT.hits + 5
    codes = [slow_wechat.mint_jscode(openid) for _ in range(attempts)]

    answers = await asyncio.gather(
        *(_login(committing_client, code, 1000 + i) for i, code in enumerate(codes))
    )

    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] * LOGIN_PER_ACCOUNT.hits + [429] * 5
    refused = next(a for a in answers if a.status_code == 429)
    assert refused.json()["code"] == "rate_limited" and int(refused.headers["retry-after"]) >= 1
    async with engine.connect() as conn:
        tokens = await conn.scalar(
            select(func.count()).select_from(RefreshToken).join(User, RefreshToken.user_id == User.id)
            .where(User.openid == openid)
        )  # fmt: skip
    assert tokens == LOGIN_PER_ACCOUNT.hits
