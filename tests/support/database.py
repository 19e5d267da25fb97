"""Where the tests' PostgreSQL lives: TEST_DATABASE_URL's server, or the embedded one."""

from __future__ import annotations

import asyncio
import os
from typing import Any

from sqlalchemy.engine import make_url

from app.core.config import Settings, normalise_database_url
from app.core.embedded_pg import create_database_if_missing, drop_database

_server_handle: Any = None


def admin_url() -> str:
    """A URL to a database we may use to create and drop the test databases."""
    global _server_handle
    raw = os.environ.get("TEST_DATABASE_URL")
    if raw:
        return normalise_database_url(raw)
    from app.core.embedded_pg import start_embedded

    url, _server_handle = start_embedded(Settings(), database="postgres")
    return url


def database_url(admin: str, name: str) -> str:
    return make_url(admin).set(database=name).render_as_string(hide_password=False)


def recreate_database(admin: str, name: str) -> str:
    asyncio.run(drop_database(admin, name))
    asyncio.run(create_database_if_missing(admin, name))
    return database_url(admin, name)


def drop(admin: str, name: str) -> None:
    asyncio.run(drop_database(admin, name))
