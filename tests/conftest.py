"""Test harness: a real PostgreSQL database per xdist worker, built by the migrations.

* ``client`` — the app over ``httpx.AsyncClient(transport=ASGITransport(app))``; every request's
  session joins one outer transaction that is rolled back after the test (savepoints make the
  app's own commits real inside it).
* ``committing_client`` — for concurrency tests: the app on the real engine with real commits;
  every table is truncated afterwards.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from app.core import migrate
from app.core.clock import system_clock
from app.core.config import Settings
from app.core.db import create_engine, create_sessionmaker
from app.core.queue import TaskRuntime
from app.main import create_app, start_resources, stop_resources
from app.models import Base
from tests.support import database


@pytest.fixture(scope="session")
def worker_id_name(request: pytest.FixtureRequest) -> str:
    # The process id keeps concurrent runs on one server from dropping each other's databases.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"dsjobs_test_{worker}_{os.getpid()}"


@pytest.fixture(scope="session")
def admin_url() -> str:
    return database.admin_url()


@pytest.fixture(scope="session")
def database_url(admin_url: str, worker_id_name: str) -> Iterator[str]:
    url = database.recreate_database(admin_url, worker_id_name)
    migrate.upgrade(url)
    yield url
    database.drop(admin_url, worker_id_name)


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    var = tmp_path_factory.mktemp("var")
    return Settings.model_validate(
        {
            "environment": "test",
            "log_level": "WARNING",
            "demo_seed": False,
            "var_dir": str(var),
            "database": {"url": database_url, "pool_size": 20, "max_overflow": 40},
            "storage": {"root": str(var / "files")},
            "http": {"rate_limits_enabled": False},
        }
    )


@pytest.fixture(scope="session")
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(settings, str(settings.database.url))
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
async def app(settings: Settings, engine: AsyncEngine) -> AsyncIterator[FastAPI]:
    app = create_app(settings)
    await start_resources(app, engine)
    yield app
    await stop_resources(app)


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    async with engine.connect() as conn:
        outer = await conn.begin()
        yield conn
        if outer.is_active:
            await outer.rollback()


@pytest.fixture
async def session(connection: AsyncConnection) -> AsyncIterator[AsyncSession]:
    """A session inside the test's transaction, for arranging and inspecting rows."""
    maker = async_sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    async with maker() as session:
        yield session


def _transport(app: FastAPI) -> httpx.ASGITransport:
    return httpx.ASGITransport(app=app, raise_app_exceptions=False)


@pytest.fixture
async def client(app: FastAPI, connection: AsyncConnection) -> AsyncIterator[httpx.AsyncClient]:
    real_maker = app.state.sessionmaker
    app.state.sessionmaker = async_sessionmaker(
        bind=connection,
        expire_on_commit=False,
        autoflush=False,
        join_transaction_mode="create_savepoint",
    )
    try:
        async with httpx.AsyncClient(transport=_transport(app), base_url="http://test") as c:
            yield c
    finally:
        app.state.sessionmaker = real_maker


async def truncate_all(engine: AsyncEngine) -> None:
    names = [t.name for t in Base.metadata.sorted_tables]
    names += ["procrastinate_jobs", "procrastinate_periodic_defers", "procrastinate_events"]
    tables = ", ".join(f'"{name}"' for name in names)
    if tables:
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
async def committing_client(app: FastAPI, engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    """The app with real commits on the real engine (for concurrency); tables truncated after."""
    app.state.sessionmaker = create_sessionmaker(engine)
    try:
        async with httpx.AsyncClient(transport=_transport(app), base_url="http://test") as c:
            yield c
    finally:
        await truncate_all(engine)


@pytest.fixture
def task_runtime(app: FastAPI, settings: Settings, connection: AsyncConnection) -> TaskRuntime:
    """What a worker's task gets, on the test's transaction (``tests.support.queue.run_jobs``).

    Replace the clock with ``dataclasses.replace(task_runtime, clock=fake)``.
    """
    maker = async_sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    return TaskRuntime(
        settings=settings,
        sessionmaker=maker,
        clock=system_clock,
        adapters={"wechat": app.state.wechat, "fake_wechat": app.state.fake_wechat},
    )


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def pytest_configure(config: Any) -> None:
    os.environ.setdefault("ENVIRONMENT", "test")
