"""The people ledger (人员清单): people the bureau helps, their follow-ups, and imports.

Personal fields are encrypted like the user's (``app.core.security``): name, ID number and phone
are AES-GCM text; the ID number's keyed hash (the same hash as ``user.id_number_hash``) finds a
person on import and links them to their mini-program account.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY as PG_ARRAY
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, Timestamps, UUIDPrimaryKey, one_of
from app.people_ledger.codes import FOLLOW_UP_KINDS, IMPORT_STATUSES, STATUSES


class LedgerPerson(UUIDPrimaryKey, Timestamps, Base):
    """One person of the ledger, once per ID number (imports merge into this row)."""

    __tablename__ = "ledger_person"

    id_number_hash: Mapped[str] = mapped_column(String(64), unique=True)
    id_number_encrypted: Mapped[str] = mapped_column(Text)
    name_encrypted: Mapped[str] = mapped_column(Text)
    phone_encrypted: Mapped[str | None] = mapped_column(Text)
    # Derived from the ID number (GB 11643), kept for the youth and age rules and statistics.
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(10))
    categories: Mapped[list[str]] = mapped_column(PG_ARRAY(String(30)))
    status: Mapped[str] = mapped_column(String(20), server_default="seeking")
    status_changed_at: Mapped[datetime] = mapped_column(server_default=func.now())
    area_code: Mapped[str | None] = mapped_column(String(20))
    wanted_occupation_code: Mapped[str | None] = mapped_column(String(40))
    education: Mapped[str | None] = mapped_column(String(20))
    school: Mapped[str | None] = mapped_column(String(100))
    major: Mapped[str | None] = mapped_column(String(100))
    graduated_on: Mapped[date | None] = mapped_column(Date)
    # The day the person entered the ledger (纳入台账日期); its year is the person's ledger year.
    registered_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(200))
    last_import_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ledger_import.id", ondelete="SET NULL"), index=True
    )

    __table_args__ = (
        CheckConstraint(one_of("status", STATUSES), name="status"),
        CheckConstraint("cardinality(categories) >= 1", name="categories"),
        Index("ix_ledger_person_categories", "categories", postgresql_using="gin"),
        Index("ix_ledger_person_created", "created_at", "id"),
        Index("ix_ledger_person_registered", "registered_on"),
    )


class LedgerFollowUp(UUIDPrimaryKey, Base):
    """One act of help for a person: who (staff), when, what; it may move the person's status."""

    __tablename__ = "ledger_follow_up"

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ledger_person.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    happened_at: Mapped[datetime]
    note: Mapped[str] = mapped_column(String(500))
    job_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))
    status_before: Mapped[str] = mapped_column(String(20))
    status_after: Mapped[str] = mapped_column(String(20))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    __table_args__ = (
        CheckConstraint(one_of("kind", FOLLOW_UP_KINDS), name="kind"),
        Index("ix_ledger_follow_up_person", "person_id", "happened_at", "id"),
    )


class LedgerImport(UUIDPrimaryKey, Timestamps, Base):
    """An uploaded workbook and the worker's report on it.

    The file is kept sealed (AES-GCM, like personal fields) in ``file_sealed`` until the worker
    has read it, then dropped: the report stays, the personal data lives only in the ledger.
    """

    __tablename__ = "ledger_import"

    uploaded_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )
    file_name: Mapped[str] = mapped_column(String(200))
    file_size: Mapped[int] = mapped_column(Integer)
    file_sha256: Mapped[str] = mapped_column(String(64))
    file_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(20), server_default="queued")
    total: Mapped[int] = mapped_column(Integer, server_default="0")
    read: Mapped[int] = mapped_column(Integer, server_default="0")
    processed: Mapped[int] = mapped_column(Integer, server_default="0")
    created_count: Mapped[int] = mapped_column(Integer, server_default="0")
    updated_count: Mapped[int] = mapped_column(Integer, server_default="0")
    unchanged_count: Mapped[int] = mapped_column(Integer, server_default="0")
    duplicate_count: Mapped[int] = mapped_column(Integer, server_default="0")
    rejected_count: Mapped[int] = mapped_column(Integer, server_default="0")
    error_count: Mapped[int] = mapped_column(Integer, server_default="0")
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default=text("'[]'::jsonb"))
    failure: Mapped[str | None] = mapped_column(String(300))
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    __table_args__ = (CheckConstraint(one_of("status", IMPORT_STATUSES), name="status"),)
