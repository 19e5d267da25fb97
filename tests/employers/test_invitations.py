"""Invitation codes: single-use, expiring, audited, and shown to the owner with who used them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.audit.models import AuditRecord
from app.employers.models import EmployerInvitation, EmployerMember
from app.identity.models import User
from tests.employers.factories import add_recruiter, make_employer
from tests.support.clock import installed_clock
from tests.support.factories import auth, make_user

NOW = datetime(2026, 12, 3, 4, 0, tzinfo=UTC)


async def _invite(
    client: httpx.AsyncClient, app: FastAPI, owner: User, employer_id: object, **body: int
) -> httpx.Response:
    return await client.post(
        f"/api/v1/employers/{employer_id}/invitations", json=body, headers=auth(app, owner)
    )


async def _accept(client: httpx.AsyncClient, app: FastAPI, user: User, code: str) -> httpx.Response:
    return await client.post(
        f"/api/v1/employers/invitations/{code}/accept", headers=auth(app, user)
    )


async def _list(
    client: httpx.AsyncClient, app: FastAPI, user: User, employer_id: object
) -> httpx.Response:
    return await client.get(f"/api/v1/employers/{employer_id}/invitations", headers=auth(app, user))


async def test_a_code_admits_one_person_and_the_owner_sees_who(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    owner, recruiter, late = [await make_user(session, app) for _ in range(3)]
    recruiter.nickname = "小王"
    employer = await make_employer(session, owner)
    invitation = await _invite(client, app, owner, employer.id)
    assert invitation.status_code == 201, invitation.text
    created = invitation.json()
    assert created["status"] == "active" and created["accepted_by"] is None
    assert "max_uses" not in created

    joined = await _accept(client, app, recruiter, created["code"])
    assert joined.status_code == 200, joined.text
    assert joined.json()["my_role"] == "recruiter"
    used_up = await _accept(client, app, late, created["code"])
    assert used_up.status_code == 404
    assert used_up.json()["code"] == "employer.invitation_invalid"

    listed = await _list(client, app, owner, employer.id)
    assert listed.status_code == 200
    [item] = listed.json()
    assert item["status"] == "accepted"
    assert item["accepted_by"] == str(recruiter.id)
    assert item["accepted_by_nickname"] == "小王"
    assert item["accepted_at"] is not None


async def test_several_uses_cannot_be_asked_for(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    owner = await make_user(session, app)
    employer = await make_employer(session, owner)
    refused = await _invite(client, app, owner, employer.id, max_uses=5)
    assert refused.status_code == 422


async def test_acceptance_is_audited(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    owner, recruiter = await make_user(session, app), await make_user(session, app)
    employer = await make_employer(session, owner)
    created = (await _invite(client, app, owner, employer.id)).json()
    assert (await _accept(client, app, recruiter, created["code"])).status_code == 200
    record = await session.scalar(
        select(AuditRecord).where(
            AuditRecord.action == "employer.invitation_accepted",
            AuditRecord.subject_id == created["id"],
        )
    )
    assert record is not None
    assert record.actor_kind == "user" and record.actor_id == recruiter.id
    assert record.details == {"employer_id": str(employer.id)}


async def test_a_code_expires(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    owner, recruiter = await make_user(session, app), await make_user(session, app)
    employer = await make_employer(session, owner)
    with installed_clock(app, NOW) as clock:
        code = (await _invite(client, app, owner, employer.id, expires_in_hours=2)).json()["code"]
        clock.set(NOW + timedelta(hours=2))
        assert (await _list(client, app, owner, employer.id)).json()[0]["status"] == "expired"
        assert (await _accept(client, app, recruiter, code)).status_code == 404
        clock.set(NOW + timedelta(hours=1, minutes=59))
        assert (await _accept(client, app, recruiter, code)).status_code == 200


async def test_a_member_accepting_does_not_use_up_the_code(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    owner, recruiter, other = [await make_user(session, app) for _ in range(3)]
    employer = await make_employer(session, owner)
    await add_recruiter(session, employer, recruiter)
    code = (await _invite(client, app, owner, employer.id)).json()["code"]
    again = await _accept(client, app, recruiter, code)
    assert again.status_code == 409
    assert again.json()["code"] == "employer.already_member"
    assert (await _accept(client, app, other, code)).status_code == 200


async def test_only_the_owner_invites_and_lists(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    owner, recruiter, stranger = [await make_user(session, app) for _ in range(3)]
    employer = await make_employer(session, owner)
    await add_recruiter(session, employer, recruiter)
    by_recruiter = await _invite(client, app, recruiter, employer.id)
    assert by_recruiter.status_code == 403
    assert by_recruiter.json()["code"] == "employer.owner_only"
    assert (await _invite(client, app, stranger, employer.id)).status_code == 404
    assert (await _list(client, app, recruiter, employer.id)).status_code == 403
    assert (await _list(client, app, stranger, employer.id)).status_code == 404


async def test_two_people_accepting_one_code_at_once_exactly_one_joins(
    committing_client: httpx.AsyncClient, engine: AsyncEngine, app: FastAPI
) -> None:
    async with AsyncSession(engine, expire_on_commit=False) as setup:
        owner = await make_user(setup, app)
        people = [await make_user(setup, app) for _ in range(5)]
        employer = await make_employer(setup, owner)
        await setup.commit()
    code = (await _invite(committing_client, app, owner, employer.id)).json()["code"]
    responses = await asyncio.gather(
        *(_accept(committing_client, app, person, code) for person in people)
    )
    assert sorted(r.status_code for r in responses) == [200, 404, 404, 404, 404]
    winner = people[[r.status_code for r in responses].index(200)]
    async with AsyncSession(engine) as check:
        invitation = await check.scalar(
            select(EmployerInvitation).where(EmployerInvitation.code == code)
        )
        members = (
            await check.scalars(
                select(EmployerMember.user_id).where(EmployerMember.employer_id == employer.id)
            )
        ).all()
        audits = (
            await check.scalars(
                select(AuditRecord).where(AuditRecord.action == "employer.invitation_accepted")
            )
        ).all()
    assert invitation is not None and invitation.accepted_by == winner.id
    assert sorted(map(str, members)) == sorted([str(owner.id), str(winner.id)])
    assert len(audits) == 1
