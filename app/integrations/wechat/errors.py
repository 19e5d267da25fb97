"""WeChat failures as envelope errors with Chinese messages; no WeChat failure becomes a 500.

| WeChat says                               | the client sees                           |
|-------------------------------------------|-------------------------------------------|
| 40029 / 40163 (code invalid / used)       | 401 ``wechat.code_invalid``               |
| 45011 (minute quota)                      | 429 ``wechat.rate_limited``, Retry-After  |
| 40226 (high-risk user)                    | 403 ``wechat.user_high_risk``             |
| -1, timeout, connection error, HTTP 5xx   | 503 ``wechat.unavailable``, Retry-After   |
| 40013/40125/41002/41004/40164, and 40001  | 503 ``wechat.unavailable``, Retry-After;  |
| after a refresh (our AppID, secret or     | an error log and the metric               |
| server address is wrong: operator fault)  | ``wechat_configuration_errors_total``     |
| any other errcode or an unreadable answer | 502 ``wechat.error``                      |

The client sees our code, a Chinese message and at most WeChat's numeric ``errcode`` in
``details``. WeChat's ``errmsg`` (with its request id and help URL), the endpoint and the reason
go to the log only.
"""

from __future__ import annotations

import logging
from typing import Any

from app.core import metrics
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

# WeChat refuses our own credentials or server: nothing a retry or the user can fix.
OPERATOR_FAULT_ERRCODES = frozenset(
    {
        40013,  # invalid appid
        40125,  # invalid appsecret
        41002,  # appid missing
        41004,  # appsecret missing
        40164,  # the server's IP address is not in the AppID's whitelist
        40001,  # invalid credential, still after a forced token refresh
    }
)
# WeChat says the user's input was wrong: no operator needs to hear about it.
_CLIENT_ERRCODES = frozenset({40029, 40163, 40226})

RATE_LIMIT_RETRY_AFTER_SECONDS = 60
UNAVAILABLE_RETRY_AFTER_SECONDS = 5
MISCONFIGURED_RETRY_AFTER_SECONDS = 60

log = logging.getLogger(__name__)


class WeChatError(AppError):
    """Base of every WeChat failure; ``errcode`` is WeChat's code when WeChat gave one.

    ``endpoint`` and ``reason`` are for the log and for callers, never for the client.
    """

    errcode: int | None = None
    endpoint: str | None = None
    reason: str | None = None


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


def _mapped(errcode: int) -> WeChatError:
    details: dict[str, Any] = {"errcode": errcode}
    if errcode in (ERRCODE_CODE_INVALID, ERRCODE_CODE_USED):
        return WeChatCodeInvalid(details=details)
    if errcode == ERRCODE_RATE_LIMITED:
        return WeChatRateLimited(RATE_LIMIT_RETRY_AFTER_SECONDS, details=details)
    if errcode == ERRCODE_USER_HIGH_RISK:
        return WeChatUserHighRisk(details=details)
    if errcode == ERRCODE_SYSTEM_BUSY:
        return WeChatUnavailable(retry_after=UNAVAILABLE_RETRY_AFTER_SECONDS, details=details)
    if errcode in OPERATOR_FAULT_ERRCODES:
        return WeChatUnavailable(retry_after=MISCONFIGURED_RETRY_AFTER_SECONDS, details=details)
    return WeChatUpstreamError(details=details)


def error_for_errcode(errcode: int, errmsg: str, *, endpoint: str) -> WeChatError:
    """The envelope error for a non-zero WeChat ``errcode`` returned by ``endpoint``.

    ``errmsg`` is logged here and goes no further.
    """
    error = _mapped(errcode)
    error.errcode, error.endpoint, error.reason = errcode, endpoint, f"errcode_{errcode}"
    extra = {"endpoint": endpoint, "errcode": errcode, "errmsg": errmsg}
    if errcode in OPERATOR_FAULT_ERRCODES:
        metrics.WECHAT_CONFIGURATION_ERRORS.labels(str(errcode)).inc()
        log.error(
            "wechat refused our credentials: check WECHAT_APPID and WECHAT_SECRET", extra=extra
        )
    elif errcode in _CLIENT_ERRCODES:
        log.info("wechat refused the user's request", extra=extra)
    else:
        log.warning("wechat answered an error", extra=extra)
    return error


def unavailable(endpoint: str, reason: str) -> WeChatUnavailable:
    """WeChat could not be reached in time (timeout, refused connection, HTTP 5xx)."""
    error = WeChatUnavailable(retry_after=UNAVAILABLE_RETRY_AFTER_SECONDS)
    error.endpoint, error.reason = endpoint, reason
    log.warning("wechat unavailable", extra={"endpoint": endpoint, "reason": reason})
    return error


def bad_reply(endpoint: str, reason: str) -> WeChatUpstreamError:
    """WeChat answered something we cannot read (not JSON, a missing field)."""
    error = WeChatUpstreamError()
    error.endpoint, error.reason = endpoint, reason
    log.warning(
        "wechat answered something unreadable", extra={"endpoint": endpoint, "reason": reason}
    )
    return error
