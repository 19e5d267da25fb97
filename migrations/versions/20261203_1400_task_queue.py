"""procrastinate's task queue schema (tables, functions and triggers named procrastinate_*).

The SQL is procrastinate's own ``schema.sql`` of the pinned version (requirements/*.txt). A later
procrastinate release ships migration files of its own (``procrastinate/sql/migrations``): an
upgrade of the library comes with an Alembic migration that applies the new ones.

Revision ID: 8d4e6a1c2b90
Revises: 7e3b2f90c4d1
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op
from procrastinate.schema import SchemaManager
from sqlalchemy.util import await_only

revision = "8d4e6a1c2b90"
down_revision = "7e3b2f90c4d1"
branch_labels = None
depends_on = None


def _execute_script(sql: str) -> None:
    """Run a multi-statement script with asyncpg's simple query protocol (no parameters).

    A prepared statement holds one command; the schema holds many, with dollar-quoted bodies.
    """
    driver = op.get_bind().connection.dbapi_connection.driver_connection  # type: ignore[union-attr]
    await_only(driver.execute(sql))


def upgrade() -> None:
    _execute_script(SchemaManager.get_schema())


_DROP_ALL = """
DO $$
DECLARE item record;
BEGIN
    FOR item IN SELECT tablename FROM pg_tables
                WHERE schemaname = current_schema() AND tablename LIKE 'procrastinate\\_%'
    LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', item.tablename);
    END LOOP;
    FOR item IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
                JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate\\_%'
    LOOP
        EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', item.signature);
    END LOOP;
    FOR item IN SELECT t.typname FROM pg_type t
                JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE n.nspname = current_schema() AND t.typname LIKE 'procrastinate\\_%'
                  AND t.typtype IN ('e', 'c')
    LOOP
        EXECUTE format('DROP TYPE IF EXISTS %I CASCADE', item.typname);
    END LOOP;
END $$;
"""


def downgrade() -> None:
    _execute_script(_DROP_ALL)
