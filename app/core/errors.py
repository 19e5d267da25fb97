"""The one error tree of the service.

Every error a client can see is an ``AppError``: a stable machine ``code`` (``job.closed``), an
HTTP status and a Chinese ``message`` the mini-program can show as is. Handlers in
``app.core.error_handlers`` turn them into the envelope
``{"code", "message", "details", "request_id"}``.
"""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """Base of every error a client may see."""

    status_code: int = 400
    code: str = "bad_request"
    message: str = "请求有误"
    # Commit the request's work before answering with this error (a failed-login counter, a
    # revoked token family): the error is the answer, but what the service recorded must stay.
    keep_changes: bool = False

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.message = message or type(self).message
        self.code = code or type(self).code
        self.details = details
        self.headers = headers
        super().__init__(self.message)


class BadRequest(AppError):
    status_code = 400
    code = "bad_request"
    message = "请求有误"


class Unauthorized(AppError):
    status_code = 401
    code = "auth.unauthorized"
    message = "请先登录"


class Forbidden(AppError):
    status_code = 403
    code = "auth.forbidden"
    message = "没有权限执行此操作"


class NotFound(AppError):
    status_code = 404
    code = "not_found"
    message = "请求的内容不存在"


class MethodNotAllowed(AppError):
    status_code = 405
    code = "method_not_allowed"
    message = "不支持该请求方法"


class Conflict(AppError):
    status_code = 409
    code = "conflict"
    message = "操作与当前状态冲突"


class PayloadTooLarge(AppError):
    status_code = 413
    code = "payload_too_large"
    message = "请求内容过大"


class UnsupportedMediaType(AppError):
    status_code = 415
    code = "unsupported_media_type"
    message = "不支持的内容类型"


class ValidationFailed(AppError):
    """A request that parsed but breaks a rule (a wrong check digit, an end before a start)."""

    status_code = 422
    code = "validation_error"
    message = "提交的内容不符合要求"


class RateLimited(AppError):
    status_code = 429
    code = "rate_limited"
    message = "操作过于频繁，请稍后再试"

    def __init__(self, retry_after: int, message: str | None = None, **kwargs: Any) -> None:
        headers = {"Retry-After": str(max(1, int(retry_after)))}
        super().__init__(message, headers=headers, **kwargs)
        self.retry_after = retry_after


class InternalError(AppError):
    status_code = 500
    code = "internal_error"
    message = "服务器开小差了，请稍后再试"


class BadGateway(AppError):
    status_code = 502
    code = "bad_gateway"
    message = "上游服务返回异常，请稍后再试"


class ServiceUnavailable(AppError):
    status_code = 503
    code = "service_unavailable"
    message = "服务暂时不可用，请稍后再试"

    def __init__(self, message: str | None = None, *, retry_after: int = 5, **kwargs: Any) -> None:
        headers = {"Retry-After": str(retry_after)}
        headers.update(kwargs.pop("headers", None) or {})
        super().__init__(message, headers=headers, **kwargs)
