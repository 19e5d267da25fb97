"""Members: listing, removal, several employers per person (invitations: test_invitations)."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from tests.employers.factories import add_recruiter, make_employer
from tests.support.factories import auth, make_user


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
