"""FastAPI dependencies: the WeChat client and the push crypto held by the app."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.integrations.wechat.client import WeChatClient
from app.integrations.wechat.crypto import PushCrypto
from app.integrations.wechat.errors import PushNotConfigured


def get_wechat(request: Request) -> WeChatClient:
    """The app's WeChat client (real API, or the in-process fake in demo mode)."""
    client: WeChatClient = request.app.state.wechat
    return client


def get_push_crypto(request: Request) -> PushCrypto:
    crypto: PushCrypto | None = request.app.state.wechat_push
    if crypto is None:
        raise PushNotConfigured()
    return crypto


WeChatDep = Annotated[WeChatClient, Depends(get_wechat)]
PushCryptoDep = Annotated[PushCrypto, Depends(get_push_crypto)]
