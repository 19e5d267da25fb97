"""The bureau's own records: entered target figures, liaisons' monthly progress per measure,
shortage-occupation catalogues and follow-ups on hard-to-fill postings."""

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

CATALOGUE_STATUSES = ("draft", "published", "superseded")
FOLLOW_UP_ACTIONS = ("fair", "livestream", "recommendation", "other")
FIRST_OF_MONTH = "EXTRACT(DAY FROM month) = 1"


class TargetEntry(UUIDPrimaryKey, Timestamps, Base):
    """A month's figure of a target the platform cannot see (the official 城镇新增就业 count)."""

    __tablename__ = "bureau_target_entry"

    target_code: Mapped[str] = mapped_column(String(40))
    month: Mapped[date] = mapped_column(Date)  # the first day of the month (Beijing calendar)
    value: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(String(200))
    entered_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )

    __table_args__ = (
        UniqueConstraint("target_code", "month"),
        CheckConstraint(FIRST_OF_MONTH, name="first_of_month"),
        CheckConstraint("value >= 0", name="value"),
    )


class MeasureProgress(UUIDPrimaryKey, Timestamps, Base):
    """One unit's progress on one measure of the plan in one month (entered by its liaison)."""

    __tablename__ = "bureau_measure_progress"

    measure_no: Mapped[int] = mapped_column(SmallInteger)
    month: Mapped[date] = mapped_column(Date)
    unit: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text)
    entered_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )

    __table_args__ = (
        UniqueConstraint("measure_no", "month", "unit"),
        CheckConstraint(FIRST_OF_MONTH, name="first_of_month"),
        CheckConstraint("measure_no BETWEEN 1 AND 23", name="measure_no"),
        Index("ix_bureau_measure_progress_month", "month"),
    )


class ShortageCatalogue(UUIDPrimaryKey, Timestamps, Base):
    """A 急需紧缺职业（工种）目录: drafted by the rule, reviewed and published by staff."""

    __tablename__ = "shortage_catalogue"

    status: Mapped[str] = mapped_column(String(12), server_default="draft")
    month: Mapped[date] = mapped_column(Date)  # the last month the rule looked at
    rule: Mapped[dict[str, Any]] = mapped_column(JSONB)
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )
    published_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )
    published_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint(one_of("status", CATALOGUE_STATUSES), name="status"),
        CheckConstraint(FIRST_OF_MONTH, name="first_of_month"),
        # At most one published catalogue at a time: publishing supersedes the previous one.
        Index(
            "uq_shortage_catalogue_published",
            "status",
            unique=True,
            postgresql_where=text("status = 'published'"),
        ),
    )


class VacancyFollowUp(UUIDPrimaryKey, Base):
    """Staff action on a hard-to-fill posting (岗位清单): pushed to a fair, a live-stream, a
    recommendation round. Exactly one of job_id / gig_id."""

    __tablename__ = "vacancy_follow_up"

    job_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("job.id", ondelete="CASCADE"), index=True
    )
    gig_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("gig.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("recruitment_event.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(String(500))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    __table_args__ = (
        CheckConstraint(one_of("action", FOLLOW_UP_ACTIONS), name="action"),
        CheckConstraint("(job_id IS NULL) <> (gig_id IS NULL)", name="one_posting"),
    )
