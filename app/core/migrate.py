"""Run Alembic programmatically (serve, the CLI and the tests share this).

``migrations/env.py`` holds a PostgreSQL advisory lock (``MIGRATION_LOCK_KEY``) for the whole
run, so replicas that start together migrate one after the other: the first builds the schema,
the others find it at head and do nothing.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from app.core.db import advisory_key

ROOT = Path(__file__).resolve().parents[2]
MIGRATION_LOCK_KEY = advisory_key("migrations", "alembic")

# Objects another library owns: procrastinate's task queue (app.core.queue). A migration creates
# them; the models do not describe them, so autogenerate and the model comparison skip them.
FOREIGN_PREFIXES = ("procrastinate_",)


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's ``include_name`` hook: leave the objects of ``FOREIGN_PREFIXES`` alone."""
    return not (type_ in {"table", "index"} and name and name.startswith(FOREIGN_PREFIXES))


def alembic_config(database_url: str | None = None) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["configure_logger"] = False
    if database_url:
        config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)
