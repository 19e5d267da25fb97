"""Fixtures of the console's tests: a live server with its own database per xdist worker (for
the browser), headless Chromium through Playwright, and helpers that arrange committed data."""

from __future__ import annotations

import asyncio
import io
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from tests.support import database

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "test-artefacts"
CHROMIUM = "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class LiveServer:
    base: str
    database_url: str

    def staff_token(self, username: str = "demo.admin") -> str:
        from app.demo.identity import DEMO_PASSWORD

        body = {"username": username, "password": DEMO_PASSWORD}
        response = httpx.post(f"{self.base}/api/v1/auth/staff/login", json=body, timeout=10)
        response.raise_for_status()
        return str(response.json()["access_token"])

    def user_token(self, openid: str) -> str:
        code = httpx.post(
            f"{self.base}/api/v1/demo/wechat-code", json={"openid": openid}, timeout=10
        ).json()["code"]
        response = httpx.post(f"{self.base}/api/v1/auth/wechat/login", json={"code": code})
        response.raise_for_status()
        return str(response.json()["access_token"])

    def api(self, method: str, path: str, token: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"}
        return httpx.request(method, f"{self.base}{path}", headers=headers, timeout=20, **kwargs)


CONSOLE_SEEDERS = (
    "staff",
    "service_items",
    "stations",
    "employers",
    "subsidy_applications",
    "events",
)


async def _seed(url: str) -> None:
    """The demo data the console's tests use (staff accounts, stations, employers, sample
    applications, fairs) — not the hundreds of jobs and gigs that make `serve` slow to start."""
    from app.core.config import get_settings
    from app.core.db import create_engine, create_sessionmaker
    from app.demo.seed import _seeders

    engine = create_engine(get_settings(), url)
    try:
        async with create_sessionmaker(engine)() as session:
            for name, seeder in _seeders():
                if name in CONSOLE_SEEDERS:
                    await seeder(session)
            await session.commit()
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def live_server(admin_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """`python -m app serve` on a free port over a fresh database with the demo data (its staff
    accounts, stations and sample applications); committed data, dropped at the end."""
    name = f"dsjobs_console_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    url = database.recreate_database(admin_url, name)
    port = _free_port()
    var = tmp_path_factory.mktemp("consolevar")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "VAR_DIR": str(var),
        "STORAGE_ROOT": str(var / "files"),
        "LOG_LEVEL": "WARNING",
        "ENVIRONMENT": "test",
        "HTTP_RATE_LIMITS_ENABLED": "false",
        "DEMO_SEED": "false",  # the pieces the console needs are seeded below, the rest skipped
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # migrations and the demo data, on a busy machine
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "serve exited")
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        else:
            raise RuntimeError("server did not become ready")
        off_loop(_seed(url))
        yield LiveServer(base=base, database_url=url)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        database.drop(admin_url, name)


@pytest.fixture(scope="module")
def browser(live_server: LiveServer) -> Iterator[Any]:
    """Headless Chromium (Debian's package; scripts/browser-deps installs it). Started after the
    server, and per module: Playwright's sync API keeps an event loop running in this thread
    while it lives, which the async tests and the database fixtures of the worker must not meet."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("chromium is missing: run scripts/browser-deps")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, live_server: LiveServer, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser context (no cookies) on the live server; a screenshot is saved at the end
    under test-artefacts/ (pass or fail)."""
    context = browser.new_context(base_url=live_server.base, locale="zh-CN")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    try:
        yield tab
    finally:
        ARTEFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTEFACTS / f"{request.node.name}.png"), full_page=True)
        context.close()


def off_loop(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to the end in a thread of its own (Playwright owns this thread's loop)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def login(page: Any, username: str, password: str | None = None) -> None:
    from app.demo.identity import DEMO_PASSWORD

    page.goto("/console/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password or DEMO_PASSWORD)
    page.click("button[type=submit]")


def png_bytes() -> bytes:
    """A small real PNG (the upload endpoint decides the type by the content)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (31, 95, 168)).save(buffer, format="PNG")
    return buffer.getvalue()
