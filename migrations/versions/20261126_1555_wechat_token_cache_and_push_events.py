"""WeChat: the shared access-token cache and received push events.

Revision ID: 66c7963f8795
Revises: b7d1c2a90e11
Create Date: 2026-11-26 15:55:29.538448+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "66c7963f8795"
down_revision: str | None = "b7d1c2a90e11"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "wechat_access_token",
        sa.Column("appid", sa.String(length=64), nullable=False),
        sa.Column("access_token", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refresh_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("appid", name=op.f("pk_wechat_access_token")),
    )
    op.create_table(
        "wechat_push_event",
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("openid", sa.String(length=128), nullable=True),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("dedup_key", sa.String(length=64), nullable=False),
        sa.Column(
            "received_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wechat_push_event")),
        sa.UniqueConstraint("dedup_key", name=op.f("uq_wechat_push_event_dedup_key")),
    )
    op.create_index(
        op.f("ix_wechat_push_event_event_type_wechat_push_event_received_at"),
        "wechat_push_event",
        ["event_type", "received_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_wechat_push_event_openid"), "wechat_push_event", ["openid"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_wechat_push_event_openid"), table_name="wechat_push_event")
    op.drop_index(
        op.f("ix_wechat_push_event_event_type_wechat_push_event_received_at"),
        table_name="wechat_push_event",
    )
    op.drop_table("wechat_push_event")
    op.drop_table("wechat_access_token")
