"""Personal phone numbers are sealed at rest; the API shows them to the same people as before.

Station phones (service_desk) are public office numbers and stay plain. Any new column whose name
says "phone" must be added to ``ALLOWED`` here, deliberately.
"""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.employers.factories import employer_payload
from tests.gigs.helpers import make_poster, post_gig
from tests.support.factories import auth, make_staff, make_user

ALLOWED = {
    ("station", "phone"): "public office number",
    ("user", "phone_encrypted"): "sealed",
    ("user", "phone_hash"): "HMAC, for the one-number-one-account rule",
    ("user", "phone_bound_at"): "a timestamp",
    ("employer", "contact_phone_encrypted"): "sealed",
    ("gig", "contact_phone_encrypted"): "sealed",
    ("ledger_person", "phone_encrypted"): "sealed (the people ledger, app.people_ledger)",
}


async def test_every_phone_column_is_sealed_or_public(session: AsyncSession) -> None:
    rows = await session.execute(
        text(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = 'public' AND column_name LIKE '%phone%'"
        )
    )
    assert {(r[0], r[1]) for r in rows} == set(ALLOWED)


async def _raw(session: AsyncSession, table: str, ident: str) -> str:
    value = await session.scalar(
        text(f"SELECT contact_phone_encrypted FROM {table} WHERE id = :id"), {"id": ident}
    )
    assert isinstance(value, str)
    return value


async def test_employer_contact_phone_is_sealed_and_shown_to_members_and_reviewers(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    owner, stranger = await make_user(session, app), await make_user(session, app)
    created = await client.post(
        "/api/v1/employers",
        json=employer_payload(contact_phone="13911112222"),
        headers=auth(app, owner),
    )
    assert created.status_code == 201, created.text
    employer = created.json()
    assert employer["private"]["contact_phone"] == "13911112222"

    raw = await _raw(session, "employer", employer["id"])
    assert raw.startswith("v1.") and "13911112222" not in raw and "2222" not in raw

    url = f"/api/v1/employers/{employer['id']}"
    assert (await client.get(url, headers=auth(app, owner))).json()["private"][
        "contact_phone"
    ] == "13911112222"
    assert (await client.get(url, headers=auth(app, stranger))).status_code == 404  # pending
    reviewer = await make_staff(session, roles=("reviewer",))
    queue = await client.get("/api/v1/admin/employers", headers=auth(app, reviewer))
    [item] = [i for i in queue.json()["items"] if i["id"] == employer["id"]]
    assert item["contact_phone"] == "13911112222"
    approved = await client.post(
        f"/api/v1/admin/employers/{employer['id']}/verification",
        json={"decision": "approve"},
        headers=auth(app, reviewer),
    )
    assert approved.json()["contact_phone"] == "13911112222"
    public = (await client.get(url, headers=auth(app, stranger))).json()
    assert public["private"] is None and "13911112222" not in str(public)


async def test_gig_contact_phone_is_sealed_and_masked_as_before(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    poster = await make_poster(session, app)
    gig = await post_gig(client, app, poster, contact_phone="13833334444")
    assert gig["contact_phone"] == "13833334444"
    raw = await _raw(session, "gig", gig["id"])
    assert raw.startswith("v1.") and "13833334444" not in raw and "4444" not in raw
    anonymous = (await client.get(f"/api/v1/gigs/{gig['id']}")).json()
    assert anonymous["contact_phone"] == "138****4444"


async def test_stored_idempotent_answers_are_sealed_and_replay(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    owner = await make_user(session, app)
    payload = employer_payload(contact_phone="13955556666")
    headers = {**auth(app, owner), "Idempotency-Key": "seal-test-0001"}
    first = await client.post("/api/v1/employers", json=payload, headers=headers)
    assert first.status_code == 201, first.text
    raw = await session.scalar(
        text("SELECT response #>> '{}' FROM idempotency_record WHERE key = 'seal-test-0001'")
    )
    assert isinstance(raw, str) and raw.startswith("v1.") and "13955556666" not in raw
    again = await client.post("/api/v1/employers", json=payload, headers=headers)
    assert again.status_code == 201 and again.json() == first.json()
    assert again.json()["private"]["contact_phone"] == "13955556666"
