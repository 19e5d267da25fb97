"""gig_worker_skill: the weekday mask in the covering index's key

Revision ID: 39c7f072109a
Revises: 5e1b7c3a9d24
Create Date: 2026-12-03 20:00:00.000000+00:00

Matching reads a skill's entries; with the weekday mask second in the key it reads only the
entries whose mask holds every weekday of the gig (``weekday_mask = ANY (supersets)``): a
one-day gig skips the ≈ 35 % of workers never free that weekday instead of reading and
rejecting them. The new index replaces the old one (same columns, another key order).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "39c7f072109a"
down_revision: str | None = "5e1b7c3a9d24"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# app.gigs.models.WORKER_SKILL_COPIES at this revision.
COPIES = (
    "skill_codes", "skill_ranks", "certified_skill_codes", "week_windows", "weekday_mask",
    "dates_off", "home_lat", "home_lng", "travel_radius_km", "expected_pay_fen",
    "expected_pay_unit", "accepts_same_day", "completed_count", "cancelled_count",
    "late_cancelled_count", "rating_count", "rating_sum",
)  # fmt: skip


def upgrade() -> None:
    op.create_index(
        "ix_gig_worker_skill_weekdays",
        "gig_worker_skill",
        ["skill_code", "weekday_mask", "user_id"],
        unique=False,
        postgresql_include=[c for c in COPIES if c != "weekday_mask"],
    )
    op.drop_index("ix_gig_worker_skill_covering", table_name="gig_worker_skill")


def downgrade() -> None:
    op.create_index(
        "ix_gig_worker_skill_covering",
        "gig_worker_skill",
        ["skill_code", "user_id"],
        unique=False,
        postgresql_include=list(COPIES),
    )
    op.drop_index("ix_gig_worker_skill_weekdays", table_name="gig_worker_skill")
