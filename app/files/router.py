"""Upload materials and pictures (JPEG, PNG, PDF); read them back with the bearer token (owner
and staff) or through a signed link (``/content``, no headers: ``<image src>``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import File, Form, Query, Request, Response, UploadFile
from pydantic import Field, computed_field

from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.file_links import FileLinkSigner, Variant, file_url
from app.core.routing import APIRouter
from app.core.schemas import ReadSchema
from app.files import service
from app.identity.dependencies import CurrentUser, SignedInClaims
from app.integrations.storage.local import LocalStorage

router = APIRouter(prefix="/api/v1/files", tags=["files"])

Purpose = Literal[
    "subsidy_material",
    "business_licence",
    "certificate",
    "avatar",
    "employer_logo",
    "job_photo",
    "other",
]


class FileRead(ReadSchema):
    id: uuid.UUID
    purpose: str
    content_type: str
    size_bytes: int
    sha256: str
    original_name: str | None
    created_at: datetime
    thumbnail_key: str | None = Field(default=None, exclude=True)

    @computed_field(  # type: ignore[prop-decorator]
        description="签名链接（约 1 小时有效，无需 Authorization，可直接用作 `<image src>`）"
    )
    @property
    def url(self) -> str:
        return str(file_url(self.id))

    @computed_field(  # type: ignore[prop-decorator]
        description="缩略图签名链接（长边不超过 256 像素）；PDF 等无缩略图时为 null"
    )
    @property
    def thumbnail_url(self) -> str | None:
        return file_url(self.id, "thumb") if self.thumbnail_key else None


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

    Pictures: upload with `purpose` `avatar` (then `avatar_file_id` on your profile),
    `employer_logo` (`logo_file_id` of an employer) or `job_photo` (`photo_file_ids` of a job,
    up to 6). Those must be JPG or PNG pictures that decode (422 `file.image_unreadable`
    otherwise, at most 40 megapixels). Every JPG/PNG gets a thumbnail (at most 256 pixels on the
    long side, EXIF orientation applied, no metadata). `url` and `thumbnail_url` are signed
    links usable without headers.
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


@router.get(
    "/{file_id}/content",
    response_class=Response,
    summary="通过签名链接读取文件",
    responses={
        200: {
            "content": {
                "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                "image/png": {"schema": {"type": "string", "format": "binary"}},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            }
        }
    },
)
async def file_content(
    file_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    exp: Annotated[str | None, Query(max_length=12, description="过期时间（Unix 秒）")] = None,
    sig: Annotated[str | None, Query(max_length=64, description="签名")] = None,
    variant: Annotated[Variant, Query(description="original 原图 · thumb 缩略图")] = "original",
) -> Response:
    """The bytes behind a signed link (`url`, `thumbnail_url`, `avatar_url`, `logo_url`,
    `photo_urls` … of other responses). No `Authorization`: the link is the permission, so use it
    as `<image src>` or in `wx.downloadFile`. A changed or missing signature → 403
    `file.link_invalid`; an expired one → 403 `file.link_expired` (read the resource again for a
    fresh link). A deleted file, or a thumbnail that does not exist → 404."""
    signer: FileLinkSigner = request.app.state.file_link_signer
    remaining = signer.check(file_id, variant, exp, sig, clock())
    stored = await service.file_by_id(session, file_id)
    key = stored.storage_key if variant == "original" else stored.thumbnail_key
    if key is None:
        raise service.FileNotFound()
    data = await _storage(request).read(key)
    media_type = stored.content_type if variant == "original" else service.sniff(data)
    return Response(
        content=data,
        media_type=media_type,
        headers={
            "Cache-Control": f"private, max-age={remaining}",
            "X-Content-Type-Options": "nosniff",
            # Opened in a browser (a PDF), the bytes get no script and no origin of ours.
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )
