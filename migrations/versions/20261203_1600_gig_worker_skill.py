"""gig_worker_skill: a worker's matching columns per skill, read with index-only scans

Revision ID: 3b9d5e7f1a20
Revises: 06c0f622b06f
Create Date: 2026-12-03 16:00:00.000000+00:00

The trigger below rewrites a worker's rows whenever the profile is inserted or one of the copied
columns changes, whoever changes it (the profile form, booking counters, ratings); a deleted
profile takes its rows with it (foreign key). The backfill copies the existing profiles.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "3b9d5e7f1a20"
down_revision: str | None = "06c0f622b06f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# app.gigs.models.WORKER_SKILL_COPIES at this revision.
COPIES = (
    "skill_codes", "skill_ranks", "certified_skill_codes", "week_windows", "weekday_mask",
    "dates_off", "home_lat", "home_lng", "travel_radius_km", "expected_pay_fen",
    "expected_pay_unit", "accepts_same_day", "completed_count", "cancelled_count",
    "late_cancelled_count", "rating_count", "rating_sum",
)  # fmt: skip
_COLUMNS = ", ".join(COPIES)


def _copy(row: str, source: str = "") -> str:
    """INSERT the skills of profile row ``row`` (``NEW`` in the trigger, ``p`` in the backfill)."""
    values = ", ".join(f"{row}.{c}" for c in COPIES)
    return f"""
INSERT INTO gig_worker_skill (user_id, skill_code, {_COLUMNS})
SELECT {row}.user_id, code, {values}
FROM {source}unnest({row}.skill_codes) AS code"""


FUNCTION = f"""
CREATE FUNCTION gig_worker_skill_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM gig_worker_skill WHERE user_id = NEW.user_id;
    {_copy("NEW")}
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$
"""

TRIGGER = f"""
CREATE TRIGGER gig_worker_skill_sync
AFTER INSERT OR UPDATE OF user_id, {_COLUMNS} ON gig_worker_profile
FOR EACH ROW
EXECUTE FUNCTION gig_worker_skill_sync()
"""


def upgrade() -> None:
    op.create_table(
        "gig_worker_skill",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("skill_code", sa.String(length=32), nullable=False),
        sa.Column("skill_codes", postgresql.ARRAY(sa.String(length=32)), nullable=False),
        sa.Column("skill_ranks", postgresql.ARRAY(sa.SmallInteger()), nullable=False),
        sa.Column("certified_skill_codes", postgresql.ARRAY(sa.String(length=32)), nullable=False),
        sa.Column("week_windows", postgresql.INT4MULTIRANGE(), nullable=False),
        sa.Column("weekday_mask", sa.SmallInteger(), nullable=False),
        sa.Column("dates_off", postgresql.ARRAY(sa.Date()), nullable=False),
        sa.Column("home_lat", sa.Float(), nullable=False),
        sa.Column("home_lng", sa.Float(), nullable=False),
        sa.Column("travel_radius_km", sa.Float(), nullable=False),
        sa.Column("expected_pay_fen", sa.Integer(), nullable=True),
        sa.Column("expected_pay_unit", sa.String(length=10), nullable=True),
        sa.Column("accepts_same_day", sa.Boolean(), nullable=False),
        sa.Column("completed_count", sa.Integer(), nullable=False),
        sa.Column("cancelled_count", sa.Integer(), nullable=False),
        sa.Column("late_cancelled_count", sa.Integer(), nullable=False),
        sa.Column("rating_count", sa.Integer(), nullable=False),
        sa.Column("rating_sum", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["gig_worker_profile.user_id"],
            name=op.f("fk_gig_worker_skill_user_id_gig_worker_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "skill_code", name=op.f("pk_gig_worker_skill")),
    )
    op.execute(FUNCTION)
    op.execute(TRIGGER)
    op.execute(_copy("p", "gig_worker_profile p, ") + "\nON CONFLICT DO NOTHING")
    op.create_index(
        "ix_gig_worker_skill_covering",
        "gig_worker_skill",
        ["skill_code", "user_id"],
        unique=False,
        postgresql_include=list(COPIES),
    )


def downgrade() -> None:
    op.drop_index("ix_gig_worker_skill_covering", table_name="gig_worker_skill")
    op.execute("DROP TRIGGER gig_worker_skill_sync ON gig_worker_profile")
    op.execute("DROP FUNCTION gig_worker_skill_sync()")
    op.drop_table("gig_worker_skill")
