"""A storm of first-time WeChat logins against the service and a slow fake WeChat.

    .venv/bin/python -m bench.login_storm \
        --database-url postgresql://postgres@127.0.0.1:5432/dsjobs_login_bench

Starts the fake WeChat (``python -m app fake-wechat --latency-ms 50``: every ``jscode2session``
answer takes 50 ms, like the real API from a data centre in China) and the service with two
workers pointed at it (``serve --workers 2 --no-demo``, rate limits on), mints one login code
per new openid, then drives ``POST /api/v1/auth/wechat/login`` with ``--concurrency`` clients,
each a different phone (its own ``X-Forwarded-For`` address, so the per-client limit of 30 a
minute is not what is measured). Prints logins/s, errors by status, p50/p95/p99, the CPU the
service and its PostgreSQL backends spent per login (and the fake WeChat's, which shares the
cores), and checks that every openid got exactly one user.

``--rate`` makes the arrivals open-loop (that many logins a second, at most ``--concurrency`` in
flight) instead of each client sending its next login when the last one is answered.

The load generator is a bare HTTP/1.1 client on asyncio streams: httpx costs more CPU per
request than the service's own login on this 2-core box and would measure itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx

from app.core.config import DEMO_APPID, DEMO_SECRET
from bench.jobs_load import CpuMeter, _cpu_seconds

ROOT = Path(__file__).resolve().parents[1]
LOGIN_PATH = "/api/v1/auth/wechat/login"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def plain_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def ensure_database(url: str) -> None:
    """Create the bench database if it does not exist (the service migrates it)."""
    head, _, name = plain_url(url).rpartition("/")
    admin = await asyncpg.connect(f"{head}/postgres")
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


def wait_ready(url: str, proc: subprocess.Popen[bytes], seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{proc.args} exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


# --- a bare HTTP/1.1 client ---------------------------------------------------------------------


class Connection:
    """One keep-alive connection that sends JSON POSTs and reads status and body."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n{extra}\r\n"
        )
        self.writer.write(head.encode() + body)
        try:
            status_line = await self.reader.readuntil(b"\r\n")
            raw_headers = await self.reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            await self.close()
            raise
        length, close = 0, False
        for line in raw_headers.split(b"\r\n"):
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
        payload = await self.reader.readexactly(length) if length else b""
        if close:
            await self.close()
        return int(status_line.split()[1]), payload

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


# --- the storm ----------------------------------------------------------------------------------


@dataclass
class Storm:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    elapsed: float = 0.0  # busy time: the pauses between waves do not count
    waves: list[float] = field(default_factory=list)  # each wave's duration (--waves)

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != "200")


def client_address(i: int) -> str:
    return f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"


async def mint_codes(fake_base: str, openids: list[str]) -> list[str]:
    limits = httpx.Limits(max_connections=16)
    async with httpx.AsyncClient(base_url=fake_base, limits=limits, timeout=30) as client:
        semaphore = asyncio.Semaphore(16)

        async def mint(openid: str) -> str:
            async with semaphore:
                response = await client.post("/_fake/jscode", json={"openid": openid})
                response.raise_for_status()
                return str(response.json()["code"])

        return list(await asyncio.gather(*(mint(o) for o in openids)))


async def storm(
    host: str,
    port: int,
    codes: list[str],
    concurrency: int,
    rate: float | None,
    pause: float | None = None,
) -> Storm:
    """Log in once with every code; ``concurrency`` connections, open-loop when ``rate``, in
    waves of ``concurrency`` logins sent at once, ``pause`` seconds apart, when ``pause``."""
    result = Storm()
    pending = iter(enumerate(codes))
    connections = asyncio.Queue[Connection]()
    for _ in range(concurrency):
        connections.put_nowait(Connection(host, port))

    async def login(i: int, code: str) -> None:
        conn = await connections.get()
        body = json.dumps({"code": code}).encode()
        started = time.perf_counter()
        try:
            status, _ = await conn.post(LOGIN_PATH, body, {"X-Forwarded-For": client_address(i)})
        except (OSError, asyncio.IncompleteReadError):
            status = 0
        finally:
            connections.put_nowait(conn)
        result.statuses[str(status) if status else "connection error"] += 1
        if status == 200:
            result.latencies.append(time.perf_counter() - started)

    async def closed_loop() -> None:
        for i, code in pending:
            await login(i, code)

    started = time.perf_counter()
    if pause is not None:
        ordered = list(pending)
        for first in range(0, len(ordered), concurrency):
            wave_started = time.perf_counter()
            await asyncio.gather(*(login(i, c) for i, c in ordered[first : first + concurrency]))
            result.waves.append(time.perf_counter() - wave_started)
            await asyncio.sleep(pause)
        result.elapsed = sum(result.waves)
    elif rate is None:
        await asyncio.gather(*(closed_loop() for _ in range(concurrency)))
    else:
        tasks = []
        for i, code in pending:
            due = started + i / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            tasks.append(asyncio.create_task(login(i, code)))
        await asyncio.gather(*tasks)
    if pause is None:
        result.elapsed = time.perf_counter() - started
    while not connections.empty():
        await connections.get_nowait().close()
    return result


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def report(result: Storm, meter: CpuMeter) -> None:
    done = sum(result.statuses.values())
    lat = result.latencies
    print(f"\n{done} first-time logins in {result.elapsed:.1f} s: {done / result.elapsed:.0f}/s")
    if result.waves:
        waves = sorted(result.waves)
        print(
            f"  {len(waves)} waves: each done in {statistics.median(waves) * 1000:.0f} ms "
            f"(median), {waves[-1] * 1000:.0f} ms (slowest)"
        )
    print(f"  errors: {result.errors}  (answers: {dict(sorted(result.statuses.items()))})")
    if lat:
        print(
            f"  p50 {percentile(lat, 0.50):.1f} ms  p95 {percentile(lat, 0.95):.1f} ms  "
            f"p99 {percentile(lat, 0.99):.1f} ms  max {max(lat) * 1000:.1f} ms  "
            f"(mean {statistics.fmean(lat) * 1000:.1f})"
        )
    line = meter.report(done)
    if line:
        print(line.replace("request", "login"))


