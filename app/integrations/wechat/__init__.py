"""The WeChat integration: async client, shared access token, crypto, message push, a fake server.

Other code gets the client from the app: ``request.app.state.wechat`` (a ``WeChatClient``).
"""

from app.integrations.wechat.client import WeChatClient
from app.integrations.wechat.errors import (
    WeChatCodeInvalid,
    WeChatError,
    WeChatPayloadInvalid,
    WeChatRateLimited,
    WeChatUnavailable,
    WeChatUpstreamError,
    WeChatUserHighRisk,
)
from app.integrations.wechat.types import Code2Session, PhoneInfo, SecCheckResult, SecCheckScene

__all__ = [
    "Code2Session",
    "PhoneInfo",
    "SecCheckResult",
    "SecCheckScene",
    "WeChatClient",
    "WeChatCodeInvalid",
    "WeChatError",
    "WeChatPayloadInvalid",
    "WeChatRateLimited",
    "WeChatUnavailable",
    "WeChatUpstreamError",
    "WeChatUserHighRisk",
]
