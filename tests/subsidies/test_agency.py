"""Clause 5 end to end: an HR agency's referral list, the 500 / 800 split, nobody paid twice,
and the 500,000 yearly cap held even when two reviewers approve at the same moment."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from datetime import date

import httpx
from fastapi import FastAPI
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.core.db import create_sessionmaker
from app.employers.models import Employer
from app.identity.models import StaffAccount, User
from app.policies.engine import RULESET_VERSION
from app.subsidies.models import SubsidyApplication, SubsidyAward
from tests.subsidies.helpers import (
    acted,
    agency,
    agency_body,
    person,
    referral_list,
    reviewer,
    submit,
    submitted,
)
from tests.support.factories import auth, make_staff

REF, KEY = "hr-agency-referral", "hr-agency-key-group-referral"
CAP = 500_000_00
PER_PERSON, PER_KEY_PERSON = 500_00, 800_00


async def test_forty_referrals_with_five_key_group_graduates_split_500_and_800(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    owner = await person(session, app, seq=1, birth="19800101")
    unit = await agency(session, app, owner)
    data = await submitted(client, app, owner, agency_body(unit, referral_list(35, 5)))
    assert data["claim_code"] == "hr-referral-person"
    assert data["engine_status"] == "eligible"
    assert data["expected_amount_fen"] == 35 * PER_PERSON + 5 * PER_KEY_PERSON == 2_150_000
    outcomes = {o["policy_code"]: o for o in data["decision"]["outcomes"]}
    assert outcomes[REF]["amount_fen"] == 1_750_000
    assert outcomes[KEY]["amount_fen"] == 400_000
    assert len(data["decision"]["exclusions"]) == 5
    assert {e["granted_policy"] for e in data["decision"]["exclusions"]} == {KEY}

    staff = await make_staff(session, roles=("reviewer",))
    await acted(client, app, staff, data["id"], "start_review")
    approved = await acted(client, app, staff, data["id"], "approve")
    assert approved["status"] == "approved"
    assert approved["approved_amount_fen"] == 2_150_000
    assert approved["engine_amount_at_approval_fen"] == 2_150_000
    assert approved["approval_decision"]["ruleset_version"] == RULESET_VERSION

    awards = (
        (
            await session.execute(
                select(SubsidyAward).where(SubsidyAward.recipient_key == unit.credit_code)
            )
        )
        .scalars()
        .all()
    )
    assert len(awards) == 40
    assert len({a.person_key for a in awards}) == 40  # no person paid twice
    assert Counter((a.policy_code, a.amount_fen) for a in awards) == {
        (REF, PER_PERSON): 35,
        (KEY, PER_KEY_PERSON): 5,
    }
    assert {a.year for a in awards} == {2025}
    assert sum(a.amount_fen for a in awards) == 2_150_000


async def test_people_already_paid_are_not_paid_again_by_anyone(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    owner = await person(session, app, seq=2, birth="19800101")
    unit = await agency(session, app, owner)
    staff = await make_staff(session, roles=("reviewer",))
    first = await submitted(client, app, owner, agency_body(unit, referral_list(35, 5)))
    await acted(client, app, staff, first["id"], "start_review")
    await acted(client, app, staff, first["id"], "approve")

    # the same list again, in another period: every person was paid already
    again = await submit(
        client, app, owner, agency_body(unit, referral_list(35, 5), period="2025-Q4")
    )
    assert again.status_code == 422
    assert again.json()["code"] == "subsidy.ineligible"

    # another agency listing the same 40 people plus 30 new ones is paid for the new ones only
    other_owner = await person(session, app, seq=3, birth="19800101")
    other = await agency(session, app, other_owner)
    rows = referral_list(35, 5) + referral_list(30, start=500)
    data = await submitted(client, app, other_owner, agency_body(other, rows))
    assert data["expected_amount_fen"] == 30 * PER_PERSON
    lines = next(o for o in data["decision"]["outcomes"] if o["policy_code"] == REF)["record"][
        "lines"
    ]
    assert Counter(line["status"] for line in lines) == {"granted": 30, "excluded": 40}


async def _prior_awards(session: AsyncSession, unit: Employer, owner: User, fen: int) -> None:
    """An earlier approved claim of the agency this year (the ledger before the test)."""
    application = SubsidyApplication(
        id=uuid.uuid4(),
        policy_code=REF,
        claim_code="hr-referral-person",
        applicant_kind="organisation",
        applicant_user_id=owner.id,
        employer_id=unit.id,
        recipient_key=unit.credit_code,
        period="2025-H1",
        period_year=2025,
        facts={},
        evaluated_on=date(2025, 6, 1),
        ruleset_version=RULESET_VERSION,
        engine_status="eligible",
        expected_amount_fen=fen,
        decision={},
        status="approved",
        approved_amount_fen=fen,
    )
    session.add(application)
    await session.flush()
    session.add(
        SubsidyAward(
            application_id=application.id,
            policy_code=REF,
            recipient_key=unit.credit_code,
            amount_fen=fen,
            year=2025,
            awarded_on=date(2025, 6, 30),
        )
    )
    await session.flush()


async def _claims_under_review(
    client: httpx.AsyncClient, app: FastAPI, engine: AsyncEngine, count: int
) -> tuple[Employer, list[str], list[StaffAccount]]:
    """An agency 480,000 into its cap with `count` claims of 15,000 each, all under review, and
    one reviewer per claim."""
    async with create_sessionmaker(engine)() as setup:
        owner = await person(setup, app, seq=4, birth="19800101")
        unit = await agency(setup, app, owner)
        await _prior_awards(setup, unit, owner, 480_000_00)
        reviewers = [await reviewer(setup) for _ in range(count)]
        await setup.commit()
    ids = []
    for quarter in range(1, count + 1):
        rows = referral_list(30, start=100 * quarter)
        body = agency_body(unit, rows, period=f"2025-Q{quarter}")
        data = await submitted(client, app, owner, body)
        assert data["expected_amount_fen"] == 15_000_00  # each alone fits under the cap
        await acted(client, app, reviewers[0], data["id"], "start_review")
        ids.append(data["id"])
    return unit, ids, reviewers


async def _approve_at_once(
    client: httpx.AsyncClient,
    app: FastAPI,
    ids: list[str],
    reviewers: list[StaffAccount],
    body: dict[str, object],
) -> list[httpx.Response]:
    return await asyncio.gather(
        *(
            client.post(
                f"/api/v1/admin/subsidy-applications/{application_id}/review",
                json=body,
                headers=auth(app, staff),
            )
            for application_id, staff in zip(ids, reviewers, strict=True)
        )
    )


async def _paid_this_year(engine: AsyncEngine, unit: Employer) -> int:
    async with engine.connect() as conn:
        total = await conn.scalar(
            text(
                "SELECT coalesce(sum(amount_fen), 0) FROM subsidy_award"
                " WHERE recipient_key = :k AND year = 2025"
            ),
            {"k": unit.credit_code},
        )
    return int(total)


async def test_reviewers_approving_at_once_never_pass_the_cap(
    committing_client: httpx.AsyncClient, app: FastAPI, engine: AsyncEngine
) -> None:
    unit, ids, reviewers = await _claims_under_review(committing_client, app, engine, 4)
    responses = await _approve_at_once(
        committing_client, app, ids, reviewers, {"action": "approve"}
    )
    outcomes = sorted(
        (r.status_code, r.json().get("approved_amount_fen") or r.json().get("code"))
        for r in responses
    )
    # 20,000 was left: one claim takes 15,000, the one decided after it the remaining 5,000,
    # the others find the cap reached when the engine decides again
    assert outcomes == [
        (200, 5_000_00),
        (200, 15_000_00),
        (409, "subsidy.no_longer_eligible"),
        (409, "subsidy.no_longer_eligible"),
    ], [r.text for r in responses]
    assert await _paid_this_year(engine, unit) == CAP
    second = next(r.json() for r in responses if r.json().get("approved_amount_fen") == 5_000_00)
    cap = second["approval_decision"]["outcomes"][0]["record"]["caps"][0]
    assert (cap["limit_fen"], cap["already_paid_fen"], cap["granted_fen"]) == (
        CAP,
        495_000_00,
        5_000_00,
    )


async def test_two_reviewers_insisting_on_the_claimed_amounts_cannot_both_succeed(
    committing_client: httpx.AsyncClient, app: FastAPI, engine: AsyncEngine
) -> None:
    unit, ids, reviewers = await _claims_under_review(committing_client, app, engine, 2)
    body = {"action": "approve", "amount_fen": 15_000_00, "override_reason": "按申报金额核准"}
    responses = await _approve_at_once(committing_client, app, ids, reviewers, body)
    outcomes = sorted((r.status_code, r.json().get("code")) for r in responses)
    assert outcomes == [(200, None), (409, "subsidy.cap_exceeded")], [r.text for r in responses]
    refused = next(r.json() for r in responses if r.status_code == 409)
    assert refused["details"]["max_amount_fen"] == 5_000_00
    assert await _paid_this_year(engine, unit) == 495_000_00
    async with engine.connect() as conn:
        statuses = (
            (
                await conn.execute(
                    text("SELECT status FROM subsidy_application WHERE period LIKE '2025-Q_'")
                )
            )
            .scalars()
            .all()
        )
    assert sorted(statuses) == ["approved", "under_review"]
