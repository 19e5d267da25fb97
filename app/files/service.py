"""Accept an upload: size limit, type by content (not by name), random storage name."""

from __future__ import annotations

import hashlib
import uuid

import anyio
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core import errors
from app.core.text import scrub
from app.files.images import (
    MAX_PIXELS,
    ImageTooLarge,
    ImageUnreadable,
    Thumbnail,
    make_thumbnail,
)
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


class PictureTypeRefused(errors.UnsupportedMediaType):
    code = "file.type_refused"
    message = "头像、单位标志和岗位照片仅支持 JPG 或 PNG 图片"


class PictureUnreadable(errors.ValidationFailed):
    code = "file.image_unreadable"
    message = "图片无法识别，请重新选择一张 JPG 或 PNG 图片"


class PictureTooLarge(errors.ValidationFailed):
    code = "file.image_too_large"
    message = "图片像素过大（上限 4000 万像素），请压缩后重新上传"


# Uploads shown as pictures: they must decode, and always have a thumbnail.
PICTURE_PURPOSES = frozenset({"avatar", "employer_logo", "job_photo"})
IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})


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
    thumbnail = await _thumbnail(data, content_type, picture=purpose in PICTURE_PURPOSES)
    key = await storage.save(data)
    thumbnail_key = await storage.save(thumbnail.data) if thumbnail is not None else None
    stored = StoredFile(
        owner_user_id=owner_id,
        purpose=purpose,
        content_type=content_type,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=key,
        thumbnail_key=thumbnail_key,
        # The picker's file name is metadata, not typed text: hostile characters are replaced
        # (U+FFFD) rather than refusing the upload.
        original_name=scrub(original_name or "")[:200] or None,
    )
    session.add(stored)
    await session.flush()
    return stored


async def _thumbnail(data: bytes, content_type: str, *, picture: bool) -> Thumbnail | None:
    """The thumbnail of an image. A picture (avatar, logo, job photo) must decode; another
    upload that does not (a scan in an odd encoding) is kept as is, without a thumbnail."""
    if content_type not in IMAGE_TYPES:
        if picture:
            raise PictureTypeRefused()
        return None
    try:
        return await anyio.to_thread.run_sync(make_thumbnail, data)
    except ImageTooLarge:
        if picture:
            raise PictureTooLarge(details={"max_pixels": MAX_PIXELS}) from None
    except ImageUnreadable:
        if picture:
            raise PictureUnreadable() from None
    return None


async def file_by_id(session: AsyncSession, file_id: uuid.UUID) -> StoredFile:
    """Any file (a signed link is the permission to read it); 404 when it is gone."""
    found = await session.get(StoredFile, file_id)
    if found is None:
        raise FileNotFound()
    return found


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
