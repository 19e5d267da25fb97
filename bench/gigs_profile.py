"""CPU of the two match lists inside the service process, measured without a server.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dsjobs_gigs_bench \
        .venv/bin/python -m bench.gigs_profile [--requests 400] [--rounds 3] [--profile matches]

Needs the data of ``bench.gigs_data``. Builds the app, samples posters with their gigs and
workers like ``bench.gigs_load`` and calls ``GET /api/v1/gigs/{id}/matches`` and
``GET /api/v1/me/gig-matches`` (``limit=20``) straight through ASGI, one request at a time: no
HTTP server, no HTTP client, no other process competing inside the measure. Prints, per
endpoint and round, the process CPU per request (the app, SQLAlchemy, asyncpg) and the CPU the
app's PostgreSQL backends spent per request; with ``--profile`` the functions that cost most
for one endpoint (cProfile).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import time
from typing import Any

import asyncpg

from app.core.clock import system_clock
from app.core.config import get_settings, normalise_database_url
from app.core.security import Security
from bench.asgi import asgi_request
from bench.gigs_load import SAMPLE, _cpu_seconds

ENDPOINTS = {"matches": "GET /api/v1/gigs/{id}/matches", "mine": "GET /api/v1/me/gig-matches"}


Target = tuple[str, list[tuple[bytes, bytes]]]


async def targets(url: str, security: Security) -> dict[str, list[Target]]:
    """Poster-and-gig pairs and workers of the bench data, with signed user tokens."""
    conn = await asyncpg.connect(url)
    try:
        gigs = await conn.fetch(
            """SELECT g.id, g.poster_id FROM gig g JOIN "user" u ON u.id = g.poster_id
               WHERE g.status = 'open' AND g.starts_at > now() AND u.openid LIKE 'bench-gig-%'
               ORDER BY md5(g.id::text) LIMIT $1""",
            SAMPLE,
        )
        workers = await conn.fetch(
            """SELECT p.user_id FROM gig_worker_profile p JOIN "user" u ON u.id = p.user_id
               WHERE u.openid LIKE 'bench-gig-%' ORDER BY md5(p.user_id::text) LIMIT $1""",
            SAMPLE,
        )
    finally:
        await conn.close()
    if not gigs or not workers:
        raise SystemExit("no bench data: run `python -m bench.gigs_data` first")

    def bearer(user_id: Any) -> list[tuple[bytes, bytes]]:
        token = security.tokens.issue(user_id, "user", ("job_seeker",), system_clock())
        return [(b"authorization", f"Bearer {token}".encode())]

    return {
        "matches": [(f"/api/v1/gigs/{r['id']}/matches", bearer(r["poster_id"])) for r in gigs],
        "mine": [("/api/v1/me/gig-matches", bearer(r["user_id"])) for r in workers],
    }


async def backends(url: str) -> list[int]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
    finally:
        await conn.close()
    return [r["pid"] for r in rows]


async def measure(
    app: Any, url: str, calls: list[Target], profiler: cProfile.Profile | None
) -> tuple[float, float, dict[int, int]]:
    """(process CPU ms, PostgreSQL CPU ms) per request, and the statuses seen."""
    pids = await backends(url)
    pg_before = _cpu_seconds(pids)
    statuses: dict[int, int] = {}
    cpu = time.process_time()
    if profiler:
        profiler.enable()
    for path, headers in calls:
        status = await asgi_request(app, "GET", path, headers, query=b"limit=20")
        statuses[status] = statuses.get(status, 0) + 1
    if profiler:
        profiler.disable()
    cpu = time.process_time() - cpu
    pg_after = _cpu_seconds(pids)
    pg = sum(pg_after[p] - pg_before.get(p, 0.0) for p in pids if p in pg_after)
    return cpu * 1000 / len(calls), pg * 1000 / len(calls), statuses


async def run(opts: argparse.Namespace, url: str) -> None:
    from app.main import create_app

    app = create_app()
    security = Security.from_settings(get_settings().security)
    pool = await targets(url, security)
    chosen = [opts.only] if opts.only else list(ENDPOINTS)
    async with app.router.lifespan_context(app):
        for name in chosen:  # warm-up: statements prepared, caches filled
            for path, headers in pool[name][: opts.warmup]:
                await asgi_request(app, "GET", path, headers, query=b"limit=20")
        for round_ in range(1, opts.rounds + 1):
            for name in chosen:
                calls = [pool[name][i % len(pool[name])] for i in range(opts.requests)]
                profiler = None
                if opts.profile == name and round_ == opts.rounds:
                    profiler = cProfile.Profile(time.process_time)
                service, pg, statuses = await measure(app, url, calls, profiler)
                print(
                    f"round {round_} {ENDPOINTS[name]}: {service:.2f} ms service + "
                    f"{pg:.2f} ms PostgreSQL CPU per request, answers {statuses}",
                    flush=True,
                )
                if profiler:
                    stats = pstats.Stats(profiler)
                    stats.sort_stats(opts.sort).print_stats(opts.top)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--requests", type=int, default=400, help="per endpoint and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--only", choices=sorted(ENDPOINTS))
    parser.add_argument("--profile", choices=sorted(ENDPOINTS), help="cProfile the last round")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=45)
    opts = parser.parse_args()
    if not opts.database_url:
        raise SystemExit("set DATABASE_URL or pass --database-url")
    os.environ["DATABASE_URL"] = opts.database_url  # the app profiled reads the same database
    get_settings.cache_clear()
    url = normalise_database_url(opts.database_url).replace("postgresql+asyncpg", "postgresql")
    try:
        import uvloop

        uvloop.run(run(opts, url))
    except ImportError:
        asyncio.run(run(opts, url))


if __name__ == "__main__":
    main()
