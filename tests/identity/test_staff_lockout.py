"""Staff lockout per (username, address): an attacker elsewhere never locks the owner out."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.audit.models import AuditRecord
from app.core.ratelimit import PostgresBackend, RateLimiter
from app.identity.router import STAFF_PER_ACCOUNT
from tests.support.factories import make_staff

PASSWORD = "correct horse battery staple"
LOGIN = "/api/v1/auth/staff/login"


@asynccontextmanager
async def from_address(app: FastAPI, ip: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client whose requests come from ``ip`` (use with the ``client`` fixture active)."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=(ip, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


async def _fail(c: httpx.AsyncClient, username: str) -> httpx.Response:
    return await c.post(LOGIN, json={"username": username, "password": "wrong"})


async def _alerts(session: AsyncSession, username: str) -> list[AuditRecord]:
    stmt = select(AuditRecord).where(
        AuditRecord.action == "staff.login_attack", AuditRecord.subject_id == username
    )
    return list((await session.execute(stmt)).scalars())


async def test_owner_logs_in_while_one_address_is_locked_out(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    await make_staff(session, username="owner_a")
    limit = app.state.settings.security.staff_max_failures
    async with from_address(app, "203.0.113.9") as attacker:
        statuses = [(await _fail(attacker, "owner_a")).status_code for _ in range(limit)]
        assert statuses[-1] == 423
        again = await attacker.post(LOGIN, json={"username": "owner_a", "password": PASSWORD})
        assert again.status_code == 423 and int(again.headers["retry-after"]) > 0
    async with from_address(app, "198.51.100.7") as owner:
        ok = await owner.post(LOGIN, json={"username": "owner_a", "password": PASSWORD})
    assert ok.status_code == 200, ok.text


async def test_spread_attack_slows_the_username_and_alerts_once(
    client: httpx.AsyncClient,
    app: FastAPI,
    session: AsyncSession,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="app.identity.staff_guard")
    await make_staff(session, username="target_b")
    threshold = app.state.settings.security.staff_attack_addresses
    for i in range(threshold):
        async with from_address(app, f"192.0.2.{i + 1}") as attacker:
            assert (await _fail(attacker, "target_b")).status_code == 401
    # A new address is now slowed down: 429 with Retry-After, not a lock.
    async with from_address(app, "192.0.2.200") as attacker:
        slowed = await _fail(attacker, "target_b")
        right = await attacker.post(LOGIN, json={"username": "target_b", "password": PASSWORD})
    assert slowed.status_code == 429 and slowed.json()["code"] == "auth.login_throttled"
    assert int(slowed.headers["retry-after"]) > 0
    assert right.status_code == 429  # even the right password waits its turn there
    alerts = await _alerts(session, "target_b")
    assert len(alerts) == 1 and alerts[0].details["addresses"] >= threshold
    warnings = [r for r in caplog.records if "attack suspected" in r.getMessage()]
    assert len(warnings) == 1 and "target_b" in warnings[0].getMessage()
    # More failures from the same addresses within the window: still one alert.
    async with from_address(app, "192.0.2.1") as attacker:
        await _fail(attacker, "target_b")
    assert len(await _alerts(session, "target_b")) == 1


async def test_owner_from_a_recognised_address_gets_in_during_a_spread_attack(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    await make_staff(session, username="owner_c")
    async with from_address(app, "198.51.100.20") as owner:
        first = await owner.post(LOGIN, json={"username": "owner_c", "password": PASSWORD})
        assert first.status_code == 200
        limit = app.state.settings.security.staff_max_failures
        for i in range(app.state.settings.security.staff_attack_addresses + 2):
            async with from_address(app, f"203.0.113.{i + 1}") as attacker:
                for _ in range(limit):
                    assert (await _fail(attacker, "owner_c")).status_code in (401, 423, 429)
        during = await owner.post(LOGIN, json={"username": "owner_c", "password": PASSWORD})
    assert during.status_code == 200, during.text


async def test_the_owner_typing_wrong_is_still_locked_at_their_address(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    """The per-address lockout still stops guessing from one place (a recognised one too)."""
    await make_staff(session, username="owner_d")
    limit = app.state.settings.security.staff_max_failures
    async with from_address(app, "198.51.100.30") as c:
        assert (await c.post(LOGIN, json={"username": "owner_d", "password": PASSWORD})).is_success
        statuses = [(await _fail(c, "owner_d")).status_code for _ in range(limit)]
    assert statuses == [401] * (limit - 1) + [423]
    locked = await session.execute(
        select(AuditRecord).where(
            AuditRecord.action == "staff.locked", AuditRecord.subject_id == "owner_d"
        )
    )
    assert locked.scalars().one().details["client_address"] == "198.51.100.30"


@pytest.fixture
async def limited_app(app: FastAPI, engine: AsyncEngine) -> AsyncIterator[FastAPI]:
    previous = app.state.ratelimiter
    app.state.ratelimiter = RateLimiter(PostgresBackend(engine), enabled=True)
    try:
        yield app
    finally:
        app.state.ratelimiter = previous
        async with engine.begin() as conn:
            await conn.execute(text("DELETE FROM rate_limit_bucket"))


async def test_the_per_account_rate_limit_is_per_address_too(
    limited_app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    """Exhausting the per-account bucket from one address does not answer 429 to the owner."""
    await make_staff(session, username="owner_e")
    async with from_address(limited_app, "203.0.113.77") as attacker:
        for _ in range(STAFF_PER_ACCOUNT.hits + 1):
            last = await _fail(attacker, "owner_e")
    assert last.status_code == 429
    async with from_address(limited_app, "198.51.100.77") as owner:
        ok = await owner.post(LOGIN, json={"username": "owner_e", "password": PASSWORD})
    assert ok.status_code == 200, ok.text
