"""WeChat failures as envelope errors with Chinese messages; no WeChat failure becomes a 500.

| WeChat says                               | the client sees                           |
|-------------------------------------------|-------------------------------------------|
| 40029 / 40163 (code invalid / used)       | 401 ``wechat.code_invalid``               |
| 45011 (minute quota)                      | 429 ``wechat.rate_limited``, Retry-After  |
| 40226 (high-risk user)                    | 403 ``wechat.user_high_risk``             |
| -1, timeout, connection error, HTTP 5xx   | 503 ``wechat.unavailable``, Retry-After   |
| any other errcode or an unreadable answer | 502 ``wechat.error``, errcode in details  |
"""

from __future__ import annotations

from typing import Any

from app.core.errors import (
    AppError,
    BadGateway,
    BadRequest,
    Forbidden,
    NotFound,
    RateLimited,
    ServiceUnavailable,
    Unauthorized,
    ValidationFailed,
)

ERRCODE_SYSTEM_BUSY = -1
ERRCODE_CODE_INVALID = 40029
ERRCODE_CODE_USED = 40163
ERRCODE_RATE_LIMITED = 45011
ERRCODE_USER_HIGH_RISK = 40226
# The access token was rejected: refresh it (once) and retry the call.
TOKEN_REJECTED_ERRCODES = frozenset({40001, 40014, 42001})

RATE_LIMIT_RETRY_AFTER_SECONDS = 60
UNAVAILABLE_RETRY_AFTER_SECONDS = 5


class WeChatError(AppError):
    """Base of every WeChat failure; ``errcode`` is WeChat's code when WeChat gave one."""

    errcode: int | None = None


class WeChatCodeInvalid(WeChatError, Unauthorized):
    code = "wechat.code_invalid"
    message = "微信授权码无效或已使用，请重新操作"


class WeChatRateLimited(WeChatError, RateLimited):
    code = "wechat.rate_limited"
    message = "微信接口调用过于频繁，请稍后再试"


class WeChatUserHighRisk(WeChatError, Forbidden):
    code = "wechat.user_high_risk"
    message = "当前微信账号存在安全风险，暂时无法使用该功能"


class WeChatUnavailable(WeChatError, ServiceUnavailable):
    code = "wechat.unavailable"
    message = "微信服务暂时不可用，请稍后再试"


class WeChatUpstreamError(WeChatError, BadGateway):
    code = "wechat.error"
    message = "微信服务返回异常，请稍后再试"


class WeChatSceneInvalid(WeChatError, ValidationFailed):
    code = "wechat.scene_invalid"
    message = "小程序码参数不合法：最多 32 个字母、数字或常用符号"


class WeChatPayloadInvalid(WeChatError, BadRequest):
    """The mini-program sent encrypted data we cannot open (wrong key, iv, appid or garbage)."""

    code = "wechat.payload_invalid"
    message = "微信加密数据无效，请重新授权"


class PushSignatureInvalid(WeChatError, Unauthorized):
    code = "wechat.push_signature_invalid"
    message = "消息推送签名校验失败"


class PushAppIdMismatch(WeChatError, Forbidden):
    code = "wechat.push_appid_mismatch"
    message = "消息推送不属于本小程序"


class PushMalformed(WeChatError, BadRequest):
    code = "wechat.push_malformed"
    message = "消息推送内容无法解析"


class PushNotConfigured(WeChatError, NotFound):
    code = "wechat.push_not_configured"
    message = "未配置微信消息推送"


def error_for_errcode(errcode: int, errmsg: str, *, endpoint: str) -> WeChatError:
    """The envelope error for a non-zero WeChat ``errcode`` returned by ``endpoint``."""
    details: dict[str, Any] = {"errcode": errcode, "errmsg": errmsg, "endpoint": endpoint}
    error: WeChatError
    if errcode in (ERRCODE_CODE_INVALID, ERRCODE_CODE_USED):
        error = WeChatCodeInvalid(details=details)
    elif errcode == ERRCODE_RATE_LIMITED:
        error = WeChatRateLimited(RATE_LIMIT_RETRY_AFTER_SECONDS, details=details)
    elif errcode == ERRCODE_USER_HIGH_RISK:
        error = WeChatUserHighRisk(details=details)
    elif errcode == ERRCODE_SYSTEM_BUSY:
        error = WeChatUnavailable(retry_after=UNAVAILABLE_RETRY_AFTER_SECONDS, details=details)
    else:
        error = WeChatUpstreamError(details=details)
    error.errcode = errcode
    return error


def unavailable(endpoint: str, reason: str) -> WeChatUnavailable:
    """WeChat could not be reached in time (timeout, refused connection, HTTP 5xx)."""
    return WeChatUnavailable(
        retry_after=UNAVAILABLE_RETRY_AFTER_SECONDS,
        details={"endpoint": endpoint, "reason": reason},
    )


def bad_reply(endpoint: str, reason: str) -> WeChatUpstreamError:
    """WeChat answered something we cannot read (not JSON, a missing field)."""
    return WeChatUpstreamError(details={"endpoint": endpoint, "reason": reason})
