"""Internships (就业见习): interns at verified host units, the facts of clause 11."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, Timestamps, UUIDPrimaryKey


class InternshipEnrolment(UUIDPrimaryKey, Timestamps, Base):
    """An intern at a host unit: the facts of the clause 11 internship subsidy.

    ``agreed_months`` comes from the internship job; ``end_date`` is the planned last day. An
    intern either signs a labour contract early (``contract_signed_on``), leaves early
    (``left_on``), or finishes; ``retained`` says whether the unit kept them at the end.
    """

    __tablename__ = "internship_enrolment"

    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("job.id", ondelete="RESTRICT"))
    employer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("employer.id", ondelete="RESTRICT"), index=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"))
    application_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("job_application.id", ondelete="SET NULL")
    )
    start_date: Mapped[date] = mapped_column(Date)
    agreed_months: Mapped[int] = mapped_column(SmallInteger)
    end_date: Mapped[date] = mapped_column(Date)
    monthly_allowance_fen: Mapped[int] = mapped_column(Integer)
    contract_signed_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    retained: Mapped[bool | None]
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )

    __table_args__ = (
        UniqueConstraint("job_id", "user_id"),
        CheckConstraint("agreed_months BETWEEN 1 AND 24", name="agreed_months"),
        CheckConstraint("end_date > start_date", name="period"),
        CheckConstraint("monthly_allowance_fen >= 0", name="allowance"),
        CheckConstraint("contract_signed_on IS NULL OR left_on IS NULL", name="one_way_out"),
        Index("ix_internship_enrolment_employer_start", "employer_id", "start_date", "id"),
        Index("ix_internship_enrolment_user_created", "user_id", "created_at", "id"),
    )
