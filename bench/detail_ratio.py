"""Job detail: the service against its floor (bench.baseline_detail), in one run, with the ratio.

    .venv/bin/python -m bench.detail_ratio \
        --database-url postgresql://postgres@127.0.0.1:5432/dsjobs_bench --duration 15

Starts the baseline (Starlette + asyncpg, 2 workers) and the service (``python -m app serve
--workers 2``) with the read cache on (``HTTP_READ_CACHE_SECONDS`` default) and, with
``--cache both``, again with it off, checks that both answer the same JSON for a sample of jobs,
then drives ``GET /api/v1/jobs/{id}`` on the same random published jobs against each in turn
(wrk when installed, else httpx), each after a warm-up. Prints throughput, p50/p95/p99, the CPU
per request of the server processes and their PostgreSQL backends, and the ratio of each
service run to the baseline's throughput.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from bench.jobs_load import CpuMeter, job_ids, run_httpx, run_wrk


@dataclass
class Run:
    name: str
    figures: str
    count: int
    seconds: float
    cpu: str

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


@contextmanager
def server(command: list[str], env: dict[str, str], url: str) -> Iterator[int]:
    """A server process group, started and waited for; stopped (SIGTERM, then SIGKILL) after."""
    process = subprocess.Popen(
        command, env={**os.environ, **env}, start_new_session=True, stdout=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"{command[:4]} exited with {process.returncode}")
            try:
                if httpx.get(url, timeout=2).status_code in (200, 404):
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        else:
            raise SystemExit(f"{url} did not answer within 90 s")
        yield process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def same_json(service_url: str, baseline_url: str, paths: list[str]) -> None:
    with httpx.Client() as client:
        for path in paths:
            ours = client.get(service_url + path)
            floor = client.get(baseline_url + path)
            if ours.status_code != 200 or ours.json() != floor.json():
                raise SystemExit(f"{path}: the service and the baseline answer differently")


def measure(name: str, url: str, pid: int, paths: list[str], opts: argparse.Namespace) -> Run:
    requests = [("detail", path) for path in paths]
    warm = argparse.Namespace(**{**vars(opts), "duration": opts.warmup})
    if opts.wrk:
        run_wrk(url, requests, warm)
    else:
        run_httpx(url, requests, warm)
    with CpuMeter(pid, opts.database_url) as meter:
        started = time.perf_counter()
        if opts.wrk:
            figures, count = run_wrk(url, requests, opts)
        else:
            result = run_httpx(url, requests, opts)
            values = sorted(v for vs in result.latencies.values() for v in vs)
            count = len(values)
            pick = lambda q: values[min(len(values) - 1, int(q * len(values)))] * 1000  # noqa: E731
            figures = (
                f"{count:>8} requests, {result.errors} errors, {count / result.elapsed:>7.0f} "
                f"req/s, p50 {pick(0.5):.1f} ms, p95 {pick(0.95):.1f} ms, p99 {pick(0.99):.1f} ms"
            )
        seconds = time.perf_counter() - started
    return Run(name, figures, count, seconds, meter.report(count))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), required=False)
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--processes", type=int, default=1, help="httpx driver processes")
    parser.add_argument("--jobs", type=int, default=20_000, help="distinct job ids requested")
    parser.add_argument("--cache", choices=("on", "off", "both"), default="both")
    parser.add_argument(
        "--full-route",
        action="store_true",
        help="also measure the documented FastAPI route (a query string skips the lean path)",
    )
    parser.add_argument("--port", type=int, default=8310)
    opts = parser.parse_args()
    if not opts.database_url:
        raise SystemExit("--database-url (or DATABASE_URL) is required")
    opts.wrk = shutil.which("wrk") is not None
    env = {"DATABASE_URL": opts.database_url, "LOG_LEVEL": "WARNING"}
    ids = asyncio.run(job_ids("", opts.database_url, opts.jobs))
    random.Random(16).shuffle(ids)
    paths = [f"/api/v1/jobs/{job_id}" for job_id in ids]
    probe = paths[0]
    python = sys.executable
    baseline_url = f"http://127.0.0.1:{opts.port + 1}"
    baseline_cmd = [
        python, "-m", "uvicorn", "bench.baseline_detail:app", "--workers", "2",
        "--port", str(opts.port + 1), "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    service_url = f"http://127.0.0.1:{opts.port}"
    service_cmd = [python, "-m", "app", "serve", "--workers", "2", "--no-demo"]
    service_cmd += ["--port", str(opts.port)]
    variants = {"on": ["60"], "off": ["0"], "both": ["60", "0"]}[opts.cache]
    driver = "wrk" if opts.wrk else "httpx"
    print(f"{len(paths)} distinct jobs, {opts.concurrency} connections ({driver}), ", end="")
    print(f"{opts.warmup:.0f} s warm-up + {opts.duration:.0f} s per run")
    runs: list[Run] = []
    with server(baseline_cmd, env, baseline_url + probe) as baseline_pid:
        floor_name = "baseline (Starlette + asyncpg)"
        runs.append(measure(floor_name, baseline_url, baseline_pid, paths, opts))
        for ttl in variants:
            service_env = {**env, "HTTP_READ_CACHE_SECONDS": ttl}
            with server(service_cmd, service_env, service_url + probe) as service_pid:
                time.sleep(1)  # the cache listener connects
                same_json(service_url, baseline_url, paths[:20])
                name = f"service, read cache {'on' if ttl != '0' else 'off'}"
                runs.append(measure(name, service_url, service_pid, paths, opts))
                if opts.full_route and ttl == "0":
                    full = [f"{path}?route=full" for path in paths]
                    name = "service, full FastAPI route"
                    runs.append(measure(name, service_url, service_pid, full, opts))
    floor = runs[0].rate
    for run in runs:
        shown = floor and run is not runs[0]
        ratio = f"  = {run.rate / floor:.0%} of the baseline" if shown else ""

        print(f"\n{run.name}{ratio}\n  {run.figures}\n{run.cpu}")


if __name__ == "__main__":
    main()
