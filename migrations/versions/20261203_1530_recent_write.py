"""recent write: read-your-writes markers of the read-replica routing

Revision ID: 06c0f622b06f
Revises: 87e127afafb2
Create Date: 2026-12-03 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "06c0f622b06f"
down_revision: str | None = "87e127afafb2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "recent_write",
        sa.Column("subject", sa.String(length=80), nullable=False),
        sa.Column(
            "written_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("subject", name=op.f("pk_recent_write")),
    )


def downgrade() -> None:
    op.drop_table("recent_write")
