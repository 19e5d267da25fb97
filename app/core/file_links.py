"""Signed, short-lived links to stored files, usable as ``<image src>`` without headers.

A mini-program's ``<image>`` cannot send ``Authorization``; a link that carries its own proof can
be shown anywhere. ``GET /api/v1/files/{id}/content?exp=…&sig=…[&variant=thumb]`` serves the
bytes when ``sig`` is the HMAC-SHA256 of ``"{id}:{variant}:{exp}"`` (first 128 bits, base64url)
under a key derived from ``SECURITY_HASH_KEY`` and ``exp`` (Unix seconds) lies in the future.

Expiry is at least ``STORAGE_LINK_TTL_SECONDS`` (1 h) away and rounded up to the next
``BUCKET_SECONDS`` (10 min), so a page reloaded within those minutes gets the very same URLs and
WeChat's image cache is reused. Links are root-relative unless ``PUBLIC_BASE_URL`` is set.

Response schemas hold file ids and turn them into links when serialised (``file_url``); the
request's signer and clock are bound per request by ``bind_file_links`` (an app dependency), so
tests that set the clock see links that expire by it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from fastapi import Request

from app.core import errors
from app.core.clock import Clock, ClockDep
from app.core.config import Settings

Variant = Literal["original", "thumb"]

BUCKET_SECONDS = 600
_KEY_LABEL = b"dongsheng-jobs/file-links/v1"
CONTENT_PATH = "/api/v1/files/{file_id}/content"


class LinkInvalid(errors.Forbidden):
    code = "file.link_invalid"
    message = "图片链接无效，请刷新页面后重试"


class LinkExpired(errors.Forbidden):
    code = "file.link_expired"
    message = "图片链接已过期，请刷新页面后重试"


@dataclass(frozen=True)
class FileLinkSigner:
    key: bytes
    ttl_seconds: int
    base_url: str = ""

    @classmethod
    def from_settings(cls, settings: Settings) -> FileLinkSigner:
        """A key of its own, derived from the keyed-hash key (never used raw for links)."""
        secret = settings.security.hash_key.get_secret_value().encode()
        return cls(
            key=hmac.new(secret, _KEY_LABEL, hashlib.sha256).digest(),
            ttl_seconds=settings.storage.link_ttl_seconds,
            base_url=settings.public_base_url or "",
        )

    def signature(self, file_id: uuid.UUID, variant: Variant, expires: int) -> str:
        message = f"{file_id}:{variant}:{expires}".encode()
        mac = hmac.new(self.key, message, hashlib.sha256).digest()[:16]
        return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()

    def expiry(self, now: datetime) -> int:
        """``now`` + TTL, rounded up to the next bucket (stable URLs within a bucket)."""
        earliest = int(now.timestamp()) + self.ttl_seconds
        return -(-earliest // BUCKET_SECONDS) * BUCKET_SECONDS

    def url(self, file_id: uuid.UUID, variant: Variant, now: datetime) -> str:
        expires = self.expiry(now)
        query = f"exp={expires}&sig={self.signature(file_id, variant, expires)}"
        if variant != "original":
            query += f"&variant={variant}"
        return f"{self.base_url}{CONTENT_PATH.format(file_id=file_id)}?{query}"

    def check(
        self, file_id: uuid.UUID, variant: Variant, exp: str | None, sig: str | None, now: datetime
    ) -> int:
        """Seconds the link stays valid; 403 ``LinkInvalid`` / ``LinkExpired`` otherwise."""
        if not exp or not sig or not exp.isdigit() or len(exp) > 12:
            raise LinkInvalid()
        expected = self.signature(file_id, variant, int(exp))
        if not hmac.compare_digest(expected.encode(), sig.encode()):
            raise LinkInvalid()
        remaining = int(exp) - int(now.timestamp())
        if remaining <= 0:
            raise LinkExpired()
        return remaining


@dataclass(frozen=True)
class FileLinks:
    """The request's signer and clock."""

    signer: FileLinkSigner
    clock: Clock

    def url(self, file_id: uuid.UUID, variant: Variant = "original") -> str:
        return self.signer.url(file_id, variant, self.clock())


_bound: ContextVar[FileLinks | None] = ContextVar("file_links", default=None)


def bind(links: FileLinks) -> None:
    _bound.set(links)


def file_url(file_id: uuid.UUID | None, variant: Variant = "original") -> str | None:
    """The signed link of ``file_id`` for the current request (None for no file)."""
    if file_id is None:
        return None
    links = _bound.get()
    if links is None:
        raise RuntimeError("file links are bound per request (app.core.file_links.bind)")
    return links.url(file_id, variant)


async def bind_file_links(request: Request, clock: ClockDep) -> None:
    """App-wide dependency: response schemas of this request sign links with ``clock``.

    Async on purpose: FastAPI awaits it in the request's own context, so the binding is seen
    when the response is serialised (a sync dependency would run in a copied context).
    """
    signer: FileLinkSigner = request.app.state.file_link_signer
    bind(FileLinks(signer, clock))
