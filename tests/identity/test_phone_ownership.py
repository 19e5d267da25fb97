"""One phone number, one account: a verified binding moves the number (audited), even when two
accounts bind it at the same moment; the unique index backs the rule."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.audit.models import AuditRecord
from app.identity.models import User
from tests.support.factories import auth, make_user

NUMBER = "13987654321"


async def _bind(client: httpx.AsyncClient, app: FastAPI, user: User, phone: str) -> httpx.Response:
    code = app.state.fake_wechat.mint_phonecode(phone)
    return await client.post(
        "/api/v1/auth/wechat/phone", headers=auth(app, user), json={"code": code}
    )


async def _me(client: httpx.AsyncClient, app: FastAPI, user: User) -> dict:
    response = await client.get("/api/v1/me", headers=auth(app, user))
    assert response.status_code == 200
    body: dict = response.json()
    return body


async def test_a_number_bound_by_another_account_moves_to_it(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    old = await make_user(session, app, phone=NUMBER)
    new = await make_user(session, app)
    response = await _bind(client, app, new, NUMBER)
    assert response.status_code == 200, response.text
    assert response.json()["phone_masked"] == "139****4321"

    assert (await _me(client, app, old))["phone_bound"] is False
    assert (await _me(client, app, new))["phone_bound"] is True
    record = await session.scalar(
        select(AuditRecord).where(
            AuditRecord.action == "identity.phone_moved", AuditRecord.subject_id == str(old.id)
        )
    )
    assert record is not None
    assert record.actor_id == new.id and record.details == {"to_user": str(new.id)}


async def test_binding_ones_own_number_again_moves_nothing(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    user = await make_user(session, app, phone=NUMBER)
    assert (await _bind(client, app, user, NUMBER)).status_code == 200
    moved = await session.scalar(
        select(func.count()).where(AuditRecord.action == "identity.phone_moved")
    )
    assert moved == 0


async def test_the_database_refuses_one_number_on_two_accounts(
    session: AsyncSession, app: FastAPI
) -> None:
    await make_user(session, app, phone=NUMBER)
    with pytest.raises(IntegrityError):
        async with session.begin_nested():
            await make_user(session, app, phone=NUMBER)


async def test_two_accounts_binding_one_number_at_once_end_with_one_holder(
    committing_client: httpx.AsyncClient, engine: AsyncEngine, app: FastAPI
) -> None:
    async with AsyncSession(engine, expire_on_commit=False) as setup:
        people = [await make_user(setup, app) for _ in range(4)]
        await setup.commit()
    responses = await asyncio.gather(
        *(_bind(committing_client, app, person, NUMBER) for person in people)
    )
    assert [r.status_code for r in responses] == [200] * 4
    security = app.state.security
    digest = security.hasher.digest(NUMBER, purpose="phone")
    async with AsyncSession(engine) as check:
        holders = (await check.scalars(select(User.id).where(User.phone_hash == digest))).all()
        moves = (
            await check.scalars(
                select(AuditRecord).where(AuditRecord.action == "identity.phone_moved")
            )
        ).all()
    assert len(holders) == 1
    # Every binding after the first took the number from the one before: three moves, the last
    # of them to the holder.
    assert len(moves) == 3
    assert {m.details["to_user"] for m in moves} >= {str(holders[0])}
