"""Mixed job-search load and job-detail load against a running service; prints latency figures.

    .venv/bin/python -m bench.jobs_load --base-url http://127.0.0.1:8000 \
        --database-url postgresql://postgres@127.0.0.1:5432/dsjobs_bench --duration 30

Phase 1 (search) draws requests from four kinds — keyword only (relevance), keyword + filters,
near me (distance order) and newest (half with a category filter) — and phase 2 fetches
``GET /api/v1/jobs/{id}`` for random published jobs. Each phase prints p50/p95/p99 latency and
throughput (and per kind for search). ``--only broad`` runs one more phase instead: the same
broad keyword search (``--broad-words``, default 司机) over and over, the relevance worst case.
``--wrk`` drives the same request lists with wrk (C, far cheaper than a Python client on a
2-core box); without it an httpx async client with ``--concurrency`` connections is used
(``--processes`` splits it over several processes).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import asyncpg
import httpx

from app.taxonomy import areas, occupation_categories, occupations

ORDOS_POINTS = (
    (39.608, 109.781),
    (39.562, 109.744),
    (40.400, 110.030),
    (39.865, 111.240),
    (39.835, 108.730),
)
FILTERS = (
    lambda rng: {"area_code": rng.choice(areas()).code},
    lambda rng: {"salary_min_fen": rng.choice((400_000, 600_000, 800_000))},
    lambda rng: {"job_type": rng.choice(("full_time", "part_time"))},
    lambda rng: {"education": rng.choice(("senior_high", "associate", "bachelor"))},
    lambda rng: {"open_to_graduates": "true"},
    lambda rng: {"posted_within_days": rng.choice((3, 7, 30))},
)


def _keyword(rng: random.Random) -> str:
    occupation = rng.choice(occupations())
    return rng.choice(occupation.terms) if rng.random() < 0.3 else occupation.name


def search_request(rng: random.Random) -> tuple[str, str]:
    """(kind, path) of one search of the mix."""
    roll = rng.random()
    if roll < 0.30:
        return "keyword", "/api/v1/jobs?" + urlencode({"q": _keyword(rng)})
    if roll < 0.55:
        params: dict[str, object] = {"q": _keyword(rng)}
        for make in rng.sample(FILTERS, rng.choice((1, 2))):
            params.update(make(rng))
        return "keyword+filters", "/api/v1/jobs?" + urlencode(params)
    if roll < 0.80:
        if rng.random() < 0.6:
            area = rng.choice(areas())
            lat, lng = area.lat, area.lng
        else:
            lat, lng = rng.choice(ORDOS_POINTS)
        near = {
            "lat": round(lat + rng.gauss(0, 0.01), 5),
            "lng": round(lng + rng.gauss(0, 0.01), 5),
            "radius_km": rng.choice((3, 5, 10)),
        }
        return "near", "/api/v1/jobs?" + urlencode(near)
    newest: dict[str, object] = {"sort": "newest"}
    if rng.random() < 0.5:
        newest["category"] = rng.choice(occupation_categories()).code
    return "newest", "/api/v1/jobs?" + urlencode(newest)


async def job_ids(base_url: str, database_url: str | None, count: int) -> list[str]:
    """Published job ids: from the database if given, else from a few search pages."""
    if database_url:
        conn = await asyncpg.connect(database_url.replace("postgresql+asyncpg", "postgresql"))
        try:
            rows = await conn.fetch(
                "SELECT id FROM job TABLESAMPLE SYSTEM (5) WHERE status = 'published' "
                "AND valid_until >= current_date LIMIT $1",
                count,
            )
        finally:
            await conn.close()
        return [str(row["id"]) for row in rows]
    ids: list[str] = []
    async with httpx.AsyncClient(base_url=base_url) as client:
        for category in occupation_categories():
            page = await client.get("/api/v1/jobs", params={"category": category.code, "limit": 50})
            ids.extend(item["id"] for item in page.json()["items"])
    return ids


@dataclass
class Result:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0
    elapsed: float = 0.0

    def merge(self, other: Result) -> None:
        for kind, values in other.latencies.items():
            self.latencies.setdefault(kind, []).extend(values)
        self.errors += other.errors
        self.elapsed = max(self.elapsed, other.elapsed)


async def _drive(
    base_url: str, requests: list[tuple[str, str]], concurrency: int, duration: float
) -> Result:
    result = Result()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    deadline = time.perf_counter() + duration
    counter = iter(range(10**9))

    async def worker(client: httpx.AsyncClient) -> None:
        while time.perf_counter() < deadline:
            kind, path = requests[next(counter) % len(requests)]
            started = time.perf_counter()
            try:
                response = await client.get(path)
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            if ok:
                result.latencies.setdefault(kind, []).append(time.perf_counter() - started)
            else:
                result.errors += 1

    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        result.elapsed = time.perf_counter() - started
    return result


def _drive_in_process(args: tuple[str, list[tuple[str, str]], int, float, int]) -> Result:
    base_url, requests, concurrency, duration, offset = args
    rotated = requests[offset:] + requests[:offset]
    return asyncio.run(_drive(base_url, rotated, concurrency, duration))


def run_httpx(base_url: str, requests: list[tuple[str, str]], opts: argparse.Namespace) -> Result:
    per_process = max(1, opts.concurrency // opts.processes)
    jobs = [
        (base_url, requests, per_process, opts.duration, i * len(requests) // opts.processes)
        for i in range(opts.processes)
    ]
    total = Result()
    if opts.processes == 1:
        total.merge(_drive_in_process(jobs[0]))
        return total
    with multiprocessing.get_context("spawn").Pool(opts.processes) as pool:
        for part in pool.map(_drive_in_process, jobs):
            total.merge(part)
    return total


WRK_SCRIPT = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local i = math.random(#paths)
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  io.write(string.format("WRK %%d %%d %%d %%.3f %%.3f %%.3f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


def run_wrk(
    base_url: str, requests: list[tuple[str, str]], opts: argparse.Namespace
) -> tuple[str, int]:
    with tempfile.TemporaryDirectory() as tmp:
        paths = Path(tmp) / "paths.txt"
        paths.write_text("\n".join(path for _, path in requests) + "\n")
        script = Path(tmp) / "mix.lua"
        script.write_text(WRK_SCRIPT % paths)
        command = [
            "wrk", f"-t{opts.threads}", f"-c{opts.concurrency}", f"-d{int(opts.duration)}s",
            "--timeout", "10s", "-s", str(script), base_url,
        ]  # fmt: skip
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"WRK (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)", output)
    if match is None:
        raise SystemExit(f"could not read wrk's output:\n{output}")
    count, errors, micros, p50, p95, p99 = match.groups()
    seconds = int(micros) / 1e6
    figures = (
        f"{int(count):>8} requests in {seconds:.1f}s, {int(errors)} errors, "
        f"{int(count) / seconds:>7.0f} req/s, p50 {float(p50):.1f} ms, p95 {float(p95):.1f} ms, "
        f"p99 {float(p99):.1f} ms"
    )
    return figures, int(count)


def _cpu_seconds(pids: list[int]) -> dict[int, float]:
    """utime + stime of each of ``pids`` still alive, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return seconds


