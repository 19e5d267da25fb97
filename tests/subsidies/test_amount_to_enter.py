"""Policies granted without an amount (clause 13) and open group lists (clause 23) can be applied
for; the reviewer enters the amount the plan leaves to higher-level policy."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditRecord
from app.subsidies.models import SubsidyAward
from tests.subsidies.helpers import PERIOD, act, acted, person, reviewer, submitted

FLEXIBLE_BODY = {
    "policy_code": "social-insurance-subsidy-flexible",
    "applicant": {"kind": "person"},
    "period": PERIOD,
    "facts": {
        "person": {
            "hard_to_employ": True,
            "flexible_employment": True,
            "flexible_insurance_paid": True,
        }
    },
}


async def test_a_flexible_worker_applies_and_the_reviewer_enters_the_amount(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await person(session, app)
    staff = await reviewer(session)
    created = await submitted(client, app, user, FLEXIBLE_BODY)
    assert created["engine_status"] == "needs_review"
    assert created["expected_amount_fen"] in (None, 0)
    app_id = created["id"]
    await acted(client, app, staff, app_id, "start_review")

    missing = await act(client, app, staff, app_id, "approve")
    assert missing.status_code == 422
    assert missing.json()["code"] == "subsidy.amount_to_enter"

    approved = await acted(client, app, staff, app_id, "approve", amount_fen=150_000)
    assert (approved["status"], approved["approved_amount_fen"]) == ("approved", 150_000)
    assert approved["override_reason"] is None  # entering the amount is not an override
    awards = (
        (await session.execute(select(SubsidyAward).where(SubsidyAward.application_id == app_id)))
        .scalars()
        .all()
    )
    assert [(a.policy_code, a.amount_fen, a.quantity) for a in awards] == [
        ("social-insurance-subsidy-flexible", 150_000, 1)
    ]
    audit = await session.scalar(
        select(AuditRecord).where(
            AuditRecord.subject_id == app_id, AuditRecord.action == "subsidy.approve"
        )
    )
    assert audit is not None and audit.details["amount_entered_by_reviewer"] is True


async def test_a_founder_outside_the_named_groups_can_apply(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    """Clause 23 names three groups and ends in 等: a veteran founder is for staff to decide."""
    user = await person(session, app, seq=7, birth="19900101")
    body = {
        "policy_code": "startup-one-time",
        "applicant": {"kind": "person"},
        "period": PERIOD,
        "facts": {
            "person": {
                "is_college_graduate": False,
                "hard_to_employ": False,
                "migrant_worker_returning": False,
                "veteran": True,
                "startup": {
                    "first_time_founder": True,
                    "business_type": "individual_business",
                    "founded_on": "2025-03-01",
                },
            }
        },
    }
    created = await submitted(client, app, user, body)
    assert created["engine_status"] == "needs_review"
