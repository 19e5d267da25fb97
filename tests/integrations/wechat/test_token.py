"""The access token: one refresh for many callers, early refresh, forced refresh on rejection."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from redis.asyncio import Redis
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.integrations.wechat.client import WeChatClient
from app.integrations.wechat.errors import WeChatUnavailable
from app.integrations.wechat.fake import FakeWeChatState
from app.integrations.wechat.models import WeChatAccessToken
from app.integrations.wechat.token import (
    AccessTokenCache,
    CachedToken,
    MemoryTokenStore,
    PostgresTokenStore,
    RedisTokenStore,
    TokenStore,
    advisory_lock_key,
)
from tests.integrations.wechat.conftest import FakeClock, MakeClient

STABLE_TOKEN = "cgi-bin/stable_token"


@pytest.fixture
async def pg_cleanup(engine: AsyncEngine, fake: FakeWeChatState) -> AsyncIterator[None]:
    yield
    async with engine.begin() as conn:
        await conn.execute(delete(WeChatAccessToken).where(WeChatAccessToken.appid == fake.appid))


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await client.flushdb()
    await client.aclose()


async def _ten_callers(clients: list[WeChatClient]) -> set[str]:
    tokens = await asyncio.gather(*(client.access_token() for client in clients))
    return set(tokens)


# --- one refresh for ten concurrent callers ------------------------------------------------------


async def test_memory_store_ten_callers_one_refresh(
    make_client: MakeClient, fake: FakeWeChatState
) -> None:
    fake.inject(STABLE_TOKEN, latency_ms=50)  # the refresh is slow: everybody piles up behind it
    wechat = make_client()

    tokens = await _ten_callers([wechat] * 10)

    assert len(tokens) == 1
    assert fake.calls[STABLE_TOKEN] == 1


@pytest.mark.usefixtures("pg_cleanup")
async def test_postgres_store_ten_processes_one_refresh(
    make_client: MakeClient, fake: FakeWeChatState, engine: AsyncEngine
) -> None:
    # Ten clients with their own caches (no shared in-process lock), like ten worker processes.
    fake.inject(STABLE_TOKEN, latency_ms=50)
    clients = [
        make_client(token_cache=AccessTokenCache(PostgresTokenStore(engine))) for _ in range(10)
    ]

    tokens = await _ten_callers(clients)

    assert len(tokens) == 1
    assert fake.calls[STABLE_TOKEN] == 1
    async with engine.connect() as conn:
        stored = await conn.scalar(
            select(WeChatAccessToken.access_token).where(WeChatAccessToken.appid == fake.appid)
        )
    assert stored == tokens.pop()


@pytest.mark.usefixtures("pg_cleanup")
async def test_postgres_store_expired_row_is_refreshed_once(
    make_client: MakeClient, fake: FakeWeChatState, engine: AsyncEngine
) -> None:
    store = PostgresTokenStore(engine)
    past = datetime.now(UTC) - timedelta(minutes=1)
    async with store.exclusive(fake.appid) as slot:
        await slot.save(CachedToken(value="expired", expires_at=past, refresh_at=past))
    fake.inject(STABLE_TOKEN, latency_ms=50)
    clients = [
        make_client(token_cache=AccessTokenCache(PostgresTokenStore(engine))) for _ in range(10)
    ]

    tokens = await _ten_callers(clients)

    assert len(tokens) == 1 and "expired" not in tokens
    assert fake.calls[STABLE_TOKEN] == 1
    async with engine.connect() as conn:
        rows = await conn.scalar(select(func.count()).where(WeChatAccessToken.appid == fake.appid))
    assert rows == 1


async def test_redis_store_ten_processes_one_refresh(
    make_client: MakeClient, fake: FakeWeChatState, redis: Redis
) -> None:
    fake.inject(STABLE_TOKEN, latency_ms=50)
    clients = [
        make_client(token_cache=AccessTokenCache(RedisTokenStore(redis, poll_seconds=0.01)))
        for _ in range(10)
    ]

    tokens = await _ten_callers(clients)

    assert len(tokens) == 1
    assert fake.calls[STABLE_TOKEN] == 1
    assert await redis.ttl(f"dsjobs:wechat:access_token:{fake.appid}") > 7000
    assert await redis.exists(f"dsjobs:wechat:access_token:{fake.appid}:lock") == 0


# --- early refresh and failures ------------------------------------------------------------------


@pytest.mark.parametrize("store_kind", ["memory", "postgres"])
@pytest.mark.usefixtures("pg_cleanup")
async def test_refreshed_five_minutes_before_expiry(
    make_client: MakeClient, fake: FakeWeChatState, engine: AsyncEngine, store_kind: str
) -> None:
    now = datetime(2030, 1, 1, tzinfo=UTC)
    store: TokenStore = MemoryTokenStore() if store_kind == "memory" else PostgresTokenStore(engine)
    cache = AccessTokenCache(store, margin_seconds=300, clock=lambda: now)
    wechat = make_client(token_cache=cache)

    first = await wechat.access_token()
    now += timedelta(seconds=7200 - 301)
    assert await wechat.access_token() == first
    assert fake.calls[STABLE_TOKEN] == 1

    now += timedelta(seconds=2)  # inside the 5-minute margin
    await wechat.access_token()
    assert fake.calls[STABLE_TOKEN] == 2


def test_a_grant_already_inside_the_margin_is_used_for_half_its_life() -> None:
    from app.integrations.wechat.types import TokenGrant

    now = datetime(2030, 1, 1, tzinfo=UTC)
    token = CachedToken.from_grant(TokenGrant("t", expires_in=200), now, margin_seconds=300)

    assert token.refresh_at == now + timedelta(seconds=100)
    assert token.expires_at == now + timedelta(seconds=200)


async def test_failed_refresh_serves_the_unexpired_token(
    make_client: MakeClient, fake: FakeWeChatState
) -> None:
    now = datetime(2030, 1, 1, tzinfo=UTC)
    wechat = make_client(token_cache=AccessTokenCache(MemoryTokenStore(), clock=lambda: now))
    first = await wechat.access_token()
    now += timedelta(seconds=7000)  # due for refresh, not expired
    fake.inject(STABLE_TOKEN, errcode=-1, times=-1)

    assert await wechat.access_token() == first

    now += timedelta(seconds=300)  # expired now: nothing to fall back on
    with pytest.raises(WeChatUnavailable):
        await wechat.access_token()


@pytest.mark.usefixtures("pg_cleanup")
async def test_a_stuck_refresher_makes_waiters_fail_with_503(
    make_client: MakeClient, fake: FakeWeChatState, engine: AsyncEngine
) -> None:
    store = PostgresTokenStore(engine, lock_timeout_seconds=0.2)
    wechat = make_client(token_cache=AccessTokenCache(store))
    async with engine.begin() as holder:
        await holder.execute(select(func.pg_advisory_xact_lock(advisory_lock_key(fake.appid))))
        with pytest.raises(WeChatUnavailable) as error:
            await wechat.access_token()
    assert error.value.reason == "lock_timeout" and error.value.details is None
    assert fake.calls[STABLE_TOKEN] == 0


# --- forced refresh on 40001 / 42001 -------------------------------------------------------------


async def test_rejected_token_is_force_refreshed_once_then_the_call_succeeds(
    wechat: WeChatClient, fake: FakeWeChatState
) -> None:
    before = await wechat.access_token()
    fake.revoke_tokens()  # e.g. another system force-refreshed: ours answers 40001 now

    result = await wechat.msg_sec_check("你好", openid="o_token")

    assert result.suggest == "pass"
    assert fake.forced_refreshes == 1
    assert fake.calls[STABLE_TOKEN] == 2
    assert fake.calls["wxa/msg_sec_check"] == 2
    assert await wechat.access_token() != before


async def test_expired_token_42001_is_force_refreshed(
    wechat: WeChatClient, fake: FakeWeChatState, clock: FakeClock
) -> None:
    await wechat.access_token()
    clock.advance(7201)  # WeChat's clock only: our cache still believes the token valid

    phone = await wechat.get_phone_number(fake.mint_phonecode("13700000000"))

    assert phone.pure_phone_number == "13700000000"
    assert fake.forced_refreshes == 1


async def test_force_refresh_happens_at_most_once_per_call(
    wechat: WeChatClient, fake: FakeWeChatState
) -> None:
    fake.inject("wxa/msg_sec_check", errcode=40001, times=-1)

    # Still rejected after the refresh: our credentials are wrong (operator fault, 503).
    with pytest.raises(WeChatUnavailable) as error:
        await wechat.msg_sec_check("你好", openid="o_token")

    assert error.value.errcode == 40001
    assert fake.forced_refreshes == 1
    assert fake.calls["wxa/msg_sec_check"] == 2


async def test_ten_rejected_callers_force_one_refresh(
    make_client: MakeClient, fake: FakeWeChatState
) -> None:
    wechat = make_client()
    await wechat.access_token()
    fake.revoke_tokens()
    fake.inject(STABLE_TOKEN, latency_ms=50)

    results = await asyncio.gather(
        *(wechat.msg_sec_check("你好", openid=f"o_{i}") for i in range(10))
    )

    assert all(result.passed for result in results)
    assert fake.forced_refreshes == 1
