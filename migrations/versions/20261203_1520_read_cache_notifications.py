"""read cache notifications: job, job_photo and employer changes NOTIFY the response caches

Revision ID: cac2a854c484
Revises: a5c81e2f9d37
Create Date: 2026-12-03 14:20:00.000000+00:00

Every worker keeps short-lived copies of public job details (app.jobs.read_cache). A trigger
tells every listening worker which job (or employer) changed, on commit, whatever code path or
script made the change; a TRUNCATE tells them to drop everything. A rolled-back transaction
notifies nobody.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "cac2a854c484"
down_revision: str | None = "a5c81e2f9d37"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "dsjobs_cache"

_FUNCTIONS = {
    # A job's own row: updated or deleted (a new job replaces no cached answer).
    "read_cache_job_changed": f"""
        BEGIN
            PERFORM pg_notify('{CHANNEL}', 'job:' || OLD.id::text);
            RETURN NULL;
        END
    """,
    # Its photos: added, reordered or removed (also through the cascade of a deleted file).
    "read_cache_job_photo_changed": f"""
        BEGIN
            IF TG_OP = 'DELETE' THEN
                PERFORM pg_notify('{CHANNEL}', 'job:' || OLD.job_id::text);
            ELSE
                PERFORM pg_notify('{CHANNEL}', 'job:' || NEW.job_id::text);
                IF TG_OP = 'UPDATE' AND OLD.job_id <> NEW.job_id THEN
                    PERFORM pg_notify('{CHANNEL}', 'job:' || OLD.job_id::text);
                END IF;
            END IF;
            RETURN NULL;
        END
    """,
    # The employer summary embedded in every job detail of the employer.
    "read_cache_employer_changed": f"""
        BEGIN
            PERFORM pg_notify('{CHANNEL}', 'employer:' || OLD.id::text);
            RETURN NULL;
        END
    """,
    "read_cache_truncated": f"""
        BEGIN
            PERFORM pg_notify('{CHANNEL}', 'all');
            RETURN NULL;
        END
    """,
}

_TRIGGERS = [
    ("read_cache_job_changed", "job", "UPDATE OR DELETE", "ROW", "read_cache_job_changed"),
    (
        "read_cache_job_photo_changed",
        "job_photo",
        "INSERT OR UPDATE OR DELETE",
        "ROW",
        "read_cache_job_photo_changed",
    ),
    (
        "read_cache_employer_changed",
        "employer",
        "UPDATE OR DELETE",
        "ROW",
        "read_cache_employer_changed",
    ),
    ("read_cache_job_truncated", "job", "TRUNCATE", "STATEMENT", "read_cache_truncated"),
    (
        "read_cache_job_photo_truncated",
        "job_photo",
        "TRUNCATE",
        "STATEMENT",
        "read_cache_truncated",
    ),
    ("read_cache_employer_truncated", "employer", "TRUNCATE", "STATEMENT", "read_cache_truncated"),
]


def upgrade() -> None:
    for name, body in _FUNCTIONS.items():
        op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $${body}$$")
    for name, table, events, level, function in _TRIGGERS:
        op.execute(
            f'CREATE TRIGGER {name} AFTER {events} ON "{table}" '
            f"FOR EACH {level} EXECUTE FUNCTION {function}()"
        )


def downgrade() -> None:
    for name, table, *_ in reversed(_TRIGGERS):
        op.execute(f'DROP TRIGGER IF EXISTS {name} ON "{table}"')
    for name in reversed(list(_FUNCTIONS)):
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")
