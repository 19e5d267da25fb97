"""Service items (服务清单), employment service stations, appointment slots and appointments."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, Timestamps, UUIDPrimaryKey, one_of

STATION_KINDS = ("street_station", "market_station", "gig_station")
SERVICE_CATEGORIES = ("registration", "certification", "guidance", "policy", "training", "rights")
APPOINTMENT_STATUSES = ("booked", "cancelled", "checked_in", "completed", "no_show")
OUTCOMES = ("served", "referred", "needs_materials", "no_show")
ACTIVE_APPOINTMENT = "status <> 'cancelled'"


class ServiceItem(UUIDPrimaryKey, Timestamps, Base):
    """A standard service a person can get (服务清单), addressed by its stable ``code``."""

    __tablename__ = "service_item"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    category: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(Text)
    conditions: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'::text[]"))
    materials: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'::text[]"))
    time_limit: Mapped[str] = mapped_column(String(40))
    # Working days to finish; 0 means on the spot (即时办结).
    time_limit_days: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    online: Mapped[bool] = mapped_column(server_default=text("false"))
    station_kinds: Mapped[list[str]] = mapped_column(
        ARRAY(String(20)), server_default=text("'{}'::varchar[]")
    )
    policy_code: Mapped[str | None] = mapped_column(String(60))
    sort_order: Mapped[int] = mapped_column(Integer, server_default="0")
    is_active: Mapped[bool] = mapped_column(server_default=text("true"))

    __table_args__ = (
        CheckConstraint(one_of("category", SERVICE_CATEGORIES), name="category"),
        CheckConstraint("time_limit_days >= 0", name="time_limit_days"),
        Index("ix_service_item_order", "sort_order", "code"),
    )


class Station(UUIDPrimaryKey, Timestamps, Base):
    """An employment service station; ``weekly_hours`` is a list of {weekday, opens, closes}."""

    __tablename__ = "station"

    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20))
    area_code: Mapped[str] = mapped_column(String(20), index=True)
    address: Mapped[str] = mapped_column(String(200))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    phone: Mapped[str | None] = mapped_column(String(30))
    description: Mapped[str | None] = mapped_column(Text)
    weekly_hours: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, server_default=text("'[]'::jsonb")
    )
    is_active: Mapped[bool] = mapped_column(server_default=text("true"))

    __table_args__ = (
        CheckConstraint(one_of("kind", STATION_KINDS), name="kind"),
        CheckConstraint(
            "latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180", name="coords"
        ),
        Index("ix_station_lat_lng", "latitude", "longitude"),
    )


class StationServiceItem(Base):
    """A service item offered at a station."""

    __tablename__ = "station_service_item"

    station_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("station.id", ondelete="CASCADE"), primary_key=True
    )
    service_item_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("service_item.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class StationException(UUIDPrimaryKey, Timestamps, Base):
    """A dated exception to the weekly hours: closed all day, or open at special ``hours``."""

    __tablename__ = "station_exception"

    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("station.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    closed: Mapped[bool]
    # [{opens, closes}] when not closed.
    hours: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default=text("'[]'::jsonb"))
    reason: Mapped[str] = mapped_column(String(60))

    __table_args__ = (
        Index("uq_station_exception_station_id_day", "station_id", "day", unique=True),
    )


class AppointmentSlot(UUIDPrimaryKey, Timestamps, Base):
    """A bookable period at a station for one service item; ``booked`` never exceeds capacity."""

    __tablename__ = "appointment_slot"

    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("station.id", ondelete="CASCADE"))
    service_item_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("service_item.id", ondelete="RESTRICT"), index=True
    )
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    capacity: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer, server_default="0")
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )

    __table_args__ = (
        CheckConstraint("capacity BETWEEN 1 AND 1000", name="capacity"),
        CheckConstraint("booked >= 0 AND booked <= capacity", name="booked"),
        CheckConstraint("ends_at > starts_at", name="period"),
        Index(
            "uq_appointment_slot_station_service_start",
            "station_id",
            "service_item_id",
            "starts_at",
            unique=True,
        ),
        Index("ix_appointment_slot_station_starts", "station_id", "starts_at"),
    )


class Appointment(UUIDPrimaryKey, Timestamps, Base):
    """A person's booking of a slot: booked → checked_in → completed, or cancelled / no_show."""

    __tablename__ = "appointment"

    slot_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("appointment_slot.id", ondelete="RESTRICT")
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), server_default="booked")
    note: Mapped[str | None] = mapped_column(String(200))
    cancelled_at: Mapped[datetime | None]
    checked_in_at: Mapped[datetime | None]
    checked_in_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_note: Mapped[str | None] = mapped_column(String(500))
    outcome_at: Mapped[datetime | None]
    outcome_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )

    __table_args__ = (
        CheckConstraint(one_of("status", APPOINTMENT_STATUSES), name="status"),
        CheckConstraint(f"outcome IS NULL OR {one_of('outcome', OUTCOMES)}", name="outcome"),
        # One active booking per person per slot (a double tap or a retry books once).
        Index(
            "uq_appointment_active_slot_user",
            "slot_id",
            "user_id",
            unique=True,
            postgresql_where=ACTIVE_APPOINTMENT,
        ),
        Index("ix_appointment_user_created", "user_id", "created_at", "id"),
        Index("ix_appointment_slot_id", "slot_id"),
    )
