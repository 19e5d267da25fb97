"""Offers made by the eligibility scan, and the scan's own bookkeeping."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UUIDPrimaryKey, one_of

OFFER_STATUSES = ("offered", "applied", "dismissed")
SUBJECT_KINDS = ("person", "organisation")
ENGINE_STATUSES = ("eligible", "needs_review")


class SubsidyOffer(UUIDPrimaryKey, Base):
    """One subsidy a person or unit qualifies for and has not applied for, told once.

    ``recipient_key`` is the engine's subject key (a person's ID-number hash, a unit's credit
    code): a recipient is offered a policy once per period, whichever account holds it.
    """

    __tablename__ = "subsidy_offer"
    __table_args__ = (
        UniqueConstraint("recipient_key", "policy_code", "period"),
        CheckConstraint(one_of("status", OFFER_STATUSES), name="status"),
        CheckConstraint(one_of("subject_kind", SUBJECT_KINDS), name="subject_kind"),
        CheckConstraint(one_of("engine_status", ENGINE_STATUSES), name="engine_status"),
        Index("ix_subsidy_offer_user", "user_id", text("created_at DESC"), text("id DESC")),
        Index("ix_subsidy_offer_employer", "employer_id"),
        Index("ix_subsidy_offer_created", text("created_at DESC"), text("id DESC")),
    )

    subject_kind: Mapped[str] = mapped_column(String(12))
    # The person told (for a unit: its owner at the time of the offer).
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    employer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("employer.id", ondelete="CASCADE")
    )
    recipient_key: Mapped[str] = mapped_column(String(64))
    policy_code: Mapped[str] = mapped_column(String(60))
    period: Mapped[str] = mapped_column(String(10))
    amount_fen: Mapped[int | None]
    # eligible: the engine says yes on the facts held; needs_review: the facts held pass the
    # policy's recorded conditions and ``missing`` lists what the applicant adds or staff decide.
    engine_status: Mapped[str] = mapped_column(String(12))
    missing: Mapped[list[str]] = mapped_column(JSONB, server_default=text("'[]'::jsonb"))
    # The application draft: the calculator's facts as the service knows them.
    facts: Mapped[dict[str, Any]] = mapped_column(JSONB)
    ruleset_version: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12), server_default="offered")
    application_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("subsidy_application.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]


class OfferScanSubject(Base):
    """When a subject was last evaluated, and when time alone may change the answer."""

    __tablename__ = "subsidy_offer_scan_subject"
    __table_args__ = (
        CheckConstraint(one_of("subject_kind", SUBJECT_KINDS), name="subject_kind"),
        Index("ix_subsidy_offer_scan_subject_due", "next_scan_at"),
    )

    subject_kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    subject_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    scanned_at: Mapped[datetime]
    next_scan_at: Mapped[datetime]


class OfferScanWatermark(Base):
    """How far the incremental scan has read the fact tables (one row)."""

    __tablename__ = "subsidy_offer_scan_watermark"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    scanned_up_to: Mapped[datetime]