def _spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU spent between two readings by processes alive at the end (new ones count whole)."""
    return sum(value - before.get(pid, 0.0) for pid, value in after.items())


def _children(pid: int) -> list[int]:
    found = [pid]
    for child in Path(f"/proc/{pid}/task").glob("*/children"):
        for token in child.read_text().split():
            found.extend(_children(int(token)))
    return found


async def _backend_pids(database_url: str) -> list[int]:
    conn = await asyncpg.connect(database_url.replace("postgresql+asyncpg", "postgresql"))
    try:
        rows = await conn.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
    finally:
        await conn.close()
    return [row["pid"] for row in rows]


class CpuMeter:
    """CPU seconds the service (uvicorn workers) and its PostgreSQL backends spend, so the
    cost per request can be read even when other work shares the machine."""

    def __init__(self, serve_pid: int | None, database_url: str | None) -> None:
        self.serve_pid, self.database_url = serve_pid, database_url
        self.app_pids: list[int] = []
        self.db_pids: list[int] = []
        self.before: tuple[dict[int, float], dict[int, float]] = ({}, {})
        self.app = self.db = 0.0

    def _pids(self) -> tuple[list[int], list[int]]:
        app = _children(self.serve_pid) if self.serve_pid else []
        db = asyncio.run(_backend_pids(self.database_url)) if self.database_url else []
        return app, db

    def __enter__(self) -> CpuMeter:
        self.app_pids, self.db_pids = self._pids()
        self.before = (_cpu_seconds(self.app_pids), _cpu_seconds(self.db_pids))
        return self

    def __exit__(self, *exc: object) -> None:
        app_pids, db_pids = self._pids()
        self.app = _spent(self.before[0], _cpu_seconds(app_pids))
        self.db = _spent(self.before[1], _cpu_seconds(db_pids))

    def report(self, requests: int) -> str:
        if not requests or not (self.app_pids or self.db_pids):
            return ""
        app_ms, db_ms = self.app * 1000 / requests, self.db * 1000 / requests
        capacity = 2000 / (app_ms + db_ms) if app_ms + db_ms else 0
        return (
            f"  CPU per request: service {app_ms:.2f} ms + PostgreSQL {db_ms:.2f} ms "
            f"→ at most ~{capacity:.0f} req/s on 2 dedicated cores (load generator excluded)"
        )


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def report(title: str, result: Result) -> None:
    everything = [v for values in result.latencies.values() for v in values]
    print(f"\n{title}")
    rows = [*sorted(result.latencies.items()), ("all", everything)]
    for kind, values in rows:
        if not values:
            continue
        print(
            f"  {kind:<16} {len(values):>7} req {len(values) / result.elapsed:>7.0f} req/s  "
            f"p50 {_percentile(values, 0.50):6.1f} ms  p95 {_percentile(values, 0.95):6.1f} ms  "
            f"p99 {_percentile(values, 0.99):6.1f} ms  (mean {statistics.fmean(values) * 1000:.1f})"
        )
    print(f"  errors: {result.errors}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--wrk", action="store_true", help="drive the load with wrk")
    parser.add_argument("--warmup", type=float, default=5, help="seconds of unmeasured load")
    parser.add_argument(
        "--only", choices=("search", "detail", "broad"), help="broad: only the broad-word phase"
    )
    parser.add_argument(
        "--broad-words",
        default="司机",
        help="comma-separated words of the broad-keyword phase (default 司机: ≈ 16,000 matches)",
    )
    parser.add_argument(
        "--serve-pid", type=int, help="pid of `python -m app serve`: report CPU per request"
    )
    opts = parser.parse_args()
    if opts.wrk and shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk), or drop --wrk")
    rng = random.Random(20251126)
    searches = [search_request(rng) for _ in range(20_000)]
    ids = asyncio.run(job_ids(opts.base_url, opts.database_url, 20_000))
    details = [("detail", f"/api/v1/jobs/{job_id}") for job_id in ids]
    broad = [("broad", "/api/v1/jobs?" + urlencode({"q": w})) for w in opts.broad_words.split(",")]
    phases = [
        ("search", "search mix", searches),
        ("detail", "job detail", details),
        ("broad", "broad keyword", broad),
    ]
    for key, title, requests in phases:
        if (opts.only and key != opts.only) or (key == "broad" and opts.only != "broad"):
            continue
        _phase(title, requests, opts)


def cache_lookups(base_url: str) -> dict[tuple[str, str], float]:
    """The service's read-cache lookups so far ({(cache, hit|miss): count}, all workers)."""
    found: dict[tuple[str, str], float] = {}
    try:
        text = httpx.get(f"{base_url}/metrics", timeout=5).text
    except httpx.HTTPError:
        return found
    for line in text.splitlines():
        if line.startswith("read_cache_lookups_total{"):
            labels, _, value = line.partition("} ")
            parts = dict(p.split("=", 1) for p in labels.split("{", 1)[1].split(","))
            key = (parts["cache"].strip('"'), parts["result"].strip('"'))
            found[key] = found.get(key, 0.0) + float(value)
    return found


