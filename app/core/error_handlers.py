"""Turn every error into the envelope ``{"code", "message", "details", "request_id"}``."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core import errors
from app.core.context import current_request_id
from app.core.routing import allowed_methods
from app.core.text import ERROR_TYPE as FORBIDDEN_TEXT
from app.core.text import scrub

log = logging.getLogger(__name__)

_BY_STATUS: dict[int, type[errors.AppError]] = {
    400: errors.BadRequest,
    401: errors.Unauthorized,
    403: errors.Forbidden,
    404: errors.NotFound,
    405: errors.MethodNotAllowed,
    409: errors.Conflict,
    413: errors.PayloadTooLarge,
    415: errors.UnsupportedMediaType,
    422: errors.ValidationFailed,
    429: errors.RateLimited,
    500: errors.InternalError,
    502: errors.BadGateway,
    503: errors.ServiceUnavailable,
}

_FIELD_MESSAGES = {
    "missing": "缺少必填项",
    "extra_forbidden": "不允许的字段",
    "string_too_short": "内容太短",
    "string_too_long": "内容太长",
    "string_type": "应为文本",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为是/否",
    "uuid_parsing": "编号格式不正确",
    "date_from_datetime_parsing": "日期格式不正确",
    "datetime_from_date_parsing": "时间格式不正确",
    "enum": "取值不在允许范围内",
    "literal_error": "取值不在允许范围内",
    "greater_than": "数值太小",
    "greater_than_equal": "数值太小",
    "less_than": "数值太大",
    "less_than_equal": "数值太大",
    "json_invalid": "JSON 格式不正确",
    "model_attributes_type": "格式不正确",
    "dict_type": "应为对象",
    "list_type": "应为列表",
    "value_error": "取值不正确",
    "bool_type": "应为 true 或 false",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    FORBIDDEN_TEXT: "文本中含有不允许的字符（如空字符）",
    "repeated_parameter": "该参数只能填写一次",
}


def envelope(error: errors.AppError, request_id: str | None = None) -> JSONResponse:
    # Details may echo what the client sent; a lone surrogate in them must not break rendering.
    body = {
        "code": error.code,
        "message": scrub(error.message),
        "details": scrub(error.details),
        "request_id": request_id or current_request_id(),
    }
    return JSONResponse(body, status_code=error.status_code, headers=error.headers)


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        out.append(
            {
                "loc": [str(part) for part in err.get("loc", ())],
                "type": err.get("type"),
                "message": _FIELD_MESSAGES.get(str(err.get("type")), "取值不正确"),
                "detail": str(err.get("msg", "")),
            }
        )
    return out


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, errors.AppError)
    return envelope(exc)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return envelope(errors.ValidationFailed(details=_field_errors(exc)))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    error_class = _BY_STATUS.get(exc.status_code)
    if error_class is None:
        error_class = errors.BadRequest if exc.status_code < 500 else errors.InternalError
    code = error_class.code if exc.status_code in _BY_STATUS else f"http_{exc.status_code}"
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = allowed_methods(request.app, request.url.path) or headers.get(
            "Allow", ""
        )
    error = errors.AppError(error_class.message, code=code, headers=headers or None)
    error.status_code = exc.status_code
    return envelope(error)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(errors.AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
