"""Fixtures of the WeChat tests: the fake WeChat server in-process, a client on it, a clock."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

from app.integrations.wechat.client import WeChatClient
from app.integrations.wechat.fake import FakeWeChatState, create_fake_app
from app.integrations.wechat.token import AccessTokenCache, MemoryTokenStore

FAKE_BASE = "http://fake-wechat.test"


class FakeClock:
    """Seconds since the epoch, moved by hand."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake(clock: FakeClock) -> FakeWeChatState:
    """A fresh fake per test, with its own AppID so database rows never collide."""
    return FakeWeChatState(appid=f"wxtest{uuid.uuid4().hex[:12]}", clock=clock)


@pytest.fixture
async def fake_http(fake: FakeWeChatState) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_fake_app(fake), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=FAKE_BASE) as http:
        yield http


MakeClient = Callable[..., WeChatClient]


@pytest.fixture
def make_client(fake: FakeWeChatState, fake_http: httpx.AsyncClient) -> MakeClient:
    """A WeChatClient on the in-process fake; keyword arguments override the defaults."""

    def make(**overrides: Any) -> WeChatClient:
        options: dict[str, Any] = {
            "api_base": FAKE_BASE,
            "http": fake_http,
            "token_cache": AccessTokenCache(MemoryTokenStore()),
            "retries": 2,
            "timeout_seconds": 2.0,
            "backoff_seconds": 0.0,
        }
        options.update(overrides)
        return WeChatClient(fake.appid, fake.secret, **options)

    return make


@pytest.fixture
def wechat(make_client: MakeClient) -> WeChatClient:
    return make_client()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private redis-server on a free localhost port (skipped where Redis is not installed)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    proc = subprocess.Popen(
        [*args, "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        else:
            raise RuntimeError("redis-server did not start")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
