"""Migrations go up, down and up again, and agree with the models."""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import create_async_engine

from app.core import migrate
from app.models import Base
from tests.support import database


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "compare_server_default": True,
            "include_name": migrate.include_name,
        },
    )
    return list(compare_metadata(context, Base.metadata))


@pytest.fixture
def scratch_url(admin_url: str) -> object:
    name = f"dsjobs_migrations_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    url = database.recreate_database(admin_url, name)
    yield url
    database.drop(admin_url, name)


async def _tables(url: str) -> set[str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            )
            return {row[0] for row in rows}
    finally:
        await engine.dispose()


async def _model_diff(url: str) -> list[object]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_diff)
    finally:
        await engine.dispose()


@pytest.mark.slow
def test_round_trip_and_models_match(scratch_url: str) -> None:
    import asyncio

    migrate.upgrade(scratch_url)
    expected = {t.name for t in Base.metadata.sorted_tables} | {"alembic_version"}
    tables = asyncio.run(_tables(scratch_url))
    assert {t for t in tables if not t.startswith(migrate.FOREIGN_PREFIXES)} == expected
    assert "procrastinate_jobs" in tables  # the task queue's own schema

    migrate.downgrade(scratch_url, "base")
    assert asyncio.run(_tables(scratch_url)) <= {"alembic_version"}

    migrate.upgrade(scratch_url)
    assert asyncio.run(_model_diff(scratch_url)) == []
