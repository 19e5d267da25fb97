"""seal personal phones: employer and gig contact phones are AES-GCM encrypted at rest

Existing rows are encrypted here with the application's key settings (SECURITY_FIELD_KEYS, its
first key); the downgrade decrypts them back into plain columns (with any configured key).

Revision ID: 5f12fb1b201f
Revises: 087ff4d34bb8
Create Date: 2026-12-03 12:00:00+00:00
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from app.core.config import get_settings
from app.core.security import FieldCipher

revision: str = "5f12fb1b201f"
down_revision: str | None = "087ff4d34bb8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, AES-GCM context) — the contexts are the ones app.employers.contact and app.gigs.views use.
SEALED = (("employer", "employer.contact_phone"), ("gig", "gig.contact_phone"))
BATCH = 1000


def _cipher() -> FieldCipher:
    return FieldCipher.from_spec(get_settings().security.field_keys.get_secret_value())


def _rewrite(table: str, source: str, target: str, convert: Callable[[str], str]) -> None:
    """Copy ``source`` into ``target`` through ``convert``, a batch of rows at a time."""
    bind = op.get_bind()
    select = sa.text(f'SELECT id, {source} FROM "{table}" WHERE {target} IS NULL LIMIT {BATCH}')
    update = sa.text(f'UPDATE "{table}" SET {target} = :value WHERE id = :id')
    while rows := bind.execute(select).all():
        bind.execute(update, [{"id": row[0], "value": convert(row[1])} for row in rows])


def upgrade() -> None:
    cipher = _cipher()
    for table, context in SEALED:
        op.add_column(table, sa.Column("contact_phone_encrypted", sa.Text(), nullable=True))
        _rewrite(
            table,
            "contact_phone",
            "contact_phone_encrypted",
            lambda phone, context=context: cipher.encrypt(phone, context=context),
        )
        op.alter_column(table, "contact_phone_encrypted", nullable=False)
        op.drop_column(table, "contact_phone")


def downgrade() -> None:
    cipher = _cipher()
    for table, context in SEALED:
        op.add_column(table, sa.Column("contact_phone", sa.String(length=20), nullable=True))
        _rewrite(
            table,
            "contact_phone_encrypted",
            "contact_phone",
            lambda sealed, context=context: cipher.decrypt(sealed, context=context),
        )
        op.alter_column(table, "contact_phone", nullable=False)
        op.drop_column(table, "contact_phone_encrypted")
