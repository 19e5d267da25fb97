"""Which uploads may be shown as an avatar, an employer's logo or a job's photos."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core import errors
from app.files.models import StoredFile

PICTURE_LABELS = {"avatar": "头像", "employer_logo": "单位标志", "job_photo": "岗位照片"}


class PictureUnusable(errors.ValidationFailed):
    code = "file.picture_unusable"
    message = "图片不可用"


async def usable_pictures(
    session: AsyncSession,
    file_ids: Sequence[uuid.UUID],
    *,
    owner_id: uuid.UUID,
    purpose: str,
    attached: Collection[uuid.UUID] = (),
) -> list[uuid.UUID]:
    """``file_ids`` without repeats, once each is either ``attached`` already (a photo another
    member added stays) or an image the caller uploaded for ``purpose``; 422 otherwise."""
    wanted = list(dict.fromkeys(file_ids))
    new = [file_id for file_id in wanted if file_id not in attached]
    if not new:
        return wanted
    stmt = select(StoredFile.id).where(
        StoredFile.id.in_(new),
        StoredFile.owner_user_id == owner_id,
        StoredFile.purpose == purpose,
        StoredFile.thumbnail_key.is_not(None),  # a decoded JPEG or PNG
    )
    found = set((await session.execute(stmt)).scalars())
    refused = [str(file_id) for file_id in new if file_id not in found]
    if refused:
        label = PICTURE_LABELS[purpose]
        raise PictureUnusable(
            f"{label}须为本人上传、用途为 {purpose} 的 JPG 或 PNG 图片",
            details={"file_ids": refused, "purpose": purpose},
        )
    return wanted
