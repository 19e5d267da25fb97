"""One row per person told: the inbox item and the state of its WeChat subscribe message; the
one-time subscription credits a person granted per template; the kinds a person turned off."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UUIDPrimaryKey, one_of

WECHAT_STATES = (
    "pending",  # waiting for the worker (or for 08:00)
    "sending",  # a credit is spent and the call to WeChat is under way (see docs/notifications.md)
    "sent",  # WeChat accepted it
    "no_credit",  # the user holds no accepted subscription for the template
    "opted_out",  # the user turned the kind (or all subscribe messages) off
    "no_template",  # no template is configured for the kind: inbox only
    "refused",  # WeChat said the user refused (43101) or the openid is bad (40003)
    "failed",  # retries exhausted, or WeChat refused the message itself
    "unknown",  # the worker stopped during the call: maybe sent, never repeated
)

SUBSCRIPTION_ANSWERS = ("accept", "reject", "ban", "filter")


class Notification(UUIDPrimaryKey, Base):
    """Written in the same transaction as the change it tells of (``outbox.notify``)."""

    __tablename__ = "notification"
    __table_args__ = (
        # "Told once": a second notify with the same key for the same person is a no-op.
        UniqueConstraint("user_id", "dedupe_key"),
        Index("ix_notification_inbox", "user_id", text("created_at DESC"), text("id DESC")),
        Index(
            "ix_notification_unread",
            "user_id",
            postgresql_where=text("read_at IS NULL"),
        ),
        CheckConstraint(one_of("wechat_state", WECHAT_STATES), name="wechat_state"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(60))
    body: Mapped[str] = mapped_column(Text)
    # The mini-program page with its query, e.g. "pages/applications/detail?id=…".
    page: Mapped[str] = mapped_column(String(300))
    # Values for the kind's subscribe-message template, by field name (see app.notifications).
    keywords: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]
    wechat_state: Mapped[str] = mapped_column(String(20), server_default="pending")
    wechat_attempts: Mapped[int] = mapped_column(server_default=text("0"))
    wechat_sent_at: Mapped[datetime | None]
    # The template the credit was spent on, and WeChat's last error code (for support).
    wechat_template_id: Mapped[str | None] = mapped_column(String(64))
    wechat_errcode: Mapped[int | None]


class SubscriptionCredit(Base):
    """One-time subscribe-message credits: each ``accept`` of ``wx.requestSubscribeMessage`` is
    one message WeChat lets us send with that template; a send spends one."""

    __tablename__ = "notification_credit"
    __table_args__ = (
        CheckConstraint("credits >= 0", name="credits_not_negative"),
        CheckConstraint(one_of("last_answer", SUBSCRIPTION_ANSWERS), name="last_answer"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    template_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    credits: Mapped[int] = mapped_column(server_default=text("0"))
    last_answer: Mapped[str] = mapped_column(String(10))
    updated_at: Mapped[datetime]


class NotificationPreference(Base):
    """The kinds a person turned off (no WeChat message for them; the inbox still has them)."""

    __tablename__ = "notification_preference"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    disabled_kinds: Mapped[list[str]] = mapped_column(
        ARRAY(String(40)), server_default=text("'{}'::varchar[]")
    )
    updated_at: Mapped[datetime]
