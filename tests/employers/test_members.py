"""Members: invitations that expire and run out, listing, removal, several employers per person."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.employers.models import EmployerInvitation, EmployerMember
from app.identity.models import User
from tests.employers.factories import add_recruiter, make_employer
from tests.support.factories import auth, make_user


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


async def test_an_invited_person_joins_as_recruiter_once(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    owner, recruiter, late = [await make_user(session, app) for _ in range(3)]
    employer = await make_employer(session, owner)
    invitation = await _invite(client, app, owner, employer.id)
    assert invitation.status_code == 201
    code = invitation.json()["code"]
    assert invitation.json()["max_uses"] == 1

    joined = await _accept(client, app, recruiter, code)
    assert joined.status_code == 200, joined.text
    assert joined.json()["my_role"] == "recruiter"
    used_up = await _accept(client, app, late, code)
    assert used_up.status_code == 404
    assert used_up.json()["code"] == "employer.invitation_invalid"


async def test_an_expired_invitation_admits_nobody(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    owner, recruiter = await make_user(session, app), await make_user(session, app)
    employer = await make_employer(session, owner)
    code = (await _invite(client, app, owner, employer.id, max_uses=5)).json()["code"]
    await session.execute(
        update(EmployerInvitation)
        .where(EmployerInvitation.code == code)
        .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    )
    assert (await _accept(client, app, recruiter, code)).status_code == 404


async def test_a_member_accepting_again_does_not_use_up_the_invitation(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    owner, recruiter, other = [await make_user(session, app) for _ in range(3)]
    employer = await make_employer(session, owner)
    code = (await _invite(client, app, owner, employer.id, max_uses=2)).json()["code"]
    assert (await _accept(client, app, recruiter, code)).status_code == 200
    again = await _accept(client, app, recruiter, code)
    assert again.status_code == 409
    assert again.json()["code"] == "employer.already_member"
    assert (await _accept(client, app, other, code)).status_code == 200


async def test_only_the_owner_invites_and_strangers_see_nothing(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    owner, recruiter, stranger = [await make_user(session, app) for _ in range(3)]
    employer = await make_employer(session, owner)
    await add_recruiter(session, employer, recruiter)
    by_recruiter = await _invite(client, app, recruiter, employer.id)
    assert by_recruiter.status_code == 403
    assert by_recruiter.json()["code"] == "employer.owner_only"
    assert (await _invite(client, app, stranger, employer.id)).status_code == 404


async def test_last_admission_cannot_be_taken_twice_at_once(
    committing_client: httpx.AsyncClient, engine: AsyncEngine, app: FastAPI
) -> None:
    async with AsyncSession(engine, expire_on_commit=False) as setup:
        owner = await make_user(setup, app)
        people = [await make_user(setup, app) for _ in range(5)]
        employer = await make_employer(setup, owner)
        await setup.commit()
    code = (await _invite(committing_client, app, owner, employer.id, max_uses=2)).json()["code"]
    responses = await asyncio.gather(
        *(_accept(committing_client, app, person, code) for person in people)
    )
    assert sorted(r.status_code for r in responses) == [200, 200, 404, 404, 404]
    async with AsyncSession(engine) as check:
        used = await check.scalar(
            select(EmployerInvitation.used_count).where(EmployerInvitation.code == code)
        )
        members = (
            await check.execute(
                select(EmployerMember).where(EmployerMember.employer_id == employer.id)
            )
        ).all()
    assert used == 2
    assert len(members) == 3


async def test_members_are_listed_for_members_only(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    owner, recruiter, stranger = [await make_user(session, app) for _ in range(3)]
    employer = await make_employer(session, owner)
    await add_recruiter(session, employer, recruiter)
    url = f"/api/v1/employers/{employer.id}/members"

    listed = await client.get(url, headers=auth(app, recruiter), params={"limit": 1})
    assert listed.status_code == 200
    first = listed.json()
    assert len(first["items"]) == 1 and first["next_cursor"]
    second = await client.get(
        url, headers=auth(app, recruiter), params={"limit": 1, "cursor": first["next_cursor"]}
    )
    roles = {first["items"][0]["role"], second.json()["items"][0]["role"]}
    assert roles == {"owner", "recruiter"}
    assert (await client.get(url, headers=auth(app, stranger))).status_code == 404


async def test_owner_removes_members_but_not_themselves(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    owner, recruiter, other = [await make_user(session, app) for _ in range(3)]
    employer = await make_employer(session, owner)
    await add_recruiter(session, employer, recruiter)
    await add_recruiter(session, employer, other)
    base = f"/api/v1/employers/{employer.id}/members"

    by_recruiter = await client.delete(f"{base}/{other.id}", headers=auth(app, recruiter))
    assert by_recruiter.status_code == 403
    self_removal = await client.delete(f"{base}/{owner.id}", headers=auth(app, owner))
    assert self_removal.status_code == 409
    assert self_removal.json()["code"] == "employer.owner_cannot_leave"
    removed = await client.delete(f"{base}/{recruiter.id}", headers=auth(app, owner))
    assert removed.status_code == 204
    gone = await client.get(
        f"/api/v1/employers/{employer.id}/members", headers=auth(app, recruiter)
    )
    assert gone.status_code == 404
    left = await client.delete(f"{base}/{other.id}", headers=auth(app, other))
    assert left.status_code == 204


async def test_a_person_may_belong_to_several_employers(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    person, other_owner = await make_user(session, app), await make_user(session, app)
    own = await make_employer(session, person, status="pending")
    other = await make_employer(session, other_owner)
    await add_recruiter(session, other, person)

    response = await client.get("/api/v1/me/employers", headers=auth(app, person))
    assert response.status_code == 200
    mine = {
        (item["employer"]["id"], item["role"], item["status"]) for item in response.json()["items"]
    }
    assert mine == {(str(own.id), "owner", "pending"), (str(other.id), "recruiter", "verified")}
