"""Measure gig matching against a running service: p50 / p95 / p99 and throughput.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dsjobs_bench .venv/bin/python -m app serve \
        --no-demo --port 8000 &
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dsjobs_bench \
        .venv/bin/python -m bench.gigs_load --base-url http://127.0.0.1:8000

Needs the data of ``bench.gigs_data`` and the service's JWT secret (the same settings / ``.env``
as the server): it samples bench posters with their open gigs and bench workers from the
database, signs access tokens for them, then for each endpoint — ``GET /api/v1/gigs/{id}/matches``
as the gig's poster and ``GET /api/v1/me/gig-matches`` as a worker — runs ``--concurrency``
clients for ``--duration`` seconds after a warm-up, and prints a Markdown table. With
``--serve-pid`` it also meters the CPU the service (and its workers) and its PostgreSQL backends
spend per request, from /proc — the figure to trust when other work shares the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx

from app.core.clock import system_clock
from app.core.config import get_settings, normalise_database_url
from app.core.security import Security

SAMPLE = 500


def _cpu_seconds(pids: list[int]) -> dict[int, float]:
    """utime + stime of each of ``pids`` still alive."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return seconds


def _family(pid: int) -> list[int]:
    found = [pid]
    for child in Path(f"/proc/{pid}/task").glob("*/children"):
        for token in child.read_text().split():
            found.extend(_family(int(token)))
    return found


class CpuMeter:
    """CPU seconds spent by the service's processes and by the database's other backends."""

    def __init__(self, serve_pid: int | None, url: str) -> None:
        self.serve_pid, self.url = serve_pid, url
        self.before: dict[int, float] = {}
        self.backends: list[int] = []

    async def _pids(self) -> tuple[list[int], list[int]]:
        if self.serve_pid is None:
            return [], []
        conn = await asyncpg.connect(self.url.replace("postgresql+asyncpg", "postgresql"))
        try:
            rows = await conn.fetch(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
        finally:
            await conn.close()
        return _family(self.serve_pid), [r["pid"] for r in rows]

    async def start(self) -> None:
        service, backends = await self._pids()
        self.before = _cpu_seconds(service + backends)
        self.backends = backends

    async def stop(self) -> tuple[float, float]:
        """(service seconds, PostgreSQL seconds) since ``start``."""
        service, backends = await self._pids()
        after = _cpu_seconds(service + backends)

        def spent(pids: list[int]) -> float:
            return sum(after[p] - self.before.get(p, 0.0) for p in pids if p in after)

        return spent(service), spent(backends)


@dataclass
class Result:
    name: str
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    items: int = 0
    seconds: float = 0.0
    cpu: tuple[float, float] = (0.0, 0.0)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    def row(self) -> str:
        count = len(self.latencies_ms)
        return (
            f"| `{self.name}` | {count} | {self.errors} | {self.percentile(50):.1f} | "
            f"{self.percentile(95):.1f} | {self.percentile(99):.1f} | "
            f"{statistics.fmean(self.latencies_ms):.1f} | {count / self.seconds:.0f} | "
            f"{self.items / max(count, 1):.1f} | {self.cpu[0] * 1000 / max(count, 1):.2f} + "
            f"{self.cpu[1] * 1000 / max(count, 1):.2f} |"
        )


Target = tuple[str, dict[str, str]]  # path, headers


async def _targets(url: str, security: Security) -> tuple[list[Target], list[Target]]:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        gigs = await conn.fetch(
            """SELECT g.id, g.poster_id FROM gig g JOIN "user" u ON u.id = g.poster_id
               WHERE g.status = 'open' AND g.starts_at > now() AND u.openid LIKE 'bench-gig-%'
               ORDER BY random() LIMIT $1""",
            SAMPLE,
        )
        workers = await conn.fetch(
            """SELECT p.user_id FROM gig_worker_profile p JOIN "user" u ON u.id = p.user_id
               WHERE u.openid LIKE 'bench-gig-%' ORDER BY random() LIMIT $1""",
            SAMPLE,
        )
    finally:
        await conn.close()
    if not gigs or not workers:
        raise SystemExit("no bench data: run `python -m bench.gigs_data` first")

    def bearer(user_id: uuid.UUID) -> dict[str, str]:
        token = security.tokens.issue(user_id, "user", ("job_seeker",), system_clock())
        return {"Authorization": f"Bearer {token}"}

    matches = [(f"/api/v1/gigs/{r['id']}/matches", bearer(r["poster_id"])) for r in gigs]
    mine = [("/api/v1/me/gig-matches", bearer(r["user_id"])) for r in workers]
    return matches, mine


async def _run(
    client: httpx.AsyncClient,
    name: str,
    targets: list[Target],
    opts: argparse.Namespace,
    meter: CpuMeter,
) -> Result:
    concurrency, duration, warmup = opts.concurrency, opts.duration, opts.warmup
    rng = random.Random(name)
    for path, headers in rng.sample(targets, min(warmup, len(targets))):
        await client.get(path, headers=headers)
    result = Result(name)
    deadline = time.perf_counter() + duration

    async def one_client() -> None:
        while time.perf_counter() < deadline:
            path, headers = rng.choice(targets)
            started = time.perf_counter()
            response = await client.get(path, headers=headers, params={"limit": 20})
            result.latencies_ms.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                result.errors += 1
            else:
                result.items += len(response.json()["items"])

    await meter.start()
    started = time.perf_counter()
    await asyncio.gather(*(one_client() for _ in range(concurrency)))
    result.seconds = time.perf_counter() - started
    result.cpu = await meter.stop()
    return result


async def bench(opts: argparse.Namespace, url: str) -> None:
    security = Security.from_settings(get_settings().security)
    matches, mine = await _targets(url, security)
    concurrency = opts.concurrency
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    meter = CpuMeter(opts.serve_pid, url)
    scenarios: list[tuple[str, list[Target]]] = [
        ("GET /api/v1/gigs/{id}/matches", matches),
        ("GET /api/v1/me/gig-matches", mine),
    ]
    results = []
    async with httpx.AsyncClient(base_url=opts.base_url, limits=limits, timeout=30) as client:
        for name, targets in scenarios:
            results.append(await _run(client, name, targets, opts, meter))
    print(f"concurrency {concurrency}, {opts.duration:.0f} s per endpoint, limit=20")
    print(
        "| endpoint | requests | errors | p50 ms | p95 ms | p99 ms | mean ms | req/s | items "
        "| CPU ms/request (service + PostgreSQL) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for result in results:
        print(result.row())


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per endpoint")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--serve-pid", type=int, help="pid of `python -m app serve` to meter")
    args = parser.parse_args()
    if not args.database_url:
        raise SystemExit("set DATABASE_URL or pass --database-url")
    asyncio.run(bench(args, normalise_database_url(args.database_url)))


if __name__ == "__main__":
    main()
