"""Uploaded files (materials, licences, pictures): metadata here, bytes in storage."""

from __future__ import annotations

import uuid

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, Timestamps, UUIDPrimaryKey


class StoredFile(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "stored_file"

    owner_user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(30))
    content_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(80), unique=True)
    original_name: Mapped[str | None] = mapped_column(String(200))
    # A small JPEG/PNG made at upload time from a decodable JPEG or PNG (app.files.images);
    # None for PDFs and for images that could not be decoded.
    thumbnail_key: Mapped[str | None] = mapped_column(String(80), unique=True)
