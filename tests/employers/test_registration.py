"""Registering an employer: the credit-code gate, one code one employer, who sees what."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.employers.models import Employer, EmployerMember
from tests.employers.factories import credit_code, employer_payload, make_employer
from tests.support.factories import auth, make_user

URL = "/api/v1/employers"


async def test_register_makes_a_pending_employer_owned_by_its_creator(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    user = await make_user(session, app)
    payload = employer_payload(credit_code=" " + credit_code().lower() + " ", size_class="medium")

    response = await client.post(URL, json=payload, headers=auth(app, user))

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["my_role"] == "owner"
    assert body["is_verified"] is False
    assert body["is_sme"] is True
    assert body["private"]["status"] == "pending"
    assert body["private"]["credit_code"] == payload["credit_code"].strip().upper()
    members = (await session.execute(select(EmployerMember))).scalars().all()
    assert [(m.user_id, m.role) for m in members] == [(user.id, "owner")]


@pytest.mark.parametrize(("size_class", "sme"), [("micro", True), ("large", False)])
async def test_sme_flag_follows_the_size_class(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, size_class: str, sme: bool
) -> None:
    user = await make_user(session, app)
    payload = employer_payload(size_class=size_class)
    response = await client.post(URL, json=payload, headers=auth(app, user))
    assert response.json()["is_sme"] is sme


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91150602MA0N00000", "length"),  # 17 characters
        ("91150602MA0N0000OI", "characters"),  # O and I are not in the alphabet
        ("91ABCDEFMA0N000008", "region"),
        ("wrong-check", "length"),
    ],
)
async def test_malformed_credit_codes_are_refused_with_a_chinese_reason(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, code: str, reason: str
) -> None:
    user = await make_user(session, app)
    response = await client.post(
        URL, json=employer_payload(credit_code=code), headers=auth(app, user)
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "employer.credit_code_invalid"
    assert body["details"]["reason"] == reason
    assert "统一社会信用代码" in body["message"]
    assert (await session.execute(select(func.count()).select_from(Employer))).scalar() == 0


async def test_a_wrong_check_character_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    user = await make_user(session, app)
    good = credit_code()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = await client.post(
        URL, json=employer_payload(credit_code=bad), headers=auth(app, user)
    )
    assert response.status_code == 422
    assert response.json()["details"]["reason"] == "check_digit"
    assert "校验位" in response.json()["message"]


async def test_one_credit_code_one_employer(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    first, second = await make_user(session, app), await make_user(session, app)
    code = credit_code()
    ok = await client.post(URL, json=employer_payload(credit_code=code), headers=auth(app, first))
    assert ok.status_code == 201
    again = await client.post(
        URL, json=employer_payload(credit_code=code.lower()), headers=auth(app, second)
    )
    assert again.status_code == 409
    assert again.json()["code"] == "employer.duplicate_credit_code"


async def test_concurrent_registrations_of_one_code_make_one_employer(
    committing_client: httpx.AsyncClient, engine: AsyncEngine, app: FastAPI
) -> None:
    async with AsyncSession(engine, expire_on_commit=False) as setup:
        users = [await make_user(setup, app) for _ in range(4)]
        await setup.commit()
    code = credit_code()
    responses = await asyncio.gather(
        *(
            committing_client.post(
                URL, json=employer_payload(credit_code=code), headers=auth(app, user)
            )
            for user in users
        )
    )
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409]
    async with AsyncSession(engine) as check:
        count = await check.scalar(select(func.count()).select_from(Employer))
        members = await check.scalar(select(func.count()).select_from(EmployerMember))
    assert (count, members) == (1, 1)


async def test_taxonomy_codes_are_checked(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    user = await make_user(session, app)
    bad_industry = await client.post(
        URL, json=employer_payload(industry_code="piracy"), headers=auth(app, user)
    )
    assert bad_industry.json()["code"] == "employer.industry_unknown"
    bad_area = await client.post(
        URL, json=employer_payload(area_code="atlantis"), headers=auth(app, user)
    )
    assert bad_area.json()["code"] == "employer.area_unknown"


async def test_registering_needs_a_login(client: httpx.AsyncClient) -> None:
    response = await client.post(URL, json=employer_payload())
    assert response.status_code == 401


async def test_unverified_employers_are_visible_to_members_only(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    owner, stranger = await make_user(session, app), await make_user(session, app)
    employer = await make_employer(session, owner, status="pending")

    assert (await client.get(f"{URL}/{employer.id}")).status_code == 404
    hidden = await client.get(f"{URL}/{employer.id}", headers=auth(app, stranger))
    assert hidden.status_code == 404
    mine = await client.get(f"{URL}/{employer.id}", headers=auth(app, owner))
    assert mine.status_code == 200
    assert mine.json()["private"]["status"] == "pending"


async def test_verified_employers_are_public_without_private_details(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    owner = await make_user(session, app)
    employer = await make_employer(session, owner, status="verified")

    public = await client.get(f"{URL}/{employer.id}")
    assert public.status_code == 200
    body = public.json()
    assert body["is_verified"] is True
    assert body["private"] is None and body["my_role"] is None
    assert "credit_code" not in body
