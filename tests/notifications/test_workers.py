"""Two real worker processes over the same committed notifications, against the fake WeChat run
as its own server: every message is sent exactly once and every credit spent exactly once."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.core.clock import system_clock
from app.core.config import DEMO_APPID, DEMO_SECRET
from app.notifications.kinds import NotificationKind
from app.notifications.models import Notification, SubscriptionCredit
from app.notifications.outbox import Message, notify
from tests.conftest import truncate_all
from tests.support.factories import make_user

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = "TMPL-race-000000000000000000000000000000000"
SEND = "cgi-bin/message/subscribe/send"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def fake_wechat_url() -> Iterator[str]:
    """``python -m app fake-wechat`` as a real HTTP server, for processes to share."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "fake-wechat", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "ENVIRONMENT": "test"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/_fake/stats", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if process.poll() is not None:
                    raise RuntimeError("the fake WeChat did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def worker_environment(database_url: str, wechat_url: str) -> dict[str, str]:
    """A worker process pointed at ``wechat_url`` with one template for ``event_cancelled``."""
    return {
        **os.environ,
        "ENVIRONMENT": "test",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        "WECHAT_APPID": DEMO_APPID,
        "WECHAT_SECRET": DEMO_SECRET,
        "WECHAT_API_BASE": wechat_url,
        "NOTIFICATIONS_SUBSCRIBE_TEMPLATES": json.dumps({"event_cancelled": TEMPLATE}),
        "NOTIFICATIONS_TEMPLATE_KEYWORDS": json.dumps(
            {"event_cancelled": {"thing1": "subject", "thing2": "note"}}
        ),
    }


async def _run_worker(environment: dict[str, str]) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "app",
        "worker",
        "--until-empty",
        "--concurrency",
        "4",
        cwd=ROOT,
        env=environment,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=180)
    assert process.returncode == 0, stderr.decode()[-2000:]


async def test_two_workers_send_each_message_once_and_spend_each_credit_once(
    engine: AsyncEngine, app: FastAPI, database_url: str, fake_wechat_url: str
) -> None:
    now = system_clock()
    cancelled = NotificationKind.EVENT_CANCELLED  # time-critical: no quiet hours in the way
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
            users = [await make_user(session, app) for _ in range(40)]
            greedy = await make_user(session, app)
            for user in users:
                session.add(
                    SubscriptionCredit(
                        user_id=user.id,
                        template_id=TEMPLATE,
                        credits=1,
                        last_answer="accept",
                        updated_at=now,
                    )
                )
            session.add(
                SubscriptionCredit(
                    user_id=greedy.id,
                    template_id=TEMPLATE,
                    credits=3,
                    last_answer="accept",
                    updated_at=now,
                )
            )
            message = Message(kind=cancelled, title="活动取消", body="招聘会取消", page="p")
            await notify(session, now, [user.id for user in users], message)
            for n in range(5):
                await notify(
                    session,
                    now,
                    [greedy.id],
                    Message(
                        kind=cancelled,
                        title="活动取消",
                        body=f"第{n}场",
                        page="p",
                        keywords={"subject": f"活动{n}"},
                    ),
                )
        # Slow WeChat down so that both workers are sending at the same time.
        async with httpx.AsyncClient(base_url=fake_wechat_url) as fake:
            injected = await fake.post(
                "/_fake/inject", json={"endpoint": SEND, "latency_ms": 20, "times": -1}
            )
            injected.raise_for_status()
        environment = worker_environment(database_url, fake_wechat_url)
        await asyncio.gather(_run_worker(environment), _run_worker(environment))

        async with httpx.AsyncClient(base_url=fake_wechat_url) as fake:
            sent = (await fake.get("/_fake/messages")).json()["messages"]
        per_person = Counter(message["touser"] for message in sent)
        assert per_person[greedy.openid] == 3
        assert all(per_person[user.openid] == 1 for user in users)
        assert len(sent) == 43
        pairs = Counter((m["touser"], m["data"]["thing1"]["value"]) for m in sent)
        assert max(pairs.values()) == 1  # no message twice
        async with AsyncSession(engine) as session:
            states = dict(
                (
                    await session.execute(
                        select(Notification.wechat_state, func.count()).group_by(
                            Notification.wechat_state
                        )
                    )
                ).all()
            )
            left = await session.scalar(select(func.sum(SubscriptionCredit.credits)))
        assert states == {"sent": 43, "no_credit": 2}
        assert left == 0
    finally:
        await truncate_all(engine)