async def users_per_openid(database_url: str, prefix: str) -> Counter[int]:
    conn = await asyncpg.connect(plain_url(database_url))
    try:
        rows = await conn.fetch(
            'SELECT count(*) AS n FROM "user" WHERE openid LIKE $1 GROUP BY openid', prefix + "%"
        )
    finally:
        await conn.close()
    return Counter(int(row["n"]) for row in rows)


def service_env(database_url: str, fake_base: str, var: str) -> dict[str, str]:
    """The settings of a service that logs in against the standalone fake WeChat."""
    return {
        "DATABASE_URL": database_url,
        "WECHAT_APPID": DEMO_APPID,
        "WECHAT_SECRET": DEMO_SECRET,
        "WECHAT_API_BASE": fake_base,
        "LOG_LEVEL": "WARNING",
        "VAR_DIR": var,
        "STORAGE_ROOT": f"{var}/files",
    }


def start_processes(
    opts: argparse.Namespace, var: str
) -> tuple[subprocess.Popen[bytes], subprocess.Popen[bytes], str, int]:
    fake_port, port = free_port(), free_port()
    fake_base = f"http://127.0.0.1:{fake_port}"
    env = {**os.environ, **service_env(opts.database_url, fake_base, var)}
    python = [sys.executable, "-m", "app"]
    fake_cmd = ["fake-wechat", "--port", str(fake_port), "--latency-ms", str(opts.latency_ms)]
    fake = subprocess.Popen([*python, *fake_cmd], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    serve_cmd = ["serve", "--no-demo", "--port", str(port), "--workers", str(opts.workers)]
    serve = subprocess.Popen([*python, *serve_cmd], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    return fake, serve, fake_base, port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), required=False)
    parser.add_argument("--logins", type=int, default=3000)
    parser.add_argument("--warmup", type=int, default=300, help="unmeasured logins first")
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--rate", type=float, help="open-loop arrivals per second")
    parser.add_argument(
        "--waves",
        type=float,
        metavar="PAUSE",
        help="send the logins in waves of --concurrency at once, PAUSE seconds apart",
    )
    parser.add_argument("--latency-ms", type=int, default=50, help="the fake WeChat's latency")
    parser.add_argument("--workers", type=int, default=2)
    opts = parser.parse_args()
    if not opts.database_url:
        raise SystemExit("--database-url (or DATABASE_URL) is required")
    asyncio.run(ensure_database(opts.database_url))
    run = f"storm-{uuid.uuid4().hex[:8]}-"
    with tempfile.TemporaryDirectory() as var:
        fake, serve, fake_base, port = start_processes(opts, var)
        try:
            wait_ready(f"{fake_base}/_fake/stats", fake)
            wait_ready(f"http://127.0.0.1:{port}/readyz", serve)
            total = opts.warmup + opts.logins
            codes = asyncio.run(mint_codes(fake_base, [f"{run}{i}" for i in range(total)]))
            warm, measured = codes[: opts.warmup], codes[opts.warmup :]
            host = "127.0.0.1"
            if warm:
                asyncio.run(storm(host, port, warm, opts.concurrency, opts.rate, opts.waves))
            fake_before = _cpu_seconds([fake.pid]).get(fake.pid, 0.0)
            with CpuMeter(serve.pid, opts.database_url) as meter:
                result = asyncio.run(
                    storm(host, port, measured, opts.concurrency, opts.rate, opts.waves)
                )
            fake_cpu = _cpu_seconds([fake.pid]).get(fake.pid, 0.0) - fake_before
            report(result, meter)
            done = sum(result.statuses.values())
            if done:
                # It shares the cores in this bench: part of what the box spends per login.
                print(f"  fake WeChat CPU per login: {fake_cpu * 1000 / done:.2f} ms")
            shape = asyncio.run(users_per_openid(opts.database_url, run))
            print(f"  users per openid: {dict(shape)} (expected {{1: {total}}})")
        finally:
            stop(serve)
            stop(fake)


if __name__ == "__main__":
    main()
