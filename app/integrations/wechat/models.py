"""Tables of the WeChat integration: the shared access-token cache and received push events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UUIDPrimaryKey


class WeChatAccessToken(Base):
    """One row per AppID: the access token every worker and process shares."""

    __tablename__ = "wechat_access_token"

    appid: Mapped[str] = mapped_column(String(64), primary_key=True)
    access_token: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime]
    # Refreshed from this moment on, some minutes before WeChat lets it expire.
    refresh_at: Mapped[datetime]
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())


class WeChatPushEvent(UUIDPrimaryKey, Base):
    """An event WeChat pushed to us (subscribe-message and media-check events), as received."""

    __tablename__ = "wechat_push_event"
    __table_args__ = (Index(None, "event_type", "received_at"),)

    event_type: Mapped[str] = mapped_column(String(64))
    openid: Mapped[str | None] = mapped_column(String(128), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    # sha256 of the decrypted payload: WeChat re-delivers a push it thinks we missed.
    dedup_key: Mapped[str] = mapped_column(String(64), unique=True)
    received_at: Mapped[datetime] = mapped_column(server_default=func.now())
