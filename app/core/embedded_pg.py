"""The embedded PostgreSQL (pgserver) that runs when no DATABASE_URL is given.

The process that calls :func:`start_embedded` owns the server: it is stopped when that process
exits. Child processes (uvicorn workers, test workers) receive the URL through the environment and
never start a server of their own.
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any

import asyncpg

from app.core.config import Settings, normalise_database_url

log = logging.getLogger(__name__)
# pgserver logs chatty INFO lines from atexit, when stdout may already be closed.
logging.getLogger("pgserver").setLevel(logging.WARNING)


def start_embedded(settings: Settings, database: str | None = None) -> tuple[str, Any]:
    """Start (or join) the embedded server; create the database if needed; return its URL."""
    import pgserver  # imported lazily: start-up with DATABASE_URL set never touches it

    data_dir = Path(settings.embedded.dir).resolve()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    _forget_dead_handles(data_dir)
    server = pgserver.get_server(data_dir, cleanup_mode="stop")  # type: ignore[attr-defined]
    name = database or settings.embedded.database
    admin_url = server.get_uri("postgres")
    asyncio.run(create_database_if_missing(admin_url, name))
    url = normalise_database_url(server.get_uri(name))
    log.info("embedded PostgreSQL ready", extra={"data_dir": str(data_dir)})
    return url, server


def _forget_dead_handles(data_dir: Path) -> None:
    """Drop the ids of processes that died without unregistering (killed, crashed).

    pgserver stops the server when the last registered process exits; a stale id would keep it
    running forever after ``serve`` or the tests end.
    """
    import psutil
    from pgserver.postgres_server import PostgresServer

    handles = data_dir / ".handle_pids.json"
    if not handles.exists():
        return
    with PostgresServer._lock:
        try:
            pids = json.loads(handles.read_text())
        except (OSError, ValueError):
            return
        alive = [pid for pid in pids if isinstance(pid, int) and psutil.pid_exists(pid)]
        if alive != pids:
            handles.write_text(json.dumps(alive))


def _asyncpg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def create_database_if_missing(admin_url: str, name: str) -> None:
    """CREATE DATABASE unless it exists (names are ours, quoted all the same)."""
    conn = await asyncpg.connect(_asyncpg_dsn(admin_url))
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            quoted = '"' + name.replace('"', '""') + '"'
            await conn.execute(f"CREATE DATABASE {quoted}")
    finally:
        await conn.close()


async def drop_database(admin_url: str, name: str) -> None:
    conn = await asyncpg.connect(_asyncpg_dsn(admin_url))
    try:
        quoted = '"' + name.replace('"', '""') + '"'
        await conn.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
    finally:
        await conn.close()
