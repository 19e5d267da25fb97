"""Offline crypto: the legacy encryptedData/iv phone payload and push signatures."""

from __future__ import annotations

import base64
import json
import os
from typing import Any

import pytest
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from app.integrations.wechat.client import WeChatClient
from app.integrations.wechat.crypto import (
    PushCrypto,
    decrypt_phone_number,
    encrypt_wxa_payload,
    sign,
)
from app.integrations.wechat.errors import (
    PushAppIdMismatch,
    PushMalformed,
    PushSignatureInvalid,
    WeChatPayloadInvalid,
)
from app.integrations.wechat.fake import FakeWeChatState

APPID = "wx1234567890abcdef"


def _encrypt_like_wechat(session_key: str, payload: Any, iv: bytes) -> tuple[str, str]:
    """AES-128-CBC, PKCS#7, base64 — written out here, independent of the code under test."""
    key = base64.b64decode(session_key)
    padder = padding.PKCS7(128).padder()
    plain = padder.update(json.dumps(payload).encode()) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    data = encryptor.update(plain) + encryptor.finalize()
    return base64.b64encode(data).decode(), base64.b64encode(iv).decode()


def _phone_payload(appid: str) -> dict[str, Any]:
    return {
        "phoneNumber": "+85261234567",
        "purePhoneNumber": "61234567",
        "countryCode": "852",
        "watermark": {"timestamp": 1_700_000_000, "appid": appid},
    }


@pytest.fixture
def session_key() -> str:
    return base64.b64encode(os.urandom(16)).decode()


def test_legacy_phone_payload_decrypts(session_key: str) -> None:
    data, iv = _encrypt_like_wechat(session_key, _phone_payload(APPID), os.urandom(16))

    phone = decrypt_phone_number(session_key, data, iv, appid=APPID)

    assert (phone.phone_number, phone.pure_phone_number, phone.country_code) == (
        "+85261234567",
        "61234567",
        "852",
    )


def test_legacy_payload_for_another_appid_is_refused(session_key: str) -> None:
    data, iv = _encrypt_like_wechat(
        session_key, _phone_payload("wxsomeoneelse0000"), os.urandom(16)
    )

    with pytest.raises(WeChatPayloadInvalid) as error:
        decrypt_phone_number(session_key, data, iv, appid=APPID)
    assert error.value.details == {"reason": "appid_mismatch"}
    assert error.value.status_code == 400


@pytest.mark.parametrize(
    ("data", "iv"),
    [
        ("not base64!", "AAAAAAAAAAAAAAAAAAAAAA=="),
        (base64.b64encode(b"x" * 17).decode(), "AAAAAAAAAAAAAAAAAAAAAA=="),
        (base64.b64encode(bytes(range(64))).decode(), "AAAAAAAAAAAAAAAAAAAAAA=="),
        (base64.b64encode(bytes(range(64, 128))).decode(), "c2hvcnQ="),
    ],
    ids=["not-base64", "not-whole-blocks", "random-blocks", "short-iv"],
)
def test_garbage_payload_is_400_not_500(session_key: str, data: str, iv: str) -> None:
    with pytest.raises(WeChatPayloadInvalid):
        decrypt_phone_number(session_key, data, iv, appid=APPID)


def test_wrong_session_key_is_refused(session_key: str) -> None:
    data, iv = _encrypt_like_wechat(session_key, _phone_payload(APPID), os.urandom(16))
    other_key = base64.b64encode(os.urandom(16)).decode()

    with pytest.raises(WeChatPayloadInvalid):
        decrypt_phone_number(other_key, data, iv, appid=APPID)


def test_encrypt_helper_round_trips(session_key: str) -> None:
    data, iv = encrypt_wxa_payload(session_key, _phone_payload(APPID))
    assert decrypt_phone_number(session_key, data, iv, appid=APPID).country_code == "852"


async def test_client_decrypts_the_fakes_legacy_payload(
    wechat: WeChatClient, fake: FakeWeChatState
) -> None:
    session = await wechat.code_to_session(fake.mint_jscode("o_legacy"))
    data, iv = fake.legacy_phone_payload("o_legacy", "13600000000")

    phone = wechat.decrypt_phone_number(session.session_key, data, iv)

    assert phone.pure_phone_number == "13600000000"


# --- push signatures ---------------------------------------------------------------------------

TOKEN = "pushtoken"
AES_KEY = base64.b64encode(b"0123456789abcdef0123456789abcdef").decode().rstrip("=")


def test_url_signature_is_sha1_of_sorted_parts() -> None:
    import hashlib

    expected = hashlib.sha1("".join(sorted([TOKEN, "1700000000", "nonce"])).encode()).hexdigest()
    assert sign(TOKEN, "1700000000", "nonce") == expected
    PushCrypto(TOKEN, APPID).check_signature(expected, "1700000000", "nonce")
    with pytest.raises(PushSignatureInvalid):
        PushCrypto(TOKEN, APPID).check_signature(expected[:-1] + "0", "1700000000", "nonce")


def test_secure_mode_round_trip_and_failures() -> None:
    crypto = PushCrypto(TOKEN, APPID, AES_KEY)
    encrypt, msg_signature = crypto.encrypt('{"Event": "x"}', "nonce", "1700000000")

    assert crypto.decrypt(encrypt, msg_signature, "1700000000", "nonce") == '{"Event": "x"}'
    with pytest.raises(PushSignatureInvalid):
        crypto.decrypt(encrypt, msg_signature, "1700000001", "nonce")
    with pytest.raises(PushAppIdMismatch):
        PushCrypto(TOKEN, "wxother", AES_KEY).decrypt(encrypt, msg_signature, "1700000000", "nonce")
    garbage = base64.b64encode(os.urandom(40)).decode()  # not whole AES blocks
    with pytest.raises(PushMalformed):
        crypto.decrypt(garbage, sign(TOKEN, "1", "n", garbage), "1", "n")
