"""CPU of one first-time WeChat login inside the service process, measured without a server.

    .venv/bin/python -m bench.login_profile \
        --database-url postgresql://postgres@127.0.0.1:5432/dsjobs_login_bench [--profile]

Starts the standalone fake WeChat (``python -m app fake-wechat``, a separate process, so its CPU
is not counted here), builds the app with rate limits on, and calls
``POST /api/v1/auth/wechat/login`` straight through ASGI (no HTTP server, no HTTP client) from
``--concurrency`` tasks. Prints the process CPU per login (what the app, SQLAlchemy, asyncpg and
httpx spend; uvicorn's HTTP parsing excluded), the fake's CPU per login, and with ``--profile``
the functions that cost most (cProfile, cumulative).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
import uuid
from typing import Any

from sqlalchemy import event

from bench.asgi import asgi_request
from bench.jobs_load import _cpu_seconds
from bench.login_storm import (
    LOGIN_PATH,
    ROOT,
    client_address,
    ensure_database,
    free_port,
    mint_codes,
    service_env,
    stop,
    wait_ready,
)


def _counter(counts: dict[str, int], name: str) -> Any:
    def count(*_: object) -> None:
        counts[name] += 1

    return count


async def run(opts: argparse.Namespace, fake_base: str, fake_pid: int) -> None:
    from app.main import create_app

    app = create_app()
    async with app.router.lifespan_context(app):
        connects: dict[str, int] = {"request pool": 0, "side pool": 0}
        for name, engine in (
            ("request pool", app.state.engine),
            ("side pool", app.state.side_engine),
        ):
            event.listen(engine.sync_engine, "connect", _counter(connects, name))
        run_id = f"profile-{uuid.uuid4().hex[:8]}-"
        total = opts.warmup + opts.logins
        codes = await mint_codes(fake_base, [f"{run_id}{i}" for i in range(total)])
        statuses: dict[int, int] = {}

        async def storm(batch: list[str], offset: int) -> None:
            pending = iter(enumerate(batch, offset))

            async def client() -> None:
                for i, code in pending:
                    headers = [
                        (b"content-type", b"application/json"),
                        (b"x-forwarded-for", client_address(i).encode()),
                    ]
                    body = json.dumps({"code": code}).encode()
                    status = await asgi_request(app, "POST", LOGIN_PATH, headers, body=body)
                    statuses[status] = statuses.get(status, 0) + 1

            await asyncio.gather(*(client() for _ in range(opts.concurrency)))

        await storm(codes[: opts.warmup], 0)
        statuses.clear()
        profiler = cProfile.Profile(time.thread_time) if opts.profile else None
        fake_before = _cpu_seconds([fake_pid])
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        await storm(codes[opts.warmup :], opts.warmup)
        if profiler:
            profiler.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        fake_cpu = _cpu_seconds([fake_pid]).get(fake_pid, 0) - fake_before.get(fake_pid, 0)
        n = opts.logins
        print(f"{n} logins in {wall:.2f} s ({n / wall:.0f}/s), answers {statuses}")
        print(f"  service process CPU per login: {cpu * 1000 / n:.2f} ms (no HTTP server)")
        print(f"  fake WeChat CPU per login:     {fake_cpu * 1000 / n:.2f} ms")
        print(f"  new PostgreSQL connections (warm-up included): {connects}")
        if profiler:
            if opts.dump:
                profiler.dump_stats(opts.dump)
            stats = pstats.Stats(profiler)
            stats.sort_stats(opts.sort).print_stats(opts.top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--logins", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=60)
    parser.add_argument("--dump", help="write the cProfile stats to this file")
    opts = parser.parse_args()
    if not opts.database_url:
        raise SystemExit("--database-url (or DATABASE_URL) is required")
    asyncio.run(ensure_database(opts.database_url))
    fake_port = free_port()
    fake_base = f"http://127.0.0.1:{fake_port}"
    with tempfile.TemporaryDirectory() as var:
        os.environ.update(service_env(opts.database_url, fake_base, var))
        fake_cmd = ["fake-wechat", "--port", str(fake_port), "--latency-ms", str(opts.latency_ms)]
        fake = subprocess.Popen(
            [sys.executable, "-m", "app", *fake_cmd], cwd=ROOT, stdout=subprocess.DEVNULL
        )
        try:
            wait_ready(f"{fake_base}/_fake/stats", fake)
            try:
                import uvloop

                uvloop.run(run(opts, fake_base, fake.pid))
            except ImportError:
                asyncio.run(run(opts, fake_base, fake.pid))
        finally:
            stop(fake)


if __name__ == "__main__":
    main()
