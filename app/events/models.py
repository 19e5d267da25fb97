"""Recruitment events (fairs, 小精专 special fairs, campus trips, live-stream hiring), employer
booths, seeker registrations, and applications made from a live-stream session.

Counters on the event (``booth_count``, ``registered_count``, ``application_count``) are moved
by conditional UPDATEs in the same transaction as the row they count, so a limit is never
exceeded however many requests race (``booth_count < booth_limit`` is part of the UPDATE).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, Timestamps, UUIDPrimaryKey, one_of

EVENT_KINDS = ("fair", "special_fair", "campus_trip", "livestream")
EVENT_STATUSES = ("published", "cancelled")
PLATFORMS = ("wechat_channels", "douyin", "kuaishou", "other")
BOOTH_STATUSES = ("pending", "confirmed", "rejected")
REGISTRATION_STATUSES = ("registered", "cancelled", "checked_in")
ACTIVE_BOOTH = "status IN ('pending', 'confirmed')"
ACTIVE_REGISTRATION = "status <> 'cancelled'"


class RecruitmentEvent(UUIDPrimaryKey, Timestamps, Base):
    """A recruitment event; live-stream sessions (直播带岗) are events of kind ``livestream``."""

    __tablename__ = "recruitment_event"

    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), server_default="published")
    title: Mapped[str] = mapped_column(String(100))
    brand: Mapped[str | None] = mapped_column(String(40))
    description: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    online: Mapped[bool] = mapped_column(server_default=text("false"))
    venue: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(200))
    area_code: Mapped[str | None] = mapped_column(String(20))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    organiser: Mapped[str] = mapped_column(String(100))
    target_groups: Mapped[list[str]] = mapped_column(
        ARRAY(String(30)), server_default=text("'{}'::varchar[]")
    )
    booth_limit: Mapped[int] = mapped_column(Integer, server_default="0")
    booth_count: Mapped[int] = mapped_column(Integer, server_default="0")
    registration_limit: Mapped[int] = mapped_column(Integer, server_default="0")
    registered_count: Mapped[int] = mapped_column(Integer, server_default="0")
    # Live-stream hiring only.
    host: Mapped[str | None] = mapped_column(String(60))
    platform: Mapped[str | None] = mapped_column(String(20))
    channel_name: Mapped[str | None] = mapped_column(String(60))
    channel_id: Mapped[str | None] = mapped_column(String(100))
    live_url: Mapped[str | None] = mapped_column(String(500))
    application_count: Mapped[int] = mapped_column(Integer, server_default="0")
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )

    __table_args__ = (
        CheckConstraint(one_of("kind", EVENT_KINDS), name="kind"),
        CheckConstraint(one_of("status", EVENT_STATUSES), name="status"),
        CheckConstraint(f"platform IS NULL OR {one_of('platform', PLATFORMS)}", name="platform"),
        CheckConstraint("kind <> 'livestream' OR platform IS NOT NULL", name="livestream_platform"),
        CheckConstraint("online OR address IS NOT NULL", name="place"),
        CheckConstraint("ends_at > starts_at", name="period"),
        CheckConstraint("booth_count >= 0 AND booth_count <= booth_limit", name="booths"),
        CheckConstraint(
            "registered_count >= 0 AND registered_count <= registration_limit",
            name="registrations",
        ),
        CheckConstraint("application_count >= 0", name="application_count"),
        Index("ix_recruitment_event_starts", "starts_at", "id"),
    )


class EventFeaturedJob(Base):
    """A job presented in a live-stream session."""

    __tablename__ = "event_featured_job"

    event_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("recruitment_event.id", ondelete="CASCADE"), primary_key=True
    )
    job_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("job.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, server_default="0")


class EventBooth(UUIDPrimaryKey, Timestamps, Base):
    """An employer's booth at a fair: pending until staff confirm (with a booth number)."""

    __tablename__ = "event_booth"

    event_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("recruitment_event.id", ondelete="CASCADE")
    )
    employer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("employer.id", ondelete="CASCADE"), index=True
    )
    registered_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(20), server_default="pending")
    contact_name: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(String(200))
    booth_no: Mapped[str | None] = mapped_column(String(20))
    decided_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        CheckConstraint(one_of("status", BOOTH_STATUSES), name="status"),
        # One live booth per employer and event.
        Index(
            "uq_event_booth_active_employer",
            "event_id",
            "employer_id",
            unique=True,
            postgresql_where=ACTIVE_BOOTH,
        ),
        Index("ix_event_booth_event_created", "event_id", "created_at", "id"),
    )


class EventBoothJob(Base):
    """A job the employer brings to its booth."""

    __tablename__ = "event_booth_job"

    booth_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("event_booth.id", ondelete="CASCADE"), primary_key=True
    )
    job_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("job.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class EventRegistration(UUIDPrimaryKey, Timestamps, Base):
    """A seeker's sign-up; the check-in code is a signed token naming this row."""

    __tablename__ = "event_registration"

    event_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("recruitment_event.id", ondelete="CASCADE")
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), server_default="registered")
    cancelled_at: Mapped[datetime | None]
    checked_in_at: Mapped[datetime | None]
    checked_in_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )

    __table_args__ = (
        CheckConstraint(one_of("status", REGISTRATION_STATUSES), name="status"),
        Index(
            "uq_event_registration_active_user",
            "event_id",
            "user_id",
            unique=True,
            postgresql_where=ACTIVE_REGISTRATION,
        ),
        Index("ix_event_registration_user_created", "user_id", "created_at", "id"),
        Index("ix_event_registration_event_created", "event_id", "created_at", "id"),
    )


class LivestreamApplication(UUIDPrimaryKey, Base):
    """A job application made from a live-stream session: the application's source.

    The application itself lives in ``job_application`` (app.applications); this row says it came
    from ``event_id``, once per application.
    """

    __tablename__ = "livestream_application"

    event_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("recruitment_event.id", ondelete="CASCADE")
    )
    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("job_application.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(server_default=text("now()"))

    __table_args__ = (Index("ix_livestream_application_event_created", "event_id", "created_at"),)
