"""A fake WeChat server: same paths and JSON as the real API, with error and latency injection."""

from app.integrations.wechat.fake.server import create_fake_app
from app.integrations.wechat.fake.state import (
    DEMO_APPID,
    DEMO_ENCODING_AES_KEY,
    DEMO_PUSH_TOKEN,
    DEMO_SECRET,
    FakeWeChatState,
)

__all__ = [
    "DEMO_APPID",
    "DEMO_ENCODING_AES_KEY",
    "DEMO_PUSH_TOKEN",
    "DEMO_SECRET",
    "FakeWeChatState",
    "create_fake_app",
]
