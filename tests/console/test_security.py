"""The console's security over plain HTTP: headers, cookie flags, idle expiry, CSRF, roles,
the lockout and the audited unmasking (the app in-process, one rolled-back transaction a test)."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditRecord
from app.console.security import IDLE, SESSION_COOKIE, SessionCodec
from app.core.config import Settings
from tests.support.factories import make_staff, make_user

PASSWORD = "correct horse battery staple"


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


async def _login(
    client: httpx.AsyncClient, username: str, password: str = PASSWORD
) -> httpx.Response:
    page = await client.get("/console/login")
    body = {"csrf_token": _csrf(page.text), "username": username, "password": password}
    return await client.post("/console/login", data=body)


async def _signed_in(
    client: httpx.AsyncClient, session: AsyncSession, *roles: str
) -> httpx.Response:
    staff = await make_staff(session, roles=roles)
    response = await _login(client, staff.username)
    assert response.status_code == 303, response.text
    return response


async def test_console_pages_carry_a_strict_policy_and_the_api_does_not(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/console/login")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-store"
    assert "<script>" not in page.text and " style=" not in page.text  # nothing inline
    api = await client.get("/api/v1/meta")
    assert "content-security-policy" not in api.headers
    static = await client.get("/console/static/console.js")
    assert static.status_code == 200 and "content-security-policy" in static.headers


async def test_the_session_cookie_is_httponly_strict_and_scoped(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    response = await _signed_in(client, session, "reviewer")
    cookie = next(
        v for v in response.headers.get_list("set-cookie") if v.startswith(SESSION_COOKIE + "=")
    )
    flags = cookie.lower()
    assert "httponly" in flags and "samesite=strict" in flags and "path=/console" in flags
    assert "secure" not in flags  # outside production
    production = settings.model_copy(update={"environment": "production"})
    assert SessionCodec.from_settings(production).secure is True


def test_a_session_expires_when_idle_and_slides_while_used() -> None:
    codec = SessionCodec(key=b"0" * 32, secure=True)
    start = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    session = codec.start(uuid.uuid4(), start)
    token = codec.encode(session)
    assert codec.decode(token, start + IDLE - timedelta(seconds=1)) == session
    assert codec.decode(token, start + IDLE + timedelta(seconds=1)) is None
    later = start + timedelta(minutes=20)
    touched = codec.touched(session, later)
    assert touched is not None
    assert codec.decode(codec.encode(touched), later + IDLE - timedelta(seconds=1)) is not None
    assert codec.decode(token[:-2] + "xx", start) is None  # a forged signature
    assert codec.decode(codec.encode(session), start + timedelta(hours=13)) is None


async def test_anonymous_pages_redirect_to_the_login(client: httpx.AsyncClient) -> None:
    response = await client.get("/console/subsidies")
    assert response.status_code == 303
    assert response.headers["location"] == "/console/login?next=/console/subsidies"


async def test_posting_without_the_csrf_token_is_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    refused = await client.post("/console/login", data={"username": "x", "password": "y"})
    assert refused.status_code == 403 and "表单已失效" in refused.text
    await _signed_in(client, session, "reviewer")
    page = await client.get("/console")
    assert (await client.post("/console/logout", data={})).status_code == 403
    wrong = await client.post("/console/logout", data={"csrf_token": "forged"})
    assert wrong.status_code == 403
    still = await client.get("/console")
    assert still.status_code == 200  # the session survived the forged posts
    out = await client.post("/console/logout", data={"csrf_token": _csrf(page.text)})
    assert out.status_code == 303
    assert (await client.get("/console")).status_code == 303


@pytest.mark.parametrize(
    ("roles", "allowed", "refused"),
    [
        (("station",), ["/console/stations"], ["/console/subsidies", "/console/staff"]),
        (("reviewer",), ["/console/subsidies", "/console/subsidies/awards"], ["/console/stations"]),
        (("admin",), ["/console/subsidies", "/console/stations", "/console/audit"], []),
    ],
)
async def test_pages_and_menus_follow_the_roles(
    client: httpx.AsyncClient,
    session: AsyncSession,
    roles: tuple[str, ...],
    allowed: list[str],
    refused: list[str],
) -> None:
    await _signed_in(client, session, *roles)
    today = await client.get("/console")
    for path in allowed:
        assert f'href="{path}"' in today.text, path
        assert (await client.get(path)).status_code == 200, path
    for path in refused:
        assert f'href="{path}"' not in today.text, path
        page = await client.get(path)
        assert page.status_code == 403 and "没有权限" in page.text, path


async def test_a_deactivated_account_loses_its_session(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    staff = await make_staff(session, roles=("reviewer",))
    assert (await _login(client, staff.username)).status_code == 303
    staff.is_active = False
    await session.flush()
    assert (await client.get("/console/subsidies")).status_code == 303


async def test_repeated_failures_lock_the_login(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    staff = await make_staff(session, roles=("station",))
    for _ in range(4):
        response = await _login(client, staff.username, "wrong")
        assert response.status_code == 401 and "用户名或密码错误" in response.text
    locked = await _login(client, staff.username, "wrong")
    assert locked.status_code == 423 and "锁定" in locked.text
    assert (await _login(client, staff.username)).status_code == 423
    audit = await session.scalar(
        select(AuditRecord).where(
            AuditRecord.action == "staff.locked", AuditRecord.subject_id == staff.username
        )
    )
    assert audit is not None


async def test_unmasking_needs_a_reason_and_is_audited(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    person = await make_user(session, app, real_name=("张三", "11010519491231002X"))
    await _signed_in(client, session, "reviewer")
    csrf = _csrf((await client.get("/console")).text)
    path = f"/console/people/{person.id}/identity"
    refused = await client.post(path, data={"csrf_token": csrf, "reason": ""})
    assert refused.status_code == 400 and "11010519491231002X" not in refused.text
    shown = await client.post(path, data={"csrf_token": csrf, "reason": "核对申请人身份"})
    assert shown.status_code == 200 and "11010519491231002X" in shown.text
    assert shown.headers["cache-control"] == "no-store"
    record = await session.scalar(
        select(AuditRecord).where(
            AuditRecord.action == "identity.read_unmasked",
            AuditRecord.subject_id == str(person.id),
        )
    )
    assert record is not None and record.details == {"reason": "核对申请人身份"}


async def test_an_unknown_application_is_a_404_page_and_login_never_sends_you_away(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _signed_in(client, session, "reviewer")
    missing = await client.get(f"/console/subsidies/{uuid.uuid4()}")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    for target in ("//evil.example/", "https://evil.example/", "/api/v1/me"):
        client.cookies.clear()
        page = await client.get("/console/login", params={"next": target})
        assert 'name="next" value="/console"' in page.text, target
