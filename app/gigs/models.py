"""The gig market (零工市场): worker gig profiles, gigs with their occurrences, applications
(and invitations), bookings, ratings and the posters' aggregates.

Invariants that concurrency must not break live in the database:

* ``gig.booked_count <= gig.headcount`` (a CHECK), and every booking increments the counter under a
  ``SELECT … FOR UPDATE`` lock of the gig row (see ``app.gigs.booking_service``);
* one active booking per worker and gig (a partial unique index);
* no worker booked twice for overlapping times: every booking first locks the worker's gig-profile
  row, then looks for overlapping active bookings — the lock serialises one worker's bookings.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, INT4MULTIRANGE, INT4RANGE, JSONB, Range
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, Timestamps, UUIDPrimaryKey, one_of

PAY_UNITS = ("hour", "day", "piece")
SETTLEMENTS = ("same_day", "on_completion")
GIG_STATUSES = (
    "pending_review",
    "rejected",
    "open",
    "full",
    "in_progress",
    "completed",
    "cancelled",
)
APPLICATION_ORIGINS = ("worker", "poster")
APPLICATION_STATUSES = ("pending", "accepted", "declined", "withdrawn", "closed")
BOOKING_STATUSES = ("booked", "checked_in", "completed", "cancelled")
ACTIVE_BOOKING_STATUSES = ("booked", "checked_in")
PAYMENT_STATUSES = ("unpaid", "reported", "confirmed", "disputed")
PARTY_SIDES = ("worker", "poster")

_EMPTY_TEXT_ARRAY = text("'{}'::varchar[]")
_EMPTY_DATE_ARRAY = text("'{}'::date[]")


class GigWorkerProfile(UUIDPrimaryKey, Timestamps, Base):
    """What a worker offers: skills, when they are free, where they live and how far they go.

    ``skills`` and ``availability`` hold the full detail (levels, certificates, time windows);
    ``skill_codes``, ``skill_ranks``, ``certified_skill_codes``, ``weekday_mask`` and
    ``dates_off`` are the same facts flattened for SQL (GIN on the codes, a weekday bitmask).
    """

    __tablename__ = "gig_worker_profile"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    skills: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    skill_codes: Mapped[list[str]] = mapped_column(ARRAY(String(32)))
    # The level rank (1 初级 … 3 高级) of each skill in ``skill_codes``, position by position.
    skill_ranks: Mapped[list[int]] = mapped_column(ARRAY(SmallInteger))
    # Skills for which the worker holds one of the certificates the taxonomy lists.
    certified_skill_codes: Mapped[list[str]] = mapped_column(
        ARRAY(String(32)), server_default=_EMPTY_TEXT_ARRAY
    )
    availability: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    # The same windows as minutes since Monday 00:00, merged: SQL asks "covers every piece?".
    week_windows: Mapped[list[Range[int]]] = mapped_column(INT4MULTIRANGE)
    # Bit (weekday - 1) is set when the worker has a time window that weekday (1 = Monday).
    weekday_mask: Mapped[int] = mapped_column(SmallInteger)
    dates_off: Mapped[list[date]] = mapped_column(ARRAY(Date), server_default=_EMPTY_DATE_ARRAY)
    home_lat: Mapped[float] = mapped_column(Float)
    home_lng: Mapped[float] = mapped_column(Float)
    area_code: Mapped[str | None] = mapped_column(String(12))
    travel_radius_km: Mapped[float] = mapped_column(Float)
    expected_pay_fen: Mapped[int | None] = mapped_column(Integer)
    expected_pay_unit: Mapped[str | None] = mapped_column(String(10))
    accepts_same_day: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    completed_count: Mapped[int] = mapped_column(Integer, server_default="0")
    cancelled_count: Mapped[int] = mapped_column(Integer, server_default="0")
    late_cancelled_count: Mapped[int] = mapped_column(Integer, server_default="0")
    rating_count: Mapped[int] = mapped_column(Integer, server_default="0")
    rating_sum: Mapped[int] = mapped_column(Integer, server_default="0")

    __table_args__ = (
        Index("uq_gig_worker_profile_user_id", "user_id", unique=True),
        Index("ix_gig_worker_profile_home", "home_lat", "home_lng"),
        Index("ix_gig_worker_profile_skill_codes", "skill_codes", postgresql_using="gin"),
        CheckConstraint("home_lat BETWEEN -90 AND 90 AND home_lng BETWEEN -180 AND 180", "home"),
        CheckConstraint("travel_radius_km > 0 AND travel_radius_km <= 50", name="radius"),
        CheckConstraint("weekday_mask BETWEEN 0 AND 127", name="weekday_mask"),
        CheckConstraint(
            "expected_pay_unit IS NULL OR " + one_of("expected_pay_unit", PAY_UNITS), "pay_unit"
        ),
        CheckConstraint(
            "late_cancelled_count <= cancelled_count AND completed_count >= 0 "
            "AND rating_count >= 0 AND rating_sum >= 0",
            name="counters",
        ),
    )


# The columns of a worker's profile that matching reads, copied per skill (gig_worker_skill).
WORKER_SKILL_COPIES = (
    "skill_codes", "skill_ranks", "certified_skill_codes", "week_windows", "weekday_mask",
    "dates_off", "home_lat", "home_lng", "travel_radius_km", "expected_pay_fen",
    "expected_pay_unit", "accepts_same_day", "completed_count", "cancelled_count",
    "late_cancelled_count", "rating_count", "rating_sum",
)  # fmt: skip


class GigWorkerSkill(Base):
    """One skill of a worker's profile with the profile's matching columns: what ranks workers.

    Written only by the ``gig_worker_skill_sync`` trigger (migration ``20261203_1600``) whenever a
    profile is inserted or one of ``WORKER_SKILL_COPIES`` changes, whoever changes it (the
    profile form, a completed booking's counters, a rating). The covering index lists every
    column, so the candidates for a gig's skill — 4,000 workers for 搬家搬运, fewer on the gig's
    weekdays — are read from consecutive index pages (index-only) instead of one heap page each.
    See docs/gig-matching.md.
    """

    __tablename__ = "gig_worker_skill"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("gig_worker_profile.user_id", ondelete="CASCADE"), primary_key=True
    )
    skill_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    skill_codes: Mapped[list[str]] = mapped_column(ARRAY(String(32)))
    skill_ranks: Mapped[list[int]] = mapped_column(ARRAY(SmallInteger))
    certified_skill_codes: Mapped[list[str]] = mapped_column(ARRAY(String(32)))
    week_windows: Mapped[list[Range[int]]] = mapped_column(INT4MULTIRANGE)
    weekday_mask: Mapped[int] = mapped_column(SmallInteger)
    dates_off: Mapped[list[date]] = mapped_column(ARRAY(Date))
    home_lat: Mapped[float] = mapped_column(Float)
    home_lng: Mapped[float] = mapped_column(Float)
    travel_radius_km: Mapped[float] = mapped_column(Float)
    expected_pay_fen: Mapped[int | None] = mapped_column(Integer)
    expected_pay_unit: Mapped[str | None] = mapped_column(String(10))
    accepts_same_day: Mapped[bool] = mapped_column(Boolean)
    completed_count: Mapped[int] = mapped_column(Integer)
    cancelled_count: Mapped[int] = mapped_column(Integer)
    late_cancelled_count: Mapped[int] = mapped_column(Integer)
    rating_count: Mapped[int] = mapped_column(Integer)
    rating_sum: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        # The weekday mask second: a gig reads only the entries of workers free on its weekdays
        # (``weekday_mask = ANY (supersets of the gig's mask)``).
        Index(
            "ix_gig_worker_skill_weekdays",
            "skill_code",
            "weekday_mask",
            "user_id",
            postgresql_include=[c for c in WORKER_SKILL_COPIES if c != "weekday_mask"],
        ),
    )


class GigPosterStats(Base):
    """Aggregates of a person as a gig poster (ratings from workers, cancellations)."""

    __tablename__ = "gig_poster_stats"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    completed_count: Mapped[int] = mapped_column(Integer, server_default="0")
    cancelled_count: Mapped[int] = mapped_column(Integer, server_default="0")
    late_cancelled_count: Mapped[int] = mapped_column(Integer, server_default="0")
    rating_count: Mapped[int] = mapped_column(Integer, server_default="0")
    rating_sum: Mapped[int] = mapped_column(Integer, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())


class Gig(UUIDPrimaryKey, Timestamps, Base):
    """A short job on one or several days, posted by a real-name person or a verified employer."""

    __tablename__ = "gig"

    poster_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"))
    employer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("employer.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text)
    required_skills: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    required_skill_codes: Mapped[list[str]] = mapped_column(ARRAY(String(32)))
    certificate_skill_codes: Mapped[list[str]] = mapped_column(
        ARRAY(String(32)), server_default=_EMPTY_TEXT_ARRAY
    )
    # The schedule: local (Asia/Shanghai) start dates and one daily window in minutes since
    # local midnight (end <= start: the shift ends the next morning). ``local_dates`` are all the
    # local dates the occurrences touch, ``weekday_mask`` their weekdays, for SQL filtering.
    work_dates: Mapped[list[date]] = mapped_column(ARRAY(Date))
    start_minute: Mapped[int] = mapped_column(SmallInteger)
    end_minute: Mapped[int] = mapped_column(SmallInteger)
    local_dates: Mapped[list[date]] = mapped_column(ARRAY(Date))
    weekday_mask: Mapped[int] = mapped_column(SmallInteger)
    # Each local-day piece of the schedule as minutes since Monday 00:00 (see GigWorkerProfile).
    week_pieces: Mapped[list[Range[int]]] = mapped_column(ARRAY(INT4RANGE))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    minutes_per_day: Mapped[int] = mapped_column(Integer)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    area_code: Mapped[str | None] = mapped_column(String(12))
    address: Mapped[str] = mapped_column(String(200))
    headcount: Mapped[int] = mapped_column(Integer)
    booked_count: Mapped[int] = mapped_column(Integer, server_default="0")
    pay_fen: Mapped[int] = mapped_column(Integer)
    pay_unit: Mapped[str] = mapped_column(String(10))
    # Pay for one day of this gig (hour pay × hours a day); NULL for piece pay.
    daily_pay_fen: Mapped[int | None] = mapped_column(Integer)
    settlement: Mapped[str] = mapped_column(String(20))
    contact_name: Mapped[str] = mapped_column(String(40))
    # Personal data: the contact's phone, AES-GCM sealed (see app.gigs.views.contact_phone_of).
    contact_phone_encrypted: Mapped[str] = mapped_column(Text)
    moderation: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    cancel_reason: Mapped[str | None] = mapped_column(String(200))
    cancelled_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint(one_of("status", GIG_STATUSES), name="status"),
        CheckConstraint(one_of("pay_unit", PAY_UNITS), name="pay_unit"),
        CheckConstraint(one_of("settlement", SETTLEMENTS), name="settlement"),
        CheckConstraint("headcount BETWEEN 1 AND 500", name="headcount"),
        # The database refuses an overbooked gig whatever the application does.
        CheckConstraint("booked_count >= 0 AND booked_count <= headcount", name="booked_count"),
        CheckConstraint("pay_fen > 0", name="pay_fen"),
        CheckConstraint("ends_at > starts_at", name="time_order"),
        CheckConstraint(
            "start_minute BETWEEN 0 AND 1439 AND end_minute BETWEEN 0 AND 1440", name="window"
        ),
        CheckConstraint("latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180", "coords"),
        Index("ix_gig_poster_created", "poster_id", "created_at", "id"),
        Index("ix_gig_status_created", "status", "created_at", "id"),
        Index("ix_gig_open_starts", "starts_at", "id", postgresql_where="status = 'open'"),
        Index("ix_gig_open_lat_lng", "latitude", "longitude", postgresql_where="status = 'open'"),
        Index(
            "ix_gig_open_skill_codes",
            "required_skill_codes",
            postgresql_using="gin",
            postgresql_where="status = 'open'",
        ),
    )


class GigOccurrence(UUIDPrimaryKey, Base):
    """One working period of a gig, stored in UTC (computed from Asia/Shanghai local times)."""

    __tablename__ = "gig_occurrence"

    gig_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("gig.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_gig_occurrence_gig_starts", "gig_id", "starts_at"),
        Index("ix_gig_occurrence_starts", "starts_at"),
        Index("uq_gig_occurrence_gig_date", "gig_id", "local_date", unique=True),
        CheckConstraint("ends_at > starts_at", name="time_order"),
    )


class GigApplication(UUIDPrimaryKey, Timestamps, Base):
    """A worker's application to a gig, or (``origin = 'poster'``) the poster's invitation.

    One row per gig and worker: an invited worker accepts the invitation instead of applying.
    """

    __tablename__ = "gig_application"

    gig_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("gig.id", ondelete="CASCADE"))
    worker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    origin: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), server_default="pending")
    message: Mapped[str] = mapped_column(String(200), server_default="")
    decided_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint(one_of("origin", APPLICATION_ORIGINS), name="origin"),
        CheckConstraint(one_of("status", APPLICATION_STATUSES), name="status"),
        Index("uq_gig_application_gig_worker", "gig_id", "worker_id", unique=True),
        Index("ix_gig_application_gig_created", "gig_id", "created_at", "id"),
        Index("ix_gig_application_worker_created", "worker_id", "created_at", "id"),
    )


class GigBooking(UUIDPrimaryKey, Timestamps, Base):
    """A worker booked on a gig: check-in, completion, pay and its confirmation, or cancellation."""

    __tablename__ = "gig_booking"

    gig_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("gig.id", ondelete="CASCADE"))
    worker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("gig_application.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(12), server_default="booked")
    checked_in_at: Mapped[datetime | None]
    check_in_lat: Mapped[float | None] = mapped_column(Float)
    check_in_lng: Mapped[float | None] = mapped_column(Float)
    check_in_distance_km: Mapped[float | None] = mapped_column(Float)
    completed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancelled_by: Mapped[str | None] = mapped_column(String(10))
    cancel_reason: Mapped[str | None] = mapped_column(String(200))
    late_cancellation: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    payment_status: Mapped[str] = mapped_column(String(10), server_default="unpaid")
    paid_amount_fen: Mapped[int | None] = mapped_column(Integer)
    paid_reported_at: Mapped[datetime | None]
    payment_note: Mapped[str | None] = mapped_column(String(200))
    receipt_confirmed_at: Mapped[datetime | None]
    disputed_at: Mapped[datetime | None]
    dispute_reason: Mapped[str | None] = mapped_column(String(500))
    complaint_id: Mapped[uuid.UUID | None]

    __table_args__ = (
        CheckConstraint(one_of("status", BOOKING_STATUSES), name="status"),
        CheckConstraint(one_of("payment_status", PAYMENT_STATUSES), name="payment_status"),
        CheckConstraint("cancelled_by IS NULL OR " + one_of("cancelled_by", PARTY_SIDES), "by"),
        CheckConstraint("paid_amount_fen IS NULL OR paid_amount_fen >= 0", name="paid_amount"),
        CheckConstraint("(status = 'cancelled') = (cancelled_at IS NOT NULL)", name="cancelled_at"),
        # One active (not cancelled) booking per gig and worker.
        Index(
            "uq_gig_booking_gig_worker_active",
            "gig_id",
            "worker_id",
            unique=True,
            postgresql_where="status <> 'cancelled'",
        ),
        Index("ix_gig_booking_application", "application_id"),
        Index("ix_gig_booking_gig_created", "gig_id", "created_at", "id"),
        Index("ix_gig_booking_worker_created", "worker_id", "created_at", "id"),
        Index(
            "ix_gig_booking_worker_active",
            "worker_id",
            "gig_id",
            postgresql_where="status IN ('booked', 'checked_in')",
        ),
    )


class GigRating(UUIDPrimaryKey, Base):
    """One rating per booking and side, after completion: 1–5 stars with tags."""

    __tablename__ = "gig_rating"

    booking_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("gig_booking.id", ondelete="CASCADE"))
    rater_side: Mapped[str] = mapped_column(String(10))
    rater_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    ratee_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[int] = mapped_column(SmallInteger)
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(20)), server_default=_EMPTY_TEXT_ARRAY)
    comment: Mapped[str] = mapped_column(String(300), server_default="")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    __table_args__ = (
        CheckConstraint(one_of("rater_side", PARTY_SIDES), name="rater_side"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score"),
        Index("uq_gig_rating_booking_side", "booking_id", "rater_side", unique=True),
    )
