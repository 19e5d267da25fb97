"""Two replicas of the service behave as one: nothing they share lives in a process.

Two real `python -m app serve` processes on two ports share the worker's test database (and
Redis in the `redis` variant, where redis-server is installed) and one standalone fake WeChat
(100 ms per WeChat call, so concurrent callers really overlap). Shown here: a rate limit
counted across both, an idempotent create replayed by the other replica, one access-token
refresh for concurrent callers on both, the same `GET /meta` ETag on both.

To add a shared cache (say job detail, invalidated by LISTEN/NOTIFY): write through
``replicas.a``, read through ``replicas.b``, with ``replicas.login`` for a user and the
``engine`` fixture to look at the rows. The data is committed and truncated after the module.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import DEMO_APPID, DEMO_SECRET
from app.employers.models import Employer
from app.identity.router import LOGIN_PER_CLIENT
from app.integrations.wechat.models import WeChatAccessToken
from tests.conftest import truncate_all
from tests.employers.factories import employer_payload
from tests.support.live import LiveProcess, free_port, start

pytestmark = pytest.mark.slow

WECHAT_LATENCY_MS = 100
LOGIN = "/api/v1/auth/wechat/login"


@dataclass
class Replicas:
    a: httpx.AsyncClient
    b: httpx.AsyncClient
    fake: httpx.AsyncClient

    @property
    def both(self) -> tuple[httpx.AsyncClient, httpx.AsyncClient]:
        return self.a, self.b

    async def login(self, openid: str, via: httpx.AsyncClient, address: str) -> str:
        """A fresh login code from the fake, exchanged on ``via``; the access token."""
        code = (await self.fake.post("/_fake/jscode", json={"openid": openid})).json()["code"]
        answer = await via.post(LOGIN, json={"code": code}, headers=_from(address))
        assert answer.status_code == 200, answer.text
        return str(answer.json()["access_token"])

    async def wechat_calls(self, endpoint: str) -> int:
        return int((await self.fake.get("/_fake/stats")).json()["calls"].get(endpoint, 0))


def _from(address: str, token: str | None = None) -> dict[str, str]:
    """Headers of a phone at ``address`` (the service trusts X-Forwarded-For from 127.0.0.1)."""
    headers = {"X-Forwarded-For": address}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    workdir = tmp_path_factory.mktemp("replicas-redis")
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(workdir)]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module", params=["postgres", "redis"])
async def replicas(
    request: pytest.FixtureRequest,
    database_url: str,
    engine: AsyncEngine,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Replicas]:
    var = tmp_path_factory.mktemp("replicas")
    env = {
        "DATABASE_URL": database_url,
        "ENVIRONMENT": "test",
        "LOG_LEVEL": "WARNING",
        "VAR_DIR": str(var),
        "STORAGE_ROOT": str(var / "files"),
        "WECHAT_APPID": DEMO_APPID,
        "WECHAT_SECRET": DEMO_SECRET,
        "HTTP_RATE_LIMITS_ENABLED": "true",
        "REDIS_URL": request.getfixturevalue("redis_server") if request.param == "redis" else "",
    }
    processes: list[LiveProcess] = []
    try:
        fake = start(
            "fake-wechat", ["fake-wechat", "--latency-ms", str(WECHAT_LATENCY_MS)], env, var
        )
        processes.append(fake)
        fake.wait_ready("/_fake/stats")
        env["WECHAT_API_BASE"] = fake.base
        # Both at once, as replicas start: the migration lock lets one migrate, the other wait.
        processes += [start(f"replica-{n}", ["serve", "--no-demo"], env, Path(var)) for n in "ab"]
        for server in processes[1:]:
            server.wait_ready("/readyz")
        async with (
            httpx.AsyncClient(base_url=processes[1].base, timeout=30) as a,
            httpx.AsyncClient(base_url=processes[2].base, timeout=30) as b,
            httpx.AsyncClient(base_url=fake.base, timeout=30) as fake_client,
        ):
            yield Replicas(a, b, fake_client)
    finally:
        for process in processes:
            process.stop()
        await truncate_all(engine)


async def test_a_rate_limit_is_counted_across_replicas(replicas: Replicas) -> None:
    phone = _from(f"10.77.{uuid.uuid4().int % 250}.1")
    codes = [f"invalid-{uuid.uuid4().hex}" for _ in range(LOGIN_PER_CLIENT.hits)]
    # Half on each replica, all at once: every one counts, wherever it landed.
    answers = await asyncio.gather(
        *(
            replicas.both[i % 2].post(LOGIN, json={"code": code}, headers=phone)
            for i, code in enumerate(codes)
        )
    )
    assert [r.status_code for r in answers] == [401] * LOGIN_PER_CLIENT.hits
    for replica in replicas.both:
        over = await replica.post(LOGIN, json={"code": "invalid-again"}, headers=phone)
        assert over.status_code == 429 and over.json()["code"] == "rate_limited"


async def test_an_idempotent_create_is_replayed_by_the_other_replica(
    replicas: Replicas, engine: AsyncEngine
) -> None:
    address = "10.78.0.1"
    token = await replicas.login(f"replica-{uuid.uuid4().hex[:8]}", replicas.a, address)
    body = employer_payload()
    headers = {**_from(address, token), "Idempotency-Key": f"k-{uuid.uuid4().hex}"}

    first = await replicas.a.post("/api/v1/employers", json=body, headers=headers)
    again = await replicas.b.post("/api/v1/employers", json=body, headers=headers)
    assert first.status_code == again.status_code == 201, (first.text, again.text)
    assert again.json() == first.json()

    # A double tap that lands on both replicas at the same moment: one employer, one answer.
    other = employer_payload()
    headers["Idempotency-Key"] = f"k-{uuid.uuid4().hex}"
    taps = await asyncio.gather(
        *(r.post("/api/v1/employers", json=other, headers=headers) for r in replicas.both)
    )
    assert [t.status_code for t in taps] == [201, 201], [t.text for t in taps]
    assert taps[0].json() == taps[1].json()
    async with engine.connect() as conn:
        stored = await conn.scalar(
            select(func.count())
            .select_from(Employer)
            .where(Employer.credit_code.in_([body["credit_code"], other["credit_code"]]))
        )
    assert stored == 2


async def test_one_access_token_refresh_for_concurrent_callers_on_both(
    replicas: Replicas, engine: AsyncEngine
) -> None:
    async with engine.begin() as conn:
        await conn.execute(delete(WeChatAccessToken))
    await replicas.fake.post("/_fake/reset")
    users = []
    for i in range(6):
        address = f"10.79.0.{i + 1}"
        via = replicas.both[i % 2]
        token = await replicas.login(f"replica-phone-{uuid.uuid4().hex[:8]}", via, address)
        minted = await replicas.fake.post(
            "/_fake/phonecode", json={"phone_number": f"1390000{i:04d}"}
        )
        users.append((via, address, token, minted.json()["code"]))
    assert await replicas.wechat_calls("cgi-bin/stable_token") == 0

    # Six phone bindings at once, three on each replica: each needs the access token.
    answers = await asyncio.gather(
        *(
            via.post("/api/v1/auth/wechat/phone", json={"code": code}, headers=_from(a, token))
            for via, a, token, code in users
        )
    )

    assert [r.status_code for r in answers] == [200] * 6, [r.text for r in answers]
    assert await replicas.wechat_calls("wxa/business/getuserphonenumber") == 6
    assert await replicas.wechat_calls("cgi-bin/stable_token") == 1


async def test_meta_has_one_etag_on_every_replica(replicas: Replicas) -> None:
    first = await replicas.a.get("/api/v1/meta")
    assert first.status_code == 200
    again = await replicas.b.get("/api/v1/meta", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
