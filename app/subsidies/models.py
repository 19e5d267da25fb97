"""Subsidy applications (一网可办), their materials, status history and the award ledger.

An application is for one policy (``policy_code``) but is decided together with the other
policies of its 就高不重复 group (``claim_code`` is the group, or the policy when it has none):
an HR agency's referral list is paid 500 or 800 per person in one decision. ``decision`` keeps
the engine's full record at (re)submission, ``approval_decision`` the one at approval.

``subsidy_award`` is the ledger of approved awards the engine reads (caps, once-only,
就高不重复 across time): one row per granted line, written at approval.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, Timestamps, UUIDPrimaryKey, one_of

APPLICATION_STATUSES = ("submitted", "under_review", "returned", "approved", "rejected", "paid")
OPEN_STATUSES = ("submitted", "under_review", "returned")
OPEN_PREDICATE = "status IN ('submitted', 'under_review', 'returned')"
APPLICANT_KINDS = ("person", "organisation")
ENGINE_STATUSES = ("eligible", "needs_review")
ACTOR_KINDS = ("user", "staff")


class SubsidyApplication(UUIDPrimaryKey, Timestamps, Base):
    """One application, with the facts it was decided on and the engine's record."""

    __tablename__ = "subsidy_application"

    policy_code: Mapped[str] = mapped_column(String(60))
    claim_code: Mapped[str] = mapped_column(String(60))
    applicant_kind: Mapped[str] = mapped_column(String(15))
    applicant_user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="RESTRICT"), index=True
    )
    employer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("employer.id", ondelete="RESTRICT"), index=True
    )
    recipient_key: Mapped[str] = mapped_column(String(80))
    period: Mapped[str] = mapped_column(String(10))
    period_year: Mapped[int] = mapped_column(SmallInteger)
    facts: Mapped[dict[str, Any]] = mapped_column(JSONB)
    known_facts: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, server_default=text("'[]'::jsonb")
    )
    person_refs: Mapped[dict[str, str]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    note: Mapped[str | None] = mapped_column(String(500))
    evaluated_on: Mapped[date] = mapped_column(Date)
    ruleset_version: Mapped[str] = mapped_column(String(20))
    engine_status: Mapped[str] = mapped_column(String(15))
    expected_amount_fen: Mapped[int] = mapped_column(BigInteger)
    decision: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(15), server_default="submitted")
    status_changed_at: Mapped[datetime] = mapped_column(server_default=func.now())
    return_note: Mapped[str | None] = mapped_column(String(500))
    rejection_reason: Mapped[str | None] = mapped_column(String(500))
    approved_amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    engine_amount_at_approval_fen: Mapped[int | None] = mapped_column(BigInteger)
    override_reason: Mapped[str | None] = mapped_column(String(500))
    approval_decision: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    decided_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None]
    paid_on: Mapped[date | None] = mapped_column(Date)
    payment_reference: Mapped[str | None] = mapped_column(String(60))

    __table_args__ = (
        CheckConstraint(one_of("status", APPLICATION_STATUSES), name="status"),
        CheckConstraint(one_of("applicant_kind", APPLICANT_KINDS), name="applicant_kind"),
        CheckConstraint(one_of("engine_status", ENGINE_STATUSES), name="engine_status"),
        CheckConstraint(
            "(applicant_kind = 'organisation') = (employer_id IS NOT NULL)", name="applicant"
        ),
        CheckConstraint("expected_amount_fen >= 0", name="expected_amount"),
        CheckConstraint(
            "(status IN ('approved', 'paid')) = (approved_amount_fen IS NOT NULL)",
            name="approved_amount",
        ),
        CheckConstraint("approved_amount_fen IS NULL OR approved_amount_fen > 0", name="amount"),
        CheckConstraint(
            "status <> 'paid' OR (paid_on IS NOT NULL AND payment_reference IS NOT NULL)",
            name="paid",
        ),
        # One open application per recipient, claim (policy or 就高不重复 group) and period: a
        # second one — another tap with a new key, another member of the same agency — is a
        # duplicate until the first is decided.
        Index(
            "uq_subsidy_application_open_claim",
            "recipient_key",
            "claim_code",
            "period",
            unique=True,
            postgresql_where=OPEN_PREDICATE,
        ),
        Index("ix_subsidy_application_status_created", "status", "created_at", "id"),
        Index("ix_subsidy_application_created", "created_at", "id"),
    )


class SubsidyApplicationFile(Base):
    """A material attached to an application (at submission or when answering a return)."""

    __tablename__ = "subsidy_application_file"

    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("subsidy_application.id", ondelete="CASCADE"), primary_key=True
    )
    file_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("stored_file.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    round: Mapped[int] = mapped_column(SmallInteger, server_default="1")
    added_at: Mapped[datetime] = mapped_column(server_default=func.now())


class SubsidyStatusChange(UUIDPrimaryKey, Base):
    """Every status an application went through, who moved it and why."""

    __tablename__ = "subsidy_status_change"

    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("subsidy_application.id", ondelete="CASCADE")
    )
    from_status: Mapped[str | None] = mapped_column(String(15))
    to_status: Mapped[str] = mapped_column(String(15))
    actor_kind: Mapped[str] = mapped_column(String(10))
    actor_id: Mapped[uuid.UUID | None]
    note: Mapped[str | None] = mapped_column(String(500))
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    __table_args__ = (
        CheckConstraint(one_of("to_status", APPLICATION_STATUSES), name="to_status"),
        CheckConstraint(one_of("actor_kind", ACTOR_KINDS), name="actor_kind"),
        Index("ix_subsidy_status_change_app_created", "application_id", "created_at", "id"),
    )


class SubsidyAward(UUIDPrimaryKey, Base):
    """One approved award line: the ledger the engine reads (``LedgerEntry``)."""

    __tablename__ = "subsidy_award"

    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("subsidy_application.id", ondelete="RESTRICT"), index=True
    )
    policy_code: Mapped[str] = mapped_column(String(60))
    recipient_key: Mapped[str] = mapped_column(String(80))
    person_key: Mapped[str | None] = mapped_column(String(80), index=True)
    item_key: Mapped[str | None] = mapped_column(String(80))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    year: Mapped[int] = mapped_column(SmallInteger)
    awarded_on: Mapped[date] = mapped_column(Date)
    quantity: Mapped[int] = mapped_column(Integer, server_default="1")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    __table_args__ = (
        CheckConstraint("amount_fen >= 0", name="amount"),
        CheckConstraint("quantity >= 0", name="quantity"),
        Index("ix_subsidy_award_recipient_year", "recipient_key", "year"),
    )
