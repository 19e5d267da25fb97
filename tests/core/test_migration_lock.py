"""Replicas starting together migrate once: migrations run under a PostgreSQL advisory lock."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from app.core import migrate
from app.core.migrate import MIGRATION_LOCK_KEY
from app.models import Base
from tests.support import database

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fresh_url(admin_url: str) -> Iterator[str]:
    name = f"dsjobs_miglock_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    url = database.recreate_database(admin_url, name)
    yield url
    database.drop(admin_url, name)


async def _migrate(url: str, var: Path) -> asyncio.subprocess.Process:
    env = {**os.environ, "ENVIRONMENT": "development", "DATABASE_URL": url, "VAR_DIR": str(var)}
    env.pop("DEMO_SEED", None)
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "app",
        "migrate",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


@pytest.mark.slow
async def test_concurrent_migrations_on_a_fresh_database_build_the_schema_once(
    fresh_url: str, tmp_path: Path
) -> None:
    engine = create_async_engine(fresh_url)
    try:
        async with engine.connect() as holder:
            # Hold the lock so both runs are surely waiting at the same time.
            await holder.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
            await holder.commit()
            runs = [await _migrate(fresh_url, tmp_path), await _migrate(fresh_url, tmp_path)]
            await asyncio.sleep(3)
            assert [run.returncode for run in runs] == [None, None]  # both queued on the lock
            tables = await holder.execute(
                text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            )
            assert tables.scalar_one() == 0
            await holder.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
            await holder.commit()
            outputs = [await asyncio.wait_for(run.communicate(), 180) for run in runs]
            assert [run.returncode for run in runs] == [0, 0], outputs
            async with engine.connect() as conn:
                versions = (
                    await conn.execute(text("SELECT version_num FROM alembic_version"))
                ).all()
                rows = await conn.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                )
                names = {row[0] for row in rows}
    finally:
        await engine.dispose()
    assert len(versions) == 1
    ours = {name for name in names if not name.startswith(migrate.FOREIGN_PREFIXES)}
    assert ours == {t.name for t in Base.metadata.sorted_tables} | {"alembic_version"}
