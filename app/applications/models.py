"""Resumes, job applications, their status history, and the employment events hires record.

* ``Resume``: one per person, replaced as a whole by ``PUT /me/resume``.
* ``JobApplication``: one per job and person (unique index), with the resume as it was when the
  person applied (``resume_snapshot``), so later edits do not rewrite what the employer received.
* ``ApplicationStatusChange``: every status change, who made it and why; read by both sides.
* ``EmploymentEvent``: a hire, the fact the statistics and the subsidy engine read later.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, Timestamps, UUIDPrimaryKey, one_of

SALARY_UNITS = ("month", "day", "hour")
APPLICATION_STATUSES = (
    "submitted",
    "viewed",
    "interview",
    "offered",
    "hired",
    "rejected",
    "withdrawn",
)
ACTOR_ROLES = ("applicant", "employer")
CONTRACT_TYPES = ("fixed_term", "open_ended", "part_time", "internship")


class Resume(UUIDPrimaryKey, Timestamps, Base):
    """A person's resume; list fields are JSON validated by ``app.applications.resume_schemas``."""

    __tablename__ = "resume"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), unique=True
    )
    education: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, server_default=text("'[]'::jsonb")
    )
    # The highest degree among ``education`` (derived on write), for statistics and matching.
    highest_education: Mapped[str | None] = mapped_column(String(20))
    work_history: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, server_default=text("'[]'::jsonb")
    )
    skills: Mapped[list[str]] = mapped_column(
        ARRAY(String(20)), server_default=text("'{}'::varchar[]")
    )
    certificates: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, server_default=text("'[]'::jsonb")
    )
    expected_occupation_codes: Mapped[list[str]] = mapped_column(
        ARRAY(String(20)), server_default=text("'{}'::varchar[]")
    )
    expected_salary_min_fen: Mapped[int | None] = mapped_column(Integer)
    expected_salary_max_fen: Mapped[int | None] = mapped_column(Integer)
    expected_salary_unit: Mapped[str | None] = mapped_column(String(10))
    expected_area_codes: Mapped[list[str]] = mapped_column(
        ARRAY(String(12)), server_default=text("'{}'::varchar[]")
    )
    self_introduction: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint(
            "(expected_salary_unit IS NULL AND expected_salary_min_fen IS NULL "
            "AND expected_salary_max_fen IS NULL) OR "
            f"({one_of('expected_salary_unit', SALARY_UNITS)} "
            "AND expected_salary_min_fen >= 0 "
            "AND expected_salary_max_fen >= expected_salary_min_fen)",
            name="expected_salary",
        ),
    )


class JobApplication(UUIDPrimaryKey, Timestamps, Base):
    """A person's application to a job: once per job and person."""

    __tablename__ = "job_application"

    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"))
    # Denormalised from the job so employer-side queries and statistics need no join.
    employer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("employer.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), server_default="submitted")
    resume_snapshot: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status_changed_at: Mapped[datetime] = mapped_column(server_default=func.now())

    __table_args__ = (
        # Once per job and person: a retry or a double tap finds this row instead of a second one.
        UniqueConstraint("job_id", "user_id"),
        CheckConstraint(one_of("status", APPLICATION_STATUSES), name="status"),
        Index("ix_job_application_user_created", "user_id", "created_at", "id"),
        Index("ix_job_application_job_created", "job_id", "created_at", "id"),
    )


class ApplicationStatusChange(UUIDPrimaryKey, Base):
    """One status change of an application (``from_status`` is null for the submission)."""

    __tablename__ = "application_status_change"

    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("job_application.id", ondelete="CASCADE")
    )
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    actor_role: Mapped[str] = mapped_column(String(10))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    __table_args__ = (
        CheckConstraint(one_of("actor_role", ACTOR_ROLES), name="actor_role"),
        CheckConstraint(one_of("to_status", APPLICATION_STATUSES), name="to_status"),
        Index("ix_application_status_change_app_created", "application_id", "created_at", "id"),
    )


class EmploymentEvent(UUIDPrimaryKey, Base):
    """A hire through an application: evidence for statistics and subsidies, so never cascaded."""

    __tablename__ = "employment_event"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"))
    employer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("employer.id", ondelete="RESTRICT"), index=True
    )
    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("job.id", ondelete="RESTRICT"))
    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("job_application.id", ondelete="RESTRICT"), unique=True
    )
    start_date: Mapped[date] = mapped_column(Date)
    contract_type: Mapped[str] = mapped_column(String(20))
    contract_months: Mapped[int | None] = mapped_column(SmallInteger)
    is_first_contract: Mapped[bool | None] = mapped_column(Boolean)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    __table_args__ = (
        CheckConstraint(one_of("contract_type", CONTRACT_TYPES), name="contract_type"),
        CheckConstraint(
            "contract_months IS NULL OR contract_months BETWEEN 1 AND 120", name="contract_months"
        ),
        CheckConstraint(
            "contract_type <> 'fixed_term' OR contract_months IS NOT NULL",
            name="fixed_term_months",
        ),
        Index("ix_employment_event_user_created", "user_id", "created_at", "id"),
    )
