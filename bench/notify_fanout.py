"""Fan-out of one event to many recipients, drained by worker processes against the fake WeChat.

    .venv/bin/python -m bench.notify_fanout --database-url postgresql://postgres@127.0.0.1:5432/postgres

Creates (or empties) the database ``dsjobs_bench_notify`` on that server, migrates it, inserts
``--recipients`` users each holding one subscription credit for the ``event_cancelled``
template, and makes **one** ``notify()`` call for all of them (an event cancelled), committed.
Then it starts the fake WeChat as its own server (``python -m app fake-wechat``) with
``--latency-ms`` added to every send, and ``--workers`` worker processes (``python -m app
worker --queue notifications``) pointed at it, and waits until no notification is left
``pending``/``sending``. It prints the time of the notify call, the time to drain (first send
to last, from the database's ``wechat_sent_at``, and wall time from the workers' start), the
messages per second, the messages the fake received, and duplicates (must be 0).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import asyncpg
import httpx

from app.core.clock import system_clock
from app.core.config import DEMO_APPID, DEMO_SECRET, Settings, normalise_database_url
from app.core.db import create_engine, create_sessionmaker
from app.notifications.kinds import NotificationKind
from app.notifications.outbox import Message, notify

ROOT = Path(__file__).resolve().parents[1]
DATABASE = "dsjobs_bench_notify"
TEMPLATE = "TMPL-bench-cancelled-000000000000000000000"
SEND = "cgi-bin/message/subscribe/send"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _prepare(admin_url: str) -> str:
    conn = await asyncpg.connect(admin_url.replace("+asyncpg", ""))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{DATABASE}"')
    finally:
        await conn.close()
    base, _, _ = admin_url.rpartition("/")
    return f"{base}/{DATABASE}"


async def _seed_and_notify(url: str, recipients: int) -> float:
    """Users with one credit each, then one notify() for all of them; seconds of that call."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(
            'INSERT INTO "user" (id, openid) '
            "SELECT gen_random_uuid(), 'bench-' || g FROM generate_series(1, $1) AS g",
            recipients,
        )
        await conn.execute(
            "INSERT INTO notification_credit (user_id, template_id, credits, last_answer, "
            "updated_at) SELECT id, $1, 1, 'accept', now() FROM \"user\"",
            TEMPLATE,
        )
        user_ids = [row[0] for row in await conn.fetch('SELECT id FROM "user"')]
    finally:
        await conn.close()
    settings = Settings.model_validate({"environment": "test", "database": {"url": url}})
    engine = create_engine(settings, normalise_database_url(url))
    message = Message(
        kind=NotificationKind.EVENT_CANCELLED,
        title="活动取消",
        body="东胜区春季招聘会因天气原因取消",
        page="pages/events/detail?id=bench",
        keywords={"subject": "东胜区春季招聘会", "time": "2026-12-05 09:00", "note": "天气原因"},
        dedupe_key="event:bench:cancelled",
    )
    try:
        started = time.perf_counter()
        async with create_sessionmaker(engine)() as session, session.begin():
            await notify(session, system_clock(), user_ids, message)
        return time.perf_counter() - started
    finally:
        await engine.dispose()


