"""Training courses (职业技能培训), enrolments and attendance."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, Timestamps, UUIDPrimaryKey, one_of

COURSE_STATUSES = ("open", "cancelled")
ENROLMENT_STATUSES = ("enrolled", "cancelled", "completed", "failed")


class TrainingCourse(UUIDPrimaryKey, Timestamps, Base):
    """A course with a fixed number of seats; ``enrolled_count`` never exceeds ``seats``."""

    __tablename__ = "training_course"

    title: Mapped[str] = mapped_column(String(100))
    provider: Mapped[str] = mapped_column(String(100))
    occupation_code: Mapped[str] = mapped_column(String(20))
    hours: Mapped[int] = mapped_column(Integer)
    seats: Mapped[int] = mapped_column(Integer)
    enrolled_count: Mapped[int] = mapped_column(Integer, server_default="0")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    online: Mapped[bool] = mapped_column(server_default=text("false"))
    address: Mapped[str | None] = mapped_column(String(200))
    area_code: Mapped[str | None] = mapped_column(String(20))
    subsidised: Mapped[bool] = mapped_column(server_default=text("false"))
    policy_code: Mapped[str | None] = mapped_column(String(60))
    target_groups: Mapped[list[str]] = mapped_column(
        ARRAY(String(30)), server_default=text("'{}'::varchar[]")
    )
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), server_default="open")
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )

    __table_args__ = (
        CheckConstraint(one_of("status", COURSE_STATUSES), name="status"),
        CheckConstraint("hours BETWEEN 1 AND 2000", name="hours"),
        CheckConstraint("seats BETWEEN 1 AND 10000", name="seats"),
        CheckConstraint("enrolled_count >= 0 AND enrolled_count <= seats", name="enrolled"),
        CheckConstraint("ends_on >= starts_on", name="period"),
        CheckConstraint("online OR address IS NOT NULL", name="place"),
        CheckConstraint("NOT subsidised OR policy_code IS NOT NULL", name="subsidy_policy"),
        Index("ix_training_course_starts", "starts_on", "id"),
    )


class TrainingEnrolment(UUIDPrimaryKey, Timestamps, Base):
    """A person's seat in a course; staff record attendance and the result."""

    __tablename__ = "training_enrolment"

    course_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("training_course.id", ondelete="CASCADE")
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), server_default="enrolled")
    attended_hours: Mapped[int] = mapped_column(Integer, server_default="0")
    cancelled_at: Mapped[datetime | None]
    completed_on: Mapped[date | None] = mapped_column(Date)
    certificate_no: Mapped[str | None] = mapped_column(String(60))
    result_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )

    __table_args__ = (
        CheckConstraint(one_of("status", ENROLMENT_STATUSES), name="status"),
        CheckConstraint("attended_hours >= 0", name="attended_hours"),
        Index(
            "uq_training_enrolment_active_user",
            "course_id",
            "user_id",
            unique=True,
            postgresql_where="status <> 'cancelled'",
        ),
        Index("ix_training_enrolment_user_created", "user_id", "created_at", "id"),
        Index("ix_training_enrolment_course_created", "course_id", "created_at", "id"),
    )


class TrainingAttendance(Base):
    """Hours attended on one day (recorded again for the same day replaces the figure)."""

    __tablename__ = "training_attendance"

    enrolment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("training_enrolment.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    hours: Mapped[int] = mapped_column(SmallInteger)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(server_default=text("now()"))

    __table_args__ = (CheckConstraint("hours BETWEEN 1 AND 12", name="hours"),)
