"""bureau: entered targets, measure progress, shortage catalogue, vacancy follow-ups, staff unit

Revision ID: 24f03afd4b7b
Revises: 9911ae5dbdeb
Create Date: 2026-12-03 14:24:40.858400+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "24f03afd4b7b"
down_revision: str | None = "9911ae5dbdeb"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bureau_measure_progress",
        sa.Column("measure_no", sa.SmallInteger(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("entered_by", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "EXTRACT(DAY FROM month) = 1", name=op.f("ck_bureau_measure_progress_first_of_month")
        ),
        sa.CheckConstraint(
            "measure_no BETWEEN 1 AND 23", name=op.f("ck_bureau_measure_progress_measure_no")
        ),
        sa.ForeignKeyConstraint(
            ["entered_by"],
            ["staff_account.id"],
            name=op.f("fk_bureau_measure_progress_entered_by_staff_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bureau_measure_progress")),
        sa.UniqueConstraint(
            "measure_no",
            "month",
            "unit",
            name=op.f("uq_bureau_measure_progress_measure_no_month_unit"),
        ),
    )
    op.create_index(
        "ix_bureau_measure_progress_month", "bureau_measure_progress", ["month"], unique=False
    )
    op.create_table(
        "bureau_target_entry",
        sa.Column("target_code", sa.String(length=40), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("entered_by", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "EXTRACT(DAY FROM month) = 1", name=op.f("ck_bureau_target_entry_first_of_month")
        ),
        sa.CheckConstraint("value >= 0", name=op.f("ck_bureau_target_entry_value")),
        sa.ForeignKeyConstraint(
            ["entered_by"],
            ["staff_account.id"],
            name=op.f("fk_bureau_target_entry_entered_by_staff_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bureau_target_entry")),
        sa.UniqueConstraint(
            "target_code", "month", name=op.f("uq_bureau_target_entry_target_code_month")
        ),
    )
    op.create_table(
        "shortage_catalogue",
        sa.Column("status", sa.String(length=12), server_default="draft", nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("rule", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("items", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("published_by", sa.Uuid(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'published', 'superseded')",
            name=op.f("ck_shortage_catalogue_status"),
        ),
        sa.CheckConstraint(
            "EXTRACT(DAY FROM month) = 1", name=op.f("ck_shortage_catalogue_first_of_month")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["staff_account.id"],
            name=op.f("fk_shortage_catalogue_created_by_staff_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["published_by"],
            ["staff_account.id"],
            name=op.f("fk_shortage_catalogue_published_by_staff_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shortage_catalogue")),
    )
    op.create_index(
        "uq_shortage_catalogue_published",
        "shortage_catalogue",
        ["status"],
        unique=True,
        postgresql_where=sa.text("status = 'published'"),
    )
    op.create_table(
        "vacancy_follow_up",
        sa.Column("job_id", sa.Uuid(), nullable=True),
        sa.Column("gig_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("staff_id", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "action IN ('fair', 'livestream', 'recommendation', 'other')",
            name=op.f("ck_vacancy_follow_up_action"),
        ),
        sa.CheckConstraint(
            "(job_id IS NULL) <> (gig_id IS NULL)", name=op.f("ck_vacancy_follow_up_one_posting")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["recruitment_event.id"],
            name=op.f("fk_vacancy_follow_up_event_id_recruitment_event"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["gig_id"], ["gig.id"], name=op.f("fk_vacancy_follow_up_gig_id_gig"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["job_id"], ["job.id"], name=op.f("fk_vacancy_follow_up_job_id_job"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_account.id"],
            name=op.f("fk_vacancy_follow_up_staff_id_staff_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vacancy_follow_up")),
    )
    op.create_index(
        op.f("ix_vacancy_follow_up_gig_id"), "vacancy_follow_up", ["gig_id"], unique=False
    )
    op.create_index(
        op.f("ix_vacancy_follow_up_job_id"), "vacancy_follow_up", ["job_id"], unique=False
    )
    op.add_column("staff_account", sa.Column("unit", sa.String(length=40), nullable=True))


def downgrade() -> None:
    op.drop_column("staff_account", "unit")
    op.drop_index(op.f("ix_vacancy_follow_up_job_id"), table_name="vacancy_follow_up")
    op.drop_index(op.f("ix_vacancy_follow_up_gig_id"), table_name="vacancy_follow_up")
    op.drop_table("vacancy_follow_up")
    op.drop_index(
        "uq_shortage_catalogue_published",
        table_name="shortage_catalogue",
        postgresql_where=sa.text("status = 'published'"),
    )
    op.drop_table("shortage_catalogue")
    op.drop_table("bureau_target_entry")
    op.drop_index("ix_bureau_measure_progress_month", table_name="bureau_measure_progress")
    op.drop_table("bureau_measure_progress")
