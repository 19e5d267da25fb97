"""Accept an upload: size limit, type by content (not by name), random storage name."""

from __future__ import annotations

import hashlib
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core import errors
from app.core.text import scrub
from app.files.models import StoredFile
from app.integrations.storage.local import LocalStorage

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
ACCEPTED_CONTENT_TYPES = tuple(content_type for _, content_type in _SIGNATURES)


class FileTypeRefused(errors.UnsupportedMediaType):
    code = "file.type_refused"
    message = "仅支持 JPG、PNG 图片或 PDF 文件"


class FileTooLarge(errors.PayloadTooLarge):
    code = "file.too_large"
    message = "文件过大，请压缩后重新上传"


class FileEmpty(errors.ValidationFailed):
    code = "file.empty"
    message = "文件内容为空"


class FileNotFound(errors.NotFound):
    code = "file.not_found"
    message = "文件不存在"


def sniff(data: bytes) -> str:
    """The content type from the first bytes; anything but JPEG, PNG or PDF is refused."""
    for magic, content_type in _SIGNATURES:
        if data.startswith(magic):
            return content_type
    raise FileTypeRefused()


async def store_upload(
    session: AsyncSession,
    storage: LocalStorage,
    *,
    owner_id: uuid.UUID,
    data: bytes,
    purpose: str,
    original_name: str | None,
    max_bytes: int,
) -> StoredFile:
    if not data:
        raise FileEmpty()
    if len(data) > max_bytes:
        raise FileTooLarge(details={"max_bytes": max_bytes})
    content_type = sniff(data)
    key = await storage.save(data)
    stored = StoredFile(
        owner_user_id=owner_id,
        purpose=purpose,
        content_type=content_type,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=key,
        # The picker's file name is metadata, not typed text: hostile characters are replaced
        # (U+FFFD) rather than refusing the upload.
        original_name=scrub(original_name or "")[:200] or None,
    )
    session.add(stored)
    await session.flush()
    return stored


async def readable_file(
    session: AsyncSession, file_id: uuid.UUID, *, user_id: uuid.UUID | None, is_staff: bool
) -> StoredFile:
    """The file if the caller owns it or is staff; anyone else gets 404."""
    stmt = select(StoredFile).where(StoredFile.id == file_id)
    if not is_staff:
        stmt = stmt.where(StoredFile.owner_user_id == user_id)
    found = (await session.execute(stmt)).scalar_one_or_none()
    if found is None:
        raise FileNotFound()
    return found


async def owned_files(
    session: AsyncSession, file_ids: list[uuid.UUID], owner_id: uuid.UUID
) -> list[StoredFile]:
    """Files by id that belong to ``owner_id``; a foreign or unknown id is refused."""
    if not file_ids:
        return []
    stmt = select(StoredFile).where(
        StoredFile.id.in_(file_ids), StoredFile.owner_user_id == owner_id
    )
    found = list((await session.execute(stmt)).scalars())
    if len(found) != len(set(file_ids)):
        raise FileNotFound(details={"file_ids": [str(i) for i in file_ids]})
    return found
