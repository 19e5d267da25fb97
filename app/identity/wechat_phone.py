"""Where a phone number comes from: the new `getPhoneNumber` code, or the legacy encrypted data."""

from __future__ import annotations

from app.integrations.wechat.client import WeChatClient
from app.integrations.wechat.crypto import decrypt_phone_number


async def phone_from_code(wechat: WeChatClient, code: str) -> str:
    """Ask WeChat (`getuserphonenumber`) for the number behind a phone code."""
    info = await wechat.get_phone_number(code)
    return info.pure_phone_number or info.phone_number


def phone_from_encrypted_data(wechat: WeChatClient, session_key: str, data: str, iv: str) -> str:
    """Decrypt the legacy `encryptedData`/`iv` payload (wechatpy checks the watermark appid)."""
    info = decrypt_phone_number(session_key, data, iv, appid=wechat.appid)
    return info.pure_phone_number or info.phone_number
