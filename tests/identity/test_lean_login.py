"""The lean login path answers like the documented route, and hands it everything else."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.identity import lean_login

LOGIN = "/api/v1/auth/wechat/login"
# FastAPI reads ``application/*+json`` as JSON too; the lean path takes only application/json.
DOCUMENTED = {"Content-Type": "application/vnd.dsjobs+json"}


@pytest.fixture
def lean_logins(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The codes the lean path logged in with."""
    seen: list[str] = []
    real = lean_login.log_in_with_wechat

    async def counted(request: Any, session: Any, clock: Any, code: str) -> Any:
        seen.append(code)
        return await real(request, session, clock, code)

    monkeypatch.setattr(lean_login, "log_in_with_wechat", counted)
    return seen


def _shape(value: Any) -> Any:
    """Keys and value types of a JSON answer (ids, tokens and times differ between logins)."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    return type(value).__name__


async def test_a_login_takes_the_lean_path_and_answers_like_the_documented_route(
    client: httpx.AsyncClient, app: FastAPI, lean_logins: list[str]
) -> None:
    fake = app.state.fake_wechat
    lean_code, documented_code = fake.mint_jscode("o_lean_1"), fake.mint_jscode("o_lean_1")
    lean = await client.post(LOGIN, json={"code": lean_code})
    documented = await client.post(
        LOGIN, content=f'{{"code": "{documented_code}"}}', headers=DOCUMENTED
    )
    assert lean_logins == [lean_code]
    assert lean.status_code == documented.status_code == 200, (lean.text, documented.text)
    assert lean.headers["content-type"] == documented.headers["content-type"]
    assert _shape(lean.json()) == _shape(documented.json())
    assert lean.json()["user"] == {**documented.json()["user"]}
    me = await client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {lean.json()['access_token']}"}
    )
    assert me.status_code == 200 and me.json()["id"] == lean.json()["user"]["id"]


@pytest.mark.parametrize(
    "body",
    [
        b'{"code": ""}',
        b'{"code": "' + b"x" * 129 + b'"}',
        b'{"code": "abc", "openid": "o_someone_else"}',
        b'{"code": 12345}',
        b'{"code": "a\\u0000b"}',
        b'{"code": "abc"',
        b"[]",
        b"",
    ],
)
async def test_a_body_the_schema_refuses_gets_the_documented_routes_answer(
    client: httpx.AsyncClient, lean_logins: list[str], body: bytes
) -> None:
    lean = await client.post(LOGIN, content=body, headers={"Content-Type": "application/json"})
    documented = await client.post(LOGIN, content=body, headers=DOCUMENTED)
    assert lean_logins == []
    assert lean.status_code == documented.status_code == 422, lean.text
    answer, expected = lean.json(), documented.json()
    assert {**answer, "request_id": None} == {**expected, "request_id": None}
    assert set(answer) == {"code", "message", "details", "request_id"}


async def test_an_error_of_the_lean_path_has_the_envelope(
    client: httpx.AsyncClient, app: FastAPI, lean_logins: list[str]
) -> None:
    code = app.state.fake_wechat.mint_jscode("o_lean_used")
    assert (await client.post(LOGIN, json={"code": code})).status_code == 200
    again = await client.post(LOGIN, json={"code": code})
    assert lean_logins == [code, code]
    assert again.status_code == 401
    assert again.json()["code"] == "wechat.code_invalid"
    assert again.json()["message"] and again.json()["request_id"]
