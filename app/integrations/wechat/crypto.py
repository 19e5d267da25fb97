"""Offline WeChat crypto via wechatpy: the legacy ``encryptedData`` payload and message push.

wechatpy compares signatures with ``!=``; every signature here is compared in constant time
(``hmac.compare_digest``) before wechatpy is asked to decrypt anything.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import os
import struct
from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from wechatpy.crypto import WeChatCrypto, WeChatWxaCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.utils import WeChatSigner

from app.integrations.wechat.errors import (
    PushAppIdMismatch,
    PushMalformed,
    PushSignatureInvalid,
    WeChatPayloadInvalid,
)
from app.integrations.wechat.types import PhoneInfo

# What a corrupt ciphertext, key or iv may raise inside wechatpy and the JSON decoder.
_DECRYPT_ERRORS = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    struct.error,
    binascii.Error,
    UnicodeDecodeError,
    RecursionError,
)


def sign(*parts: str) -> str:
    """WeChat's SHA-1 signature: the parts sorted, joined, hashed (hex)."""
    signer = WeChatSigner()
    signer.add_data(*parts)
    return str(signer.signature)


def signature_matches(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode(), given.encode())


def phone_info_from(info: Mapping[str, Any]) -> PhoneInfo | None:
    """``phoneNumber/purePhoneNumber/countryCode`` as WeChat spells them, or None if incomplete."""
    number, pure, country = (
        info.get("phoneNumber"),
        info.get("purePhoneNumber"),
        info.get("countryCode"),
    )
    if not (isinstance(number, str) and number and isinstance(pure, str) and pure):
        return None
    return PhoneInfo(phone_number=number, pure_phone_number=pure, country_code=str(country or ""))


# --- legacy encryptedData / iv ----------------------------------------------------------------


def decrypt_wxa_payload(
    session_key: str, encrypted_data: str, iv: str, *, appid: str
) -> dict[str, Any]:
    """Open an ``encryptedData``/``iv`` payload with the user's session_key; check the appid."""
    try:
        decrypted = WeChatWxaCrypto(session_key, iv, appid).decrypt_message(encrypted_data)
    except InvalidAppIdException:
        raise WeChatPayloadInvalid(details={"reason": "appid_mismatch"}) from None
    except _DECRYPT_ERRORS:
        raise WeChatPayloadInvalid(details={"reason": "undecryptable"}) from None
    if not isinstance(decrypted, dict):
        raise WeChatPayloadInvalid(details={"reason": "undecryptable"})
    return decrypted


def decrypt_phone_number(
    session_key: str, encrypted_data: str, iv: str, *, appid: str
) -> PhoneInfo:
    """The phone number from the legacy ``getPhoneNumber`` payload."""
    info = phone_info_from(decrypt_wxa_payload(session_key, encrypted_data, iv, appid=appid))
    if info is None:
        raise WeChatPayloadInvalid(details={"reason": "no_phone_number"})
    return info


def encrypt_wxa_payload(
    session_key: str, payload: Mapping[str, Any], *, iv: bytes | None = None
) -> tuple[str, str]:
    """The inverse of ``decrypt_wxa_payload`` (what WeChat does): ``(encrypted_data, iv)``.

    Only the fake WeChat server and tests need this.
    """
    iv = iv or os.urandom(16)
    padder = padding.PKCS7(128).padder()
    plain = padder.update(json.dumps(payload, ensure_ascii=False).encode()) + padder.finalize()
    encryptor = Cipher(algorithms.AES(base64.b64decode(session_key)), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(plain) + encryptor.finalize()
    return base64.b64encode(ciphertext).decode(), base64.b64encode(iv).decode()


# --- message push -----------------------------------------------------------------------------


class PushCrypto:
    """Signatures and secure-mode (AES) envelopes of the mini-program's message push."""

    def __init__(self, token: str, appid: str, encoding_aes_key: str | None = None) -> None:
        self.token = token
        self.appid = appid
        self._crypto = WeChatCrypto(token, encoding_aes_key, appid) if encoding_aes_key else None

    @property
    def secure(self) -> bool:
        """Secure mode configured: plaintext pushes are refused."""
        return self._crypto is not None

    def check_signature(self, signature: str, timestamp: str, nonce: str) -> None:
        """The URL signature of every push (and of the GET verification)."""
        if not signature_matches(sign(self.token, timestamp, nonce), signature):
            raise PushSignatureInvalid()

    def decrypt(self, encrypt: str, msg_signature: str, timestamp: str, nonce: str) -> str:
        """The plaintext of a secure-mode push after checking ``msg_signature``."""
        if self._crypto is None:
            raise PushMalformed(details={"reason": "secure_mode_not_configured"})
        if not signature_matches(sign(self.token, timestamp, nonce, encrypt), msg_signature):
            raise PushSignatureInvalid()
        try:
            plaintext = self._crypto.decrypt_message(
                {"Encrypt": encrypt}, msg_signature, timestamp, nonce
            )
        except InvalidAppIdException:
            raise PushAppIdMismatch() from None
        except InvalidSignatureException:  # pragma: no cover - checked above
            raise PushSignatureInvalid() from None
        except _DECRYPT_ERRORS:
            raise PushMalformed(details={"reason": "undecryptable"}) from None
        return str(plaintext)

    def encrypt(self, plaintext: str, nonce: str, timestamp: str) -> tuple[str, str]:
        """``(encrypt, msg_signature)`` for ``plaintext``, as WeChat would send it (tests, fake)."""
        if self._crypto is None:
            raise PushMalformed(details={"reason": "secure_mode_not_configured"})
        import xmltodict  # type: ignore[import-untyped]

        envelope = self._crypto.encrypt_message(plaintext, nonce, timestamp)
        parsed = xmltodict.parse(envelope)["xml"]
        return str(parsed["Encrypt"]), str(parsed["MsgSignature"])
