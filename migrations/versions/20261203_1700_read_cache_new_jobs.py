"""read cache new jobs: a new job NOTIFYs the response caches (search pages may gain it)

Revision ID: 5e1b7c3a9d24
Revises: 3b9d5e7f1a20
Create Date: 2026-12-03 17:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5e1b7c3a9d24"
down_revision: str | None = "3b9d5e7f1a20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "dsjobs_cache"


def upgrade() -> None:
    op.execute(
        "CREATE FUNCTION read_cache_job_inserted() RETURNS trigger LANGUAGE plpgsql AS $$"
        f" BEGIN PERFORM pg_notify('{CHANNEL}', 'job:' || NEW.id::text); RETURN NULL; END $$"
    )
    op.execute(
        'CREATE TRIGGER read_cache_job_inserted AFTER INSERT ON "job" '
        "FOR EACH ROW EXECUTE FUNCTION read_cache_job_inserted()"
    )


def downgrade() -> None:
    op.execute('DROP TRIGGER IF EXISTS read_cache_job_inserted ON "job"')
    op.execute("DROP FUNCTION IF EXISTS read_cache_job_inserted()")
