"""Complaints (投诉) about wage arrears, fake recruitment, discrimination and unsafe work.

A complaint concerns one gig booking, job or employer. Staff move it received → handling →
resolved, or transferred to labour inspection (劳动保障监察); ``reply`` is what the complainant
reads. Staff actions leave audit records (app.audit).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, Timestamps, UUIDPrimaryKey, one_of

COMPLAINT_KINDS = ("wage_arrears", "fake_recruitment", "discrimination", "unsafe_work")
SUBJECT_KINDS = ("gig_booking", "job", "employer")
COMPLAINT_STATUSES = ("received", "handling", "resolved", "transferred")
OPEN_STATUSES = ("received", "handling")
SOURCES = ("user", "gig_dispute")


class Complaint(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "complaint"

    complainant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[uuid.UUID]
    description: Mapped[str] = mapped_column(Text)
    amount_fen: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(20), server_default="user")
    status: Mapped[str] = mapped_column(String(20), server_default="received")
    reply: Mapped[str | None] = mapped_column(String(1000))
    replied_at: Mapped[datetime | None]
    handled_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )
    closed_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint(one_of("kind", COMPLAINT_KINDS), name="kind"),
        CheckConstraint(one_of("subject_kind", SUBJECT_KINDS), name="subject_kind"),
        CheckConstraint(one_of("status", COMPLAINT_STATUSES), name="status"),
        CheckConstraint(one_of("source", SOURCES), name="source"),
        CheckConstraint("amount_fen IS NULL OR amount_fen >= 0", name="amount"),
        # One open complaint per person, kind and subject: a double tap does not file two.
        Index(
            "uq_complaint_open",
            "complainant_id",
            "kind",
            "subject_kind",
            "subject_id",
            unique=True,
            postgresql_where="status IN ('received', 'handling')",
        ),
        Index("ix_complaint_complainant_created", "complainant_id", "created_at", "id"),
        Index("ix_complaint_status_created", "status", "created_at", "id"),
        Index("ix_complaint_subject", "subject_kind", "subject_id"),
    )
