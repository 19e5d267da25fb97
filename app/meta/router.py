"""`GET /api/v1/meta`: public, cacheable, answered 304 when the client already has it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Request, Response

from app.core.routing import APIRouter
from app.meta.schemas import MetaRead
from app.meta.service import build_meta

router = APIRouter(tags=["meta"])

CACHE_CONTROL = "public, max-age=300"


def _etag_and_body(request: Request) -> tuple[str, bytes]:
    cached: tuple[str, bytes] | None = getattr(request.app.state, "meta_document", None)
    if cached is None:
        meta, body = build_meta(request.app.state.settings)
        cached = (f'"{meta.version}"', body)
        request.app.state.meta_document = cached
    return cached


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in candidates or etag in candidates


@router.get(
    "/meta",
    response_model=MetaRead,
    summary="启动数据（字典、标签、上传限制、客服）",
    responses={304: {"description": "与 `If-None-Match` 相同，内容未变（无响应体）"}},
)
async def get_meta(
    request: Request,
    if_none_match: Annotated[str | None, Header(description="上次响应的 ETag")] = None,
) -> Response:
    """Everything a mini-program needs once at start, public (no login): every vocabulary with
    Chinese names (occupations and their categories, industries, streets and towns, benefits,
    skills, certificates, education levels), the Chinese label of every code the API answers
    with (`labels[enum][code]`), upload limits, subscribe-message template ids per notification
    kind, and the service hotline with office hours.

    Answers carry `ETag` and `Cache-Control: public, max-age=300`; send the ETag back in
    `If-None-Match` and an unchanged document answers 304 without a body.
    """
    etag, body = _etag_and_body(request)
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if _matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    return Response(content=body, media_type="application/json", headers=headers)
