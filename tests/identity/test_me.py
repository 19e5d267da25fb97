"""The user's own profile, phone binding both ways, real name with GB 11643 checks."""

from __future__ import annotations

import base64
import json
import os

import httpx
import pytest
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.identity.models import User
from tests.identity.helpers import bearer, id_number, wechat_login
from tests.support.factories import auth, make_staff, make_user


async def test_me_requires_a_user_token(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    assert (await client.get("/api/v1/me")).status_code == 401
    staff = await make_staff(session, roles=("admin",))
    response = await client.get("/api/v1/me", headers=auth(app, staff))
    assert response.status_code == 403
    assert response.json()["code"] == "auth.user_only"


async def test_put_me_replaces_the_editable_profile(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await make_user(session, app)
    headers = auth(app, user)
    ok = await client.put(
        "/api/v1/me",
        headers=headers,
        json={
            "nickname": "小王",
            "gender": "female",
            "contact_preferences": {"allow_phone_calls": False},
        },
    )
    assert ok.status_code == 200, ok.text
    body = ok.json()
    assert body["nickname"] == "小王" and body["gender"] == "female"
    assert body["contact_preferences"]["allow_phone_calls"] is False
    # PUT replaces: what is left out takes its default.
    reset = await client.put("/api/v1/me", headers=headers, json={"gender": "male"})
    assert reset.status_code == 200, reset.text
    assert reset.json()["nickname"] is None and reset.json()["gender"] == "male"
    assert reset.json()["contact_preferences"]["allow_phone_calls"] is True
    for forbidden in (
        {"id_number_hash": "x"},
        {"is_active": False},
        {"roles": ["admin"]},
        {"openid": "o"},
    ):
        refused = await client.put("/api/v1/me", headers=headers, json=forbidden)
        assert refused.status_code == 422, forbidden
    await session.refresh(user)
    assert user.is_active is True


async def test_real_name_is_validated_encrypted_and_masked(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await make_user(session, app)
    number = id_number(birth="19990315", seq="123")
    response = await client.put(
        "/api/v1/me/real-name",
        headers=auth(app, user),
        json={"name": "王小明", "id_number": number},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["real_name_verified"] is True
    assert body["id_number_masked"] == number[:4] + "*" * 10 + number[-4:]
    assert body["real_name_masked"] == "王**"
    assert body["birth_date"] == "1999-03-15"
    assert body["sex"] == "male"  # 17th digit 3 is odd
    assert number not in response.text

    raw = (
        await session.execute(
            text(
                'SELECT id_number_encrypted, real_name_encrypted, id_number_hash FROM "user" WHERE id = :id'
            ),
            {"id": user.id},
        )
    ).one()
    assert number not in "".join(raw) and "王小明" not in "".join(raw)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (id_number()[:-1] + ("0" if id_number()[-1] != "0" else "1"), "check digit"),
        (id_number(birth="19990231"), "impossible date"),
        (id_number(birth="20991231"), "future date"),
        ("150602990315123", "15-digit legacy"),
        ("15060219990315123Y", "bad character"),
    ],
)
async def test_wrong_id_numbers_are_refused_clearly(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession, value: str, why: str
) -> None:
    user = await make_user(session, app)
    response = await client.put(
        "/api/v1/me/real-name", headers=auth(app, user), json={"name": "王小明", "id_number": value}
    )
    assert response.status_code == 422, (why, response.text)
    assert response.json()["code"] == "identity.id_number_invalid"
    if why == "15-digit legacy":
        assert "18" in response.json()["message"]


async def test_one_id_number_one_account(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    number = id_number(seq="456")
    first = await make_user(session, app)
    second = await make_user(session, app)
    ok = await client.put(
        "/api/v1/me/real-name", headers=auth(app, first), json={"name": "李四", "id_number": number}
    )
    assert ok.status_code == 200
    again = await client.put(
        "/api/v1/me/real-name", headers=auth(app, first), json={"name": "李四", "id_number": number}
    )
    assert again.status_code == 200
    taken = await client.put(
        "/api/v1/me/real-name",
        headers=auth(app, second),
        json={"name": "李四", "id_number": number},
    )
    assert taken.status_code == 409 and taken.json()["code"] == "identity.id_number_taken"
    change = await client.put(
        "/api/v1/me/real-name",
        headers=auth(app, first),
        json={"name": "李四", "id_number": id_number(seq="457")},
    )
    assert change.status_code == 409 and change.json()["code"] == "identity.real_name_locked"


async def test_bind_phone_with_code(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    login = await wechat_login(client, app, "o_phone_code")
    code = app.state.fake_wechat.mint_phonecode("13912345678")
    response = await client.post(
        "/api/v1/auth/wechat/phone", headers=bearer(login["access_token"]), json={"code": code}
    )
    assert response.status_code == 200, response.text
    assert response.json()["phone_bound"] is True
    assert response.json()["phone_masked"] == "139****5678"
    reused = await client.post(
        "/api/v1/auth/wechat/phone", headers=bearer(login["access_token"]), json={"code": code}
    )
    assert reused.status_code == 401


def _encrypt_legacy(session_key: str, appid: str, payload: dict) -> tuple[str, str]:
    key = base64.b64decode(session_key)
    iv = os.urandom(16)
    padder = padding.PKCS7(128).padder()
    data = padder.update(json.dumps(payload).encode()) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    sealed = encryptor.update(data) + encryptor.finalize()
    return base64.b64encode(sealed).decode(), base64.b64encode(iv).decode()


async def test_bind_phone_with_legacy_encrypted_data(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    login = await wechat_login(client, app, "o_phone_legacy")
    user = await session.get(User, login["user"]["id"])
    assert user is not None
    session_key = app.state.security.cipher.decrypt(
        user.session_key_encrypted, context="session_key"
    )
    appid = app.state.wechat.appid
    data, iv = _encrypt_legacy(
        session_key,
        appid,
        {
            "phoneNumber": "13800001111",
            "purePhoneNumber": "13800001111",
            "countryCode": "86",
            "watermark": {"appid": appid, "timestamp": 1700000000},
        },
    )
    response = await client.post(
        "/api/v1/auth/wechat/phone",
        headers=bearer(login["access_token"]),
        json={"encrypted_data": data, "iv": iv},
    )
    assert response.status_code == 200, response.text
    assert response.json()["phone_masked"] == "138****1111"

    forged, iv2 = _encrypt_legacy(
        base64.b64encode(os.urandom(16)).decode(), appid, {"phoneNumber": "1"}
    )
    bad = await client.post(
        "/api/v1/auth/wechat/phone",
        headers=bearer(login["access_token"]),
        json={"encrypted_data": forged, "iv": iv2},
    )
    assert bad.status_code == 400 and bad.json()["code"] == "wechat.payload_invalid"


async def test_phone_request_needs_one_form(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await make_user(session, app)
    for body in ({}, {"code": "a", "iv": "b"}, {"encrypted_data": "x"}):
        response = await client.post(
            "/api/v1/auth/wechat/phone", headers=auth(app, user), json=body
        )
        assert response.status_code == 422, body
