"""Pure ASGI middleware: request id, body-size limit, JSON access log, metrics, last-resort 500.

Pure ASGI (not BaseHTTPMiddleware) keeps the per-request overhead to a few microseconds.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core import db_errors, errors, metrics
from app.core.context import request_id_var

access_log = logging.getLogger("app.access")
log = logging.getLogger(__name__)

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            try:
                return str(value.decode("latin-1"))
            except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes anything
                return None
    return None


def _error_body(error: errors.AppError, request_id: str) -> bytes:
    body = {"code": error.code, "message": error.message, "details": error.details}
    body["request_id"] = request_id
    return json.dumps(body, ensure_ascii=False).encode()


def _error_for(exc: Exception, scope: Scope) -> errors.AppError:
    """503 for a database outage (one warning naming the cause), else 500 with the traceback."""
    cause = db_errors.unavailable_cause(exc)
    if cause is None:
        log.exception("unhandled error", extra={"path": scope.get("path")})
        return errors.InternalError()
    log.warning(
        "database unavailable",
        extra={"cause": cause, "error": db_errors.describe(exc), "path": scope.get("path")},
    )
    return db_errors.DatabaseUnavailable()


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        state: dict[str, Any] = {"status": 500, "started": False}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                state["started"] = True
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            if self._declared_too_large(scope):
                await self._send_error(send, errors.PayloadTooLarge(), request_id, state)
                return
            await self.app(scope, self._limited(receive), send_wrapper)
        except Exception as exc:
            error = _error_for(exc, scope)
            if not state["started"]:
                await self._send_error(send, error, request_id, state)
        finally:
            self._record(scope, state["status"], time.perf_counter() - started)
            request_id_var.reset(token)

    def _declared_too_large(self, scope: Scope) -> bool:
        length = _header(scope, b"content-length")
        return bool(length and length.isdigit() and int(length) > self.max_body_bytes)

    def _limited(self, receive: Receive) -> Receive:
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body_bytes:
                    # HTTPException passes through FastAPI's body parsing untouched.
                    raise HTTPException(status_code=413)
            return message

        return limited_receive

    async def _send_error(
        self, send: Send, error: errors.AppError, request_id: str, state: dict[str, Any]
    ) -> None:
        body = _error_body(error, request_id)
        state["status"] = error.status_code
        state["started"] = True
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"x-request-id", request_id.encode()),
        ]
        headers.extend((k.lower().encode(), v.encode()) for k, v in (error.headers or {}).items())
        await send({"type": "http.response.start", "status": error.status_code, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        route = scope.get("route")
        template = getattr(route, "path", None) or "<unmatched>"
        method = scope.get("method", "")
        metrics.observe(method, template, status, seconds)
        access_log.info(
            "request",
            extra={
                "method": method,
                "path": template,
                "status": status,
                "duration_ms": round(seconds * 1000, 2),
            },
        )
