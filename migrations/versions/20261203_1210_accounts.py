"""accounts: staff login guard per (username, address), user deletion tombstone

Revision ID: 5c1a9e0d7b21
Revises: 49243b99c395
Create Date: 2026-12-03 12:10:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5c1a9e0d7b21"
down_revision: str | None = "49243b99c395"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_login_source",
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("client_address", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("username", "client_address", name=op.f("pk_staff_login_source")),
    )
    op.create_index(
        "ix_staff_login_source_username_failed",
        "staff_login_source",
        ["username", "last_failed_at"],
        unique=False,
    )
    # The lockout moved to staff_login_source: a per-account counter let anyone lock staff out.
    op.drop_column("staff_account", "locked_until")
    op.drop_column("staff_account", "failed_attempts")
    op.add_column("user", sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("user", "deleted_at")
    op.add_column(
        "staff_account",
        sa.Column("failed_attempts", sa.Integer(), server_default="0", nullable=False),
    )
    op.add_column(
        "staff_account",
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
    )
    op.drop_index("ix_staff_login_source_username_failed", table_name="staff_login_source")
    op.drop_table("staff_login_source")
