"""Staff login and lockout, staff administration, audited reads, the append-only audit log."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditRecord
from app.core.clock import system_clock
from tests.identity.helpers import bearer, id_number
from tests.support.factories import auth, make_staff, make_user

PASSWORD = "correct horse battery staple"


async def test_staff_login_and_token_roles(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    staff = await make_staff(session, roles=("reviewer",), username="reviewer_a")
    response = await client.post(
        "/api/v1/auth/staff/login", json={"username": "reviewer_a", "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    assert response.json()["staff"]["roles"] == ["reviewer"]
    claims = app.state.security.tokens.decode(response.json()["access_token"], system_clock())
    assert (
        claims.kind == "staff" and claims.roles == ("reviewer",) and claims.subject_id == staff.id
    )
    # A staff token is not a user token.
    me = await client.get("/api/v1/me", headers=bearer(response.json()["access_token"]))
    assert me.status_code == 403


async def test_unknown_user_and_wrong_password_look_the_same(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await make_staff(session, username="known_user")
    unknown = await client.post(
        "/api/v1/auth/staff/login", json={"username": "nobody", "password": "x"}
    )
    wrong = await client.post(
        "/api/v1/auth/staff/login", json={"username": "known_user", "password": "x"}
    )
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json()["code"] == wrong.json()["code"] == "auth.credentials_invalid"


async def test_lockout_after_repeated_failures(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    await make_staff(session, username="locky")
    limit = app.state.settings.security.staff_max_failures
    statuses = []
    for _ in range(limit):
        r = await client.post(
            "/api/v1/auth/staff/login", json={"username": "locky", "password": "wrong"}
        )
        statuses.append(r.status_code)
    assert statuses[:-1] == [401] * (limit - 1) and statuses[-1] == 423
    locked = await client.post(
        "/api/v1/auth/staff/login", json={"username": "locky", "password": PASSWORD}
    )
    assert locked.status_code == 423
    assert int(locked.headers["retry-after"]) > 0
    assert locked.json()["code"] == "auth.account_locked"


async def test_admin_manages_staff_and_changes_are_audited(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    admin = await make_staff(session, roles=("admin",))
    station = await make_staff(session, roles=("station",))
    body = {
        "username": "new.reviewer",
        "display_name": "审核员",
        "password": "a-long-password-1",
        "roles": ["reviewer"],
    }
    assert (
        await client.post("/api/v1/admin/staff", headers=auth(app, station), json=body)
    ).status_code == 403
    created = await client.post("/api/v1/admin/staff", headers=auth(app, admin), json=body)
    assert created.status_code == 201, created.text
    dup = await client.post("/api/v1/admin/staff", headers=auth(app, admin), json=body)
    assert dup.status_code == 409
    changed = await client.put(
        f"/api/v1/admin/staff/{created.json()['id']}",
        headers=auth(app, admin),
        json={"display_name": "审核员", "roles": ["reviewer", "station"]},
    )
    assert changed.json()["roles"] == ["reviewer", "station"]
    actions = (
        (await session.execute(select(AuditRecord.action).where(AuditRecord.actor_id == admin.id)))
        .scalars()
        .all()
    )
    assert {"staff.created", "staff.roles_changed"} <= set(actions)
    listed = await client.get(
        "/api/v1/admin/audit-records",
        headers=auth(app, admin),
        params={"action": "staff.roles_changed"},
    )
    assert listed.status_code == 200 and listed.json()["items"][0]["details"]["after"]["roles"] == [
        "reviewer",
        "station",
    ]


async def test_last_admin_cannot_be_demoted(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    await session.execute(text("UPDATE staff_account SET is_active = false"))
    admin = await make_staff(session, roles=("admin",))
    response = await client.put(
        f"/api/v1/admin/staff/{admin.id}",
        headers=auth(app, admin),
        json={"display_name": "管理员", "roles": ["station"]},
    )
    assert response.status_code == 409


async def test_unmasked_identity_read_is_audited_and_staff_only(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    number = id_number(seq="789")
    person = await make_user(session, app, phone="13700000000", real_name=("赵六", number))
    other = await make_user(session, app)
    reviewer = await make_staff(session, roles=("reviewer",))
    url = f"/api/v1/admin/users/{person.id}/identity"
    assert (await client.get(url, headers=auth(app, other))).status_code == 403
    response = await client.get(url, headers=auth(app, reviewer))
    assert response.status_code == 200
    assert response.json()["id_number"] == number and response.json()["phone"] == "13700000000"
    rows = (
        (
            await session.execute(
                select(AuditRecord).where(AuditRecord.action == "identity.read_unmasked")
            )
        )
        .scalars()
        .all()
    )
    assert any(r.actor_id == reviewer.id and r.subject_id == str(person.id) for r in rows)


async def test_audit_log_is_append_only(session: AsyncSession) -> None:
    session.add(AuditRecord(actor_kind="system", action="test.entry"))
    await session.flush()
    with pytest.raises(DBAPIError):
        async with session.begin_nested():
            await session.execute(text("UPDATE audit_record SET action = 'changed'"))
    with pytest.raises(DBAPIError):
        async with session.begin_nested():
            await session.execute(text("DELETE FROM audit_record"))


async def test_admin_links_a_staff_account_to_its_own_user(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    admin = await make_staff(session, roles=("admin",))
    reviewer = await make_staff(session, roles=("reviewer",))
    other = await make_staff(session, roles=("reviewer",))
    person = await make_user(session, app)
    url = f"/api/v1/admin/staff/{reviewer.id}"
    edit = {"display_name": "审核员", "roles": ["reviewer"]}
    linked = await client.put(
        url, headers=auth(app, admin), json={**edit, "user_id": str(person.id)}
    )
    assert linked.status_code == 200 and linked.json()["user_id"] == str(person.id)
    taken = await client.put(
        f"/api/v1/admin/staff/{other.id}",
        headers=auth(app, admin),
        json={**edit, "user_id": str(person.id)},
    )
    assert taken.status_code == 409 and taken.json()["code"] == "staff.user_taken"
    unknown = await client.put(
        url, headers=auth(app, admin), json={**edit, "user_id": str(admin.id)}
    )
    assert unknown.status_code == 404
    unlinked = await client.put(url, headers=auth(app, admin), json=edit)
    assert unlinked.json()["user_id"] is None
    actions = (
        (
            await session.execute(
                select(AuditRecord.action).where(AuditRecord.subject_id == str(reviewer.id))
            )
        )
        .scalars()
        .all()
    )
    assert actions.count("staff.user_linked") == 2
