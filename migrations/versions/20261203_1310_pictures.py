"""pictures: avatars, employer logos, job photos and file thumbnails

Revision ID: 7e3b2f90c4d1
Revises: 5c1a9e0d7b21
Create Date: 2026-12-03 13:10:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7e3b2f90c4d1"
down_revision: str | None = "5c1a9e0d7b21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("stored_file", sa.Column("thumbnail_key", sa.String(length=80), nullable=True))
    op.create_unique_constraint(
        op.f("uq_stored_file_thumbnail_key"), "stored_file", ["thumbnail_key"]
    )
    op.add_column("user", sa.Column("avatar_file_id", sa.Uuid(), nullable=True))
    op.create_index(op.f("ix_user_avatar_file_id"), "user", ["avatar_file_id"], unique=False)
    op.create_foreign_key(
        op.f("fk_user_avatar_file_id_stored_file"),
        "user",
        "stored_file",
        ["avatar_file_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.add_column("employer", sa.Column("logo_file_id", sa.Uuid(), nullable=True))
    op.create_index(op.f("ix_employer_logo_file_id"), "employer", ["logo_file_id"], unique=False)
    op.create_foreign_key(
        op.f("fk_employer_logo_file_id_stored_file"),
        "employer",
        "stored_file",
        ["logo_file_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.create_table(
        "job_photo",
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["stored_file.id"],
            name=op.f("fk_job_photo_file_id_stored_file"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"], ["job.id"], name=op.f("fk_job_photo_job_id_job"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("job_id", "file_id", name=op.f("pk_job_photo")),
    )
    op.create_index(op.f("ix_job_photo_file_id"), "job_photo", ["file_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_job_photo_file_id"), table_name="job_photo")
    op.drop_table("job_photo")
    op.drop_constraint(op.f("fk_employer_logo_file_id_stored_file"), "employer", type_="foreignkey")
    op.drop_index(op.f("ix_employer_logo_file_id"), table_name="employer")
    op.drop_column("employer", "logo_file_id")
    op.drop_constraint(op.f("fk_user_avatar_file_id_stored_file"), "user", type_="foreignkey")
    op.drop_index(op.f("ix_user_avatar_file_id"), table_name="user")
    op.drop_column("user", "avatar_file_id")
    op.drop_constraint(op.f("uq_stored_file_thumbnail_key"), "stored_file", type_="unique")
    op.drop_column("stored_file", "thumbnail_key")