def cache_report(before: dict[tuple[str, str], float], after: dict[tuple[str, str], float]) -> str:
    lines = []
    for cache in sorted({name for name, _ in after}):
        hits = after.get((cache, "hit"), 0.0) - before.get((cache, "hit"), 0.0)
        misses = after.get((cache, "miss"), 0.0) - before.get((cache, "miss"), 0.0)
        if hits + misses:
            share = 100 * hits / (hits + misses)
            lines.append(f"  {cache} cache: {hits:.0f} hits of {hits + misses:.0f} ({share:.0f} %)")
    return "\n".join(lines)


def _phase(title: str, requests: list[tuple[str, str]], opts: argparse.Namespace) -> None:
    if opts.warmup:
        warm = argparse.Namespace(**{**vars(opts), "duration": opts.warmup})
        if opts.wrk:
            run_wrk(opts.base_url, requests, warm)
        else:
            run_httpx(opts.base_url, requests, warm)
    lookups = cache_lookups(opts.base_url)
    with CpuMeter(opts.serve_pid, opts.database_url) as meter:
        if opts.wrk:
            figures, count = run_wrk(opts.base_url, requests, opts)
        else:
            result = run_httpx(opts.base_url, requests, opts)
            count = sum(len(values) for values in result.latencies.values()) + result.errors
    if opts.wrk:
        print(f"\n{title} (wrk, {opts.concurrency} connections)\n  {figures}")
    else:
        report(f"{title} (httpx, {opts.concurrency} connections)", result)
    print(meter.report(count))
    caches = cache_report(lookups, cache_lookups(opts.base_url))
    if caches:
        print(caches)


if __name__ == "__main__":
    main()