def _environment(url: str, wechat: str) -> dict[str, str]:
    return {
        **os.environ,
        "ENVIRONMENT": "test",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": url,
        "WECHAT_APPID": DEMO_APPID,
        "WECHAT_SECRET": DEMO_SECRET,
        "WECHAT_API_BASE": wechat,
        "NOTIFICATIONS_SUBSCRIBE_TEMPLATES": json.dumps({"event_cancelled": TEMPLATE}),
        "NOTIFICATIONS_TEMPLATE_KEYWORDS": json.dumps(
            {"event_cancelled": {"thing1": "subject", "time2": "time", "thing3": "note"}}
        ),
    }


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a process so far, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _open(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return int(
            await conn.fetchval(
                "SELECT count(*) FROM notification WHERE wechat_state IN ('pending', 'sending')"
            )
        )
    finally:
        await conn.close()


async def _summary(url: str) -> dict[str, object]:
    conn = await asyncpg.connect(url)
    try:
        states = dict(
            await conn.fetch("SELECT wechat_state, count(*) FROM notification GROUP BY 1")
        )
        first, last = await conn.fetchrow(
            "SELECT min(wechat_sent_at), max(wechat_sent_at) FROM notification"
        )
        credits = await conn.fetchval("SELECT sum(credits) FROM notification_credit")
    finally:
        await conn.close()
    return {"states": states, "first": first, "last": last, "credits_left": credits}


def _wait_for(wechat: str) -> None:
    for _ in range(150):
        try:
            httpx.get(f"{wechat}/_fake/stats", timeout=2).raise_for_status()
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("the fake WeChat did not start")


async def _drain(url: str, workers: list[subprocess.Popen[bytes]]) -> None:
    while await _open(url):
        if any(worker.poll() is not None for worker in workers):
            raise RuntimeError("a worker stopped")
        await asyncio.sleep(0.5)


def main(opts: argparse.Namespace) -> None:
    url = asyncio.run(_prepare(opts.database_url))
    subprocess.run(
        [sys.executable, "-m", "app", "migrate"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "ENVIRONMENT": "test"},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    notify_seconds = asyncio.run(_seed_and_notify(url, opts.recipients))
    port = _free_port()
    wechat = f"http://127.0.0.1:{port}"
    fake = subprocess.Popen(
        [sys.executable, "-m", "app", "fake-wechat", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "ENVIRONMENT": "test"},
    )
    workers: list[subprocess.Popen[bytes]] = []
    try:
        _wait_for(wechat)
        httpx.post(
            f"{wechat}/_fake/inject",
            json={"endpoint": SEND, "latency_ms": opts.latency_ms, "times": -1},
        ).raise_for_status()
        started = time.perf_counter()
        command = [sys.executable, "-m", "app", "worker", "--queue", "notifications"]
        workers = [
            subprocess.Popen(
                [*command, "--concurrency", str(opts.concurrency)],
                cwd=ROOT,
                env=_environment(url, wechat),
            )
            for _ in range(opts.workers)
        ]
        asyncio.run(_drain(url, workers))
        wall = time.perf_counter() - started
        cpu = sum(_cpu_seconds(worker.pid) for worker in workers)
        fake_cpu = _cpu_seconds(fake.pid)
        sent = httpx.get(f"{wechat}/_fake/messages", timeout=60).json()["messages"]
    finally:
        for process in [*workers, fake]:
            process.terminate()
        for process in [*workers, fake]:
            process.wait(timeout=60)
    summary = asyncio.run(_summary(url))
    duplicates = sum(n - 1 for n in Counter(m["touser"] for m in sent).values() if n > 1)
    first, last = summary["first"], summary["last"]
    drain = (last - first).total_seconds() if first and last else float("nan")  # type: ignore[operator]
    delivered = len(sent)
    print(f"recipients:             {opts.recipients}")
    print(
        f"workers x concurrency:  {opts.workers} x {opts.concurrency}, latency {opts.latency_ms} ms"
    )
    print(f"notify() call:          {notify_seconds:.2f} s (one INSERT, one enqueue)")
    print(f"drain, first→last send: {drain:.1f} s  ({delivered / drain:.0f} messages/s)")
    print(f"wall from worker start: {wall:.1f} s (includes process start-up)")
    print(
        f"worker CPU:             {cpu:.1f} s ({1000 * cpu / max(delivered, 1):.1f} ms/message, "
        f"start-up included); fake WeChat CPU {fake_cpu:.1f} s"
    )
    print(f"messages at the fake:   {delivered}")
    print(f"duplicates:             {duplicates}")
    print(f"states:                 {summary['states']}")
    print(f"credits left:           {summary['credits_left']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
        help="a server where the bench may create its database (admin connection)",
    )
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--latency-ms", type=int, default=50)
    main(parser.parse_args())
