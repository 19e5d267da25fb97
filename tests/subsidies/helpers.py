"""People, agencies, referral lists and API calls for the subsidy tests."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.employers.models import Employer
from app.identity.idcard import check_character
from app.identity.models import StaffAccount, User
from tests.employers.factories import make_employer
from tests.support.factories import auth, make_staff, make_user

TODAY = date(2025, 9, 1)
PERIOD = "2025"


def id_number(seq: int, birth: str = "20020510", region: str = "150602") -> str:
    """A valid 18-digit ID number (check character computed) for a sample person."""
    first17 = f"{region}{birth}{seq:03d}"
    return first17 + check_character(first17)


async def person(
    session: AsyncSession, app: FastAPI, seq: int = 1, birth: str = "20020510"
) -> User:
    """A real-name user born on `birth` (the ID number says so)."""
    return await make_user(session, app, real_name=("示例申请人", id_number(seq, birth)))


async def agency(session: AsyncSession, app: FastAPI, owner: User | None = None) -> Employer:
    """A verified HR service agency owned by a real-name user."""
    owner = owner or await person(session, app, seq=900, birth="19800101")
    employer = await make_employer(session, owner, name="示例人力资源服务有限公司")
    employer.kind = "hr_agency"
    await session.flush()
    return employer


async def reviewer(session: AsyncSession, *, user: User | None = None) -> StaffAccount:
    staff = await make_staff(session, roles=("reviewer",))
    if user is not None:
        staff.user_id = user.id
        await session.flush()
    return staff


def referral(number: str, **overrides: Any) -> dict[str, Any]:
    """A worker meeting every condition of the 500-yuan row in 2025."""
    row: dict[str, Any] = {
        "person_key": number,
        "employer_in_district": True,
        "industrial_worker": True,
        "first_labour_contract": True,
        "contract_signed_on": "2025-03-01",
        "contract_months": 12,
        "insured_months": 4,
        "insured_months_continuous": 4,
    }
    row.update(overrides)
    return row


def key_graduate(number: str) -> dict[str, Any]:
    """A graduate <= 2 years after leaving school, unemployed until referred (800 row)."""
    return referral(
        number,
        key_group="graduate",
        left_school_on="2024-07-01",
        unemployed_before_referral=True,
    )


def referral_list(plain: int, keyed: int = 0, *, start: int = 0) -> list[dict[str, Any]]:
    """`plain` ordinary referrals and `keyed` key-group graduates, each a distinct person."""
    rows = [referral(id_number(start + i, "19950101")) for i in range(plain)]
    rows += [key_graduate(id_number(start + i, "20010101")) for i in range(keyed)]
    return rows


def agency_body(
    employer: Employer, referrals: list[dict[str, Any]], period: str = PERIOD, **extra: Any
) -> dict[str, Any]:
    return {
        "policy_code": "hr-agency-referral",
        "applicant": {"kind": "organisation", "employer_id": str(employer.id)},
        "period": period,
        "facts": {"organisation": {"kind": "hr_agency", "referrals": referrals}},
        **extra,
    }


GRADUATE_FACTS: dict[str, Any] = {
    "person": {
        "is_college_graduate": True,
        "left_school_on": "2024-07-01",
        "unemployed_since_leaving_school": True,
        "employments": [
            {
                "employer_in_district": True,
                "employer_is_sme": True,
                "start_date": "2025-01-15",
                "contract_months": 36,
                "insured_months": 7,
            }
        ],
    }
}


def graduate_body(**extra: Any) -> dict[str, Any]:
    return {
        "policy_code": "graduate-sme-living",
        "applicant": {"kind": "person"},
        "period": PERIOD,
        "facts": GRADUATE_FACTS,
        **extra,
    }


async def submit(
    client: httpx.AsyncClient,
    app: FastAPI,
    user: User,
    body: dict[str, Any],
    *,
    key: str | None = None,
) -> httpx.Response:
    headers = auth(app, user)
    if key is not None:
        headers["Idempotency-Key"] = key
    return await client.post("/api/v1/subsidy-applications", json=body, headers=headers)


async def submitted(
    client: httpx.AsyncClient, app: FastAPI, user: User, body: dict[str, Any]
) -> dict[str, Any]:
    response = await submit(client, app, user, body)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


async def act(
    client: httpx.AsyncClient,
    app: FastAPI,
    staff: StaffAccount,
    application_id: str | uuid.UUID,
    action: str,
    **fields: Any,
) -> httpx.Response:
    return await client.post(
        f"/api/v1/admin/subsidy-applications/{application_id}/review",
        json={"action": action, **fields},
        headers=auth(app, staff),
    )


async def acted(
    client: httpx.AsyncClient,
    app: FastAPI,
    staff: StaffAccount,
    application_id: str | uuid.UUID,
    action: str,
    **fields: Any,
) -> dict[str, Any]:
    response = await act(client, app, staff, application_id, action, **fields)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data
