"""Users (one per WeChat openid), refresh tokens, staff accounts."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, Timestamps, UUIDPrimaryKey


class User(UUIDPrimaryKey, Timestamps, Base):
    """A person using the mini-program. Personal fields are encrypted (see app.core.security)."""

    __tablename__ = "user"

    openid: Mapped[str] = mapped_column(String(64), unique=True)
    unionid: Mapped[str | None] = mapped_column(String(64), index=True)
    session_key_encrypted: Mapped[str | None] = mapped_column(Text)
    nickname: Mapped[str | None] = mapped_column(String(40))
    avatar_url: Mapped[str | None] = mapped_column(String(500))
    # An uploaded picture (purpose avatar); deleting the file clears it. use_alter: stored_file
    # points back at user (its owner), and the tables are sorted without this edge.
    avatar_file_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("stored_file.id", ondelete="SET NULL", use_alter=True), index=True
    )
    gender: Mapped[str] = mapped_column(String(10), server_default="unknown")
    contact_preferences: Mapped[dict[str, Any]] = mapped_column(
        JSONB, server_default=text("'{}'::jsonb")
    )
    phone_encrypted: Mapped[str | None] = mapped_column(Text)
    # One phone number, one account (a rebinding moves it: app.identity.phone_binding).
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True, unique=True)
    phone_bound_at: Mapped[datetime | None]
    real_name_encrypted: Mapped[str | None] = mapped_column(Text)
    id_number_encrypted: Mapped[str | None] = mapped_column(Text)
    id_number_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    birth_date: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(10))
    real_name_verified_at: Mapped[datetime | None]
    is_active: Mapped[bool] = mapped_column(server_default=text("true"))
    last_login_at: Mapped[datetime | None]
    # Set when the person deleted their account (账号注销): the row stays as a pseudonymous
    # tombstone (records the law keeps point at it), every personal field is gone.
    deleted_at: Mapped[datetime | None]

    __table_args__ = (CheckConstraint("gender IN ('unknown', 'male', 'female')", name="gender"),)


class StaffAccount(UUIDPrimaryKey, Timestamps, Base):
    """Bureau or station staff: password login, roles admin / reviewer / station / liaison."""

    __tablename__ = "staff_account"

    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(Text)
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(20)))
    # A liaison (联络员) speaks for one unit of the plan (区人社局, 区财政局, ...).
    unit: Mapped[str | None] = mapped_column(String(40))
    is_active: Mapped[bool] = mapped_column(server_default=text("true"))
    last_login_at: Mapped[datetime | None]
    # The staff member's own mini-program account, if they have one: a reviewer may not decide
    # an application they (or an organisation they belong to) submitted.
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), unique=True
    )


class RefreshToken(UUIDPrimaryKey, Base):
    """An opaque refresh token (stored hashed). Rotation keeps the family; reuse revokes it."""

    __tablename__ = "refresh_token"

    family_id: Mapped[uuid.UUID] = mapped_column(index=True)
    subject_kind: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    staff_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)  # purged by identity.tasks
    rotated_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint(
            "(subject_kind = 'user' AND user_id IS NOT NULL AND staff_id IS NULL) OR "
            "(subject_kind = 'staff' AND staff_id IS NOT NULL AND user_id IS NULL)",
            name="one_subject",
        ),
        Index("ix_refresh_token_family_active", "family_id", postgresql_where="revoked_at IS NULL"),
    )


class StaffLoginSource(Base):
    """Staff logins on one username from one client address.

    The lockout counts failures here, per (username, address), so failures from elsewhere never
    lock the owner out; the rows of one username together reveal an attack from many addresses.
    Usernames are kept lower-cased and need not exist (unknown names behave like known ones).
    """

    __tablename__ = "staff_login_source"

    username: Mapped[str] = mapped_column(String(40), primary_key=True)
    client_address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, server_default="0")
    last_failed_at: Mapped[datetime | None]
    locked_until: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_staff_login_source_username_failed", "username", "last_failed_at"),)
