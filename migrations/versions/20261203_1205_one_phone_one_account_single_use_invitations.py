"""one phone number per account; single-use employer invitations with accepted_by/accepted_at

* ``user.phone_hash`` becomes unique. Where several accounts hold one number today, the most
  recently bound keeps it and the others lose it, each with a ``identity.phone_moved`` audit record
  (the same rule the API applies from now on).
* ``employer_invitation`` loses ``max_uses``/``used_count``: a code admits one person, recorded in
  ``accepted_by``/``accepted_at`` (backfilled from the member rows that used the code).

Revision ID: 49243b99c395
Revises: 5f12fb1b201f
Create Date: 2026-12-03 12:05:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "49243b99c395"
down_revision: str | None = "5f12fb1b201f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RELEASE_DUPLICATE_PHONES = """
WITH ranked AS (
    SELECT id, phone_hash,
           first_value(id) OVER (
               PARTITION BY phone_hash
               ORDER BY phone_bound_at DESC NULLS LAST, updated_at DESC, id
           ) AS keeper
    FROM "user" WHERE phone_hash IS NOT NULL
), released AS (
    UPDATE "user" u
    SET phone_encrypted = NULL, phone_hash = NULL, phone_bound_at = NULL
    FROM ranked r
    WHERE u.id = r.id AND r.id <> r.keeper
    RETURNING u.id, r.keeper
)
INSERT INTO audit_record (id, actor_kind, actor_id, action, subject_kind, subject_id, details)
SELECT gen_random_uuid(), 'system', NULL, 'identity.phone_moved', 'user', id::text,
       jsonb_build_object('to_user', keeper::text, 'reason', 'migration')
FROM released
"""

BACKFILL_ACCEPTED = """
UPDATE employer_invitation i
SET accepted_by = m.user_id, accepted_at = m.created_at
FROM (
    SELECT DISTINCT ON (invitation_id) invitation_id, user_id, created_at
    FROM employer_member WHERE invitation_id IS NOT NULL
    ORDER BY invitation_id, created_at
) m
WHERE m.invitation_id = i.id
"""

# A code used by someone who has since left: used, but by nobody we can name.
BACKFILL_USED = """
UPDATE employer_invitation SET accepted_at = created_at
WHERE used_count > 0 AND accepted_at IS NULL
"""


def upgrade() -> None:
    op.execute(RELEASE_DUPLICATE_PHONES)
    op.drop_index(op.f("ix_user_phone_hash"), table_name="user")
    op.create_index(op.f("ix_user_phone_hash"), "user", ["phone_hash"], unique=True)

    op.add_column("employer_invitation", sa.Column("accepted_by", sa.Uuid(), nullable=True))
    op.add_column(
        "employer_invitation",
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_foreign_key(
        op.f("fk_employer_invitation_accepted_by_user"),
        "employer_invitation",
        "user",
        ["accepted_by"],
        ["id"],
        ondelete="SET NULL",
    )
    op.execute(BACKFILL_ACCEPTED)
    op.execute(BACKFILL_USED)
    op.create_check_constraint(
        op.f("ck_employer_invitation_accepted"),
        "employer_invitation",
        "accepted_by IS NULL OR accepted_at IS NOT NULL",
    )
    op.drop_constraint(
        op.f("ck_employer_invitation_used_count"), "employer_invitation", type_="check"
    )
    op.drop_constraint(
        op.f("ck_employer_invitation_max_uses"), "employer_invitation", type_="check"
    )
    op.drop_column("employer_invitation", "used_count")
    op.drop_column("employer_invitation", "max_uses")


def downgrade() -> None:
    op.add_column(
        "employer_invitation",
        sa.Column("max_uses", sa.Integer(), server_default="1", nullable=False),
    )
    op.alter_column("employer_invitation", "max_uses", server_default=None)
    op.add_column(
        "employer_invitation",
        sa.Column("used_count", sa.Integer(), server_default="0", nullable=False),
    )
    op.execute("UPDATE employer_invitation SET used_count = 1 WHERE accepted_at IS NOT NULL")
    op.create_check_constraint(
        op.f("ck_employer_invitation_max_uses"), "employer_invitation", "max_uses BETWEEN 1 AND 100"
    )
    op.create_check_constraint(
        op.f("ck_employer_invitation_used_count"),
        "employer_invitation",
        "used_count >= 0 AND used_count <= max_uses",
    )
    op.drop_constraint(
        op.f("ck_employer_invitation_accepted"), "employer_invitation", type_="check"
    )
    op.drop_constraint(
        op.f("fk_employer_invitation_accepted_by_user"), "employer_invitation", type_="foreignkey"
    )
    op.drop_column("employer_invitation", "accepted_at")
    op.drop_column("employer_invitation", "accepted_by")

    op.drop_index(op.f("ix_user_phone_hash"), table_name="user")
    op.create_index(op.f("ix_user_phone_hash"), "user", ["phone_hash"], unique=False)
