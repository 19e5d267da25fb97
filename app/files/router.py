"""Upload materials (JPEG, PNG, PDF) and read them back (owner and staff only)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import File, Form, Request, Response, UploadFile

from app.core.db import SessionDep
from app.core.routing import APIRouter
from app.core.schemas import ReadSchema
from app.files import service
from app.identity.dependencies import CurrentUser, SignedInClaims
from app.integrations.storage.local import LocalStorage

router = APIRouter(prefix="/api/v1/files", tags=["files"])

Purpose = Literal["subsidy_material", "business_licence", "certificate", "avatar", "other"]


class FileRead(ReadSchema):
    id: uuid.UUID
    purpose: str
    content_type: str
    size_bytes: int
    sha256: str
    original_name: str | None
    created_at: datetime


def _storage(request: Request) -> LocalStorage:
    return LocalStorage(request.app.state.settings.storage.root)


@router.post("", response_model=FileRead, status_code=201, summary="上传文件")
async def upload_file(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="JPG、PNG 或 PDF，不超过 10 MB")],
    purpose: Annotated[Purpose, Form(description="用途")] = "other",
) -> Any:
    """Upload a material as `multipart/form-data` (field `file`, optional `purpose`).

    The type is decided by the file's content, not its name: only JPEG, PNG and PDF are
    accepted (415 otherwise); files above the limit get 413. Keep the returned `id` and send it
    in `material_file_ids` of an application. Only you and staff can read the file.
    """
    limit = request.app.state.settings.storage.max_upload_bytes
    data = await file.read(limit + 1)
    stored = await service.store_upload(
        session,
        _storage(request),
        owner_id=user.id,
        data=data,
        purpose=purpose,
        original_name=file.filename,
        max_bytes=limit,
    )
    return stored


@router.get(
    "/{file_id}",
    response_class=Response,
    summary="下载文件",
    responses={200: {"content": {"application/octet-stream": {"schema": {"type": "string"}}}}},
)
async def download_file(
    file_id: uuid.UUID, request: Request, claims: SignedInClaims, session: SessionDep
) -> Response:
    """The file's bytes, for its owner and for staff; anyone else gets 404."""
    stored = await service.readable_file(
        session,
        file_id,
        user_id=claims.subject_id if claims.kind == "user" else None,
        is_staff=claims.kind == "staff",
    )
    data = await _storage(request).read(stored.storage_key)
    return Response(
        content=data,
        media_type=stored.content_type,
        headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
    )
