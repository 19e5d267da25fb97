"""Submitting an application: the engine decides at once; refusals, duplicates, double taps."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.audit.models import AuditRecord
from app.core.db import create_sessionmaker
from app.policies.engine import RULESET_VERSION
from app.subsidies.models import SubsidyApplication
from tests.employers.factories import add_recruiter, make_employer
from tests.subsidies.helpers import (
    GRADUATE_FACTS,
    agency,
    agency_body,
    graduate_body,
    person,
    referral_list,
    submit,
    submitted,
)
from tests.support.factories import auth, make_user

SME_LIVING = 300_000  # 3,000.00 yuan in fen


async def test_a_graduate_applies_and_the_decision_is_stored(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await person(session, app, birth="20020510")
    data = await submitted(client, app, user, graduate_body(note="示例"))
    assert data["status"] == "submitted"
    assert data["engine_status"] == "eligible"
    assert data["expected_amount_fen"] == SME_LIVING
    assert data["ruleset_version"] == RULESET_VERSION
    assert data["evaluated_on"] == "2025-09-01"
    assert data["claim_code"] == "graduate-sme-living"
    outcome = data["decision"]["outcomes"][0]
    assert (outcome["policy_code"], outcome["amount_fen"]) == ("graduate-sme-living", SME_LIVING)
    assert outcome["record"]["ruleset_version"] == RULESET_VERSION
    # the ID card's birth date and the person key were filled in, and said so
    known = {k["field"]: k for k in data["known_facts"]}
    assert known["person.birth_date"]["value"] == "2002-05-10"
    assert known["person.birth_date"]["source"] == "real_name"
    assert data["facts"]["person"]["key"] == user.id_number_hash
    assert [h["to_status"] for h in data["history"]] == ["submitted"]
    stored = await session.get(SubsidyApplication, data["id"])
    assert stored is not None and stored.decision["total_eligible_fen"] == SME_LIVING
    audit = await session.scalar(
        select(func.count())
        .select_from(AuditRecord)
        .where(AuditRecord.action == "subsidy.submit", AuditRecord.subject_id == data["id"])
    )
    assert audit == 1


async def test_the_id_card_birth_date_wins_over_a_typed_one(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await person(session, app, birth="20020510")
    facts = {"person": {**GRADUATE_FACTS["person"], "birth_date": "1990-01-01"}}
    data = await submitted(client, app, user, graduate_body(facts=facts))
    assert data["facts"]["person"]["birth_date"] == "2002-05-10"
    birth = next(k for k in data["known_facts"] if k["field"] == "person.birth_date")
    assert birth["replaced"] is True


async def test_money_needs_a_real_name(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await make_user(session, app)
    response = await submit(client, app, user, graduate_body())
    assert response.status_code == 403
    assert response.json()["code"] == "identity.real_name_required"


async def test_an_ineligible_claim_is_refused_with_every_reason(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await person(session, app)
    short = {
        "person": {
            **GRADUATE_FACTS["person"],
            "employments": [
                {
                    "employer_in_district": True,
                    "employer_is_sme": False,
                    "start_date": "2025-06-01",
                    "insured_months": 3,
                }
            ],
        }
    }
    response = await submit(client, app, user, graduate_body(facts=short))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "subsidy.ineligible"
    (reason,) = body["details"]["outcomes"][0]["reasons"]
    # every unmet condition is shown at once
    assert "用人单位不是中小企业" in reason
    assert "已就业 3 个月，不足 6 个月" in reason
    assert await session.scalar(select(func.count()).select_from(SubsidyApplication)) == 0


async def test_needs_review_claims_are_accepted_for_staff(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await person(session, app)
    facts = {"person": {**GRADUATE_FACTS["person"], "unemployed_since_leaving_school": None}}
    facts["person"]["left_school_on"] = "2023-01-01"  # graduating year unknown path
    facts["person"]["employments"] = [{**GRADUATE_FACTS["person"]["employments"][0]}]
    facts["person"]["employments"][0]["employer_is_sme"] = None
    data = await submitted(client, app, user, graduate_body(facts=facts))
    assert data["engine_status"] == "needs_review"
    assert data["expected_amount_fen"] == 0
    assert data["decision"]["outcomes"][0]["missing"]


async def test_a_second_open_application_for_the_same_claim_is_a_duplicate(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await person(session, app)
    await submitted(client, app, user, graduate_body())
    again = await submit(client, app, user, graduate_body(note="再次提交"))
    assert again.status_code == 409
    assert again.json()["code"] == "subsidy.duplicate"
    # another member of the same agency cannot open a parallel claim either
    owner = await person(session, app, seq=10, birth="19800101")
    colleague = await person(session, app, seq=11, birth="19800101")
    unit = await agency(session, app, owner)
    await add_recruiter(session, unit, colleague)
    await submitted(client, app, owner, agency_body(unit, referral_list(30)))
    parallel = await submit(client, app, colleague, agency_body(unit, referral_list(30)))
    assert parallel.json()["code"] == "subsidy.duplicate"
    other_period = await submit(
        client, app, colleague, agency_body(unit, referral_list(30, start=100), period="2025-Q4")
    )
    assert other_period.status_code == 201, other_period.text


async def test_applicant_and_policy_must_agree(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    owner = await person(session, app, seq=20, birth="19800101")
    unit = await agency(session, app, owner)
    stranger = await person(session, app, seq=21, birth="19800101")
    as_person = {**agency_body(unit, referral_list(30)), "applicant": {"kind": "person"}}
    response = await submit(client, app, owner, as_person)
    assert response.json()["code"] == "subsidy.applicant_mismatch"
    foreign = await submit(client, app, stranger, agency_body(unit, referral_list(30)))
    assert foreign.status_code == 404
    assert foreign.json()["code"] == "subsidy.employer_not_found"
    informational = await submit(
        client, app, owner, {**graduate_body(), "policy_code": "startup-guaranteed-loan"}
    )
    assert (informational.status_code, informational.json()["code"]) == (
        422,
        "subsidy.not_computable",
    )
    unknown = await submit(client, app, owner, {**graduate_body(), "policy_code": "no-such"})
    assert (unknown.status_code, unknown.json()["code"]) == (404, "policy.not_found")


async def test_an_unverified_unit_cannot_apply(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    owner = await person(session, app, seq=30, birth="19800101")
    unit = await make_employer(session, owner, status="pending")
    unit.kind = "hr_agency"
    await session.flush()
    response = await submit(client, app, owner, agency_body(unit, referral_list(30)))
    assert (response.status_code, response.json()["code"]) == (403, "subsidy.employer_unverified")


async def test_listed_people_must_be_valid_id_numbers_and_are_kept_hashed(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    owner = await person(session, app, seq=40, birth="19800101")
    unit = await agency(session, app, owner)
    rows = referral_list(30)
    bad = [dict(rows[0], person_key="150602199501010000"), *rows[1:]]
    response = await submit(client, app, owner, agency_body(unit, bad))
    assert response.status_code == 422
    assert response.json()["code"] == "subsidy.person_id_invalid"
    assert response.json()["details"]["rows"] == [{"row": "referrals[0]", "reason": "check_digit"}]
    data = await submitted(client, app, owner, agency_body(unit, rows))
    keys = [r["person_key"] for r in data["facts"]["organisation"]["referrals"]]
    assert all(len(k) == 64 for k in keys)
    raw = rows[0]["person_key"]
    assert raw not in str(data)
    assert data["person_refs"][keys[0]] == raw[:4] + "*" * 10 + raw[-4:]
    # the registry decides what the unit is
    assert data["facts"]["organisation"]["key"] == unit.credit_code
    assert data["facts"]["organisation"]["referral_year"] == 2025


async def test_materials_must_be_the_applicants_own_files(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await person(session, app)
    other = await person(session, app, seq=2)
    upload = await client.post(
        "/api/v1/files",
        files={"file": ("a.pdf", b"%PDF-1.4 sample", "application/pdf")},
        data={"purpose": "subsidy_material"},
        headers=auth(app, other),
    )
    assert upload.status_code == 201, upload.text
    response = await submit(
        client, app, user, graduate_body(material_file_ids=[upload.json()["id"]])
    )
    assert (response.status_code, response.json()["code"]) == (404, "file.not_found")


async def test_double_tapped_submissions_create_one_application(
    committing_client: httpx.AsyncClient, app: FastAPI, engine: AsyncEngine
) -> None:
    async with create_sessionmaker(engine)() as setup:
        user = await person(setup, app)
        await setup.commit()
    body = graduate_body()
    responses = await asyncio.gather(
        *(submit(committing_client, app, user, body, key="tap-tap-0001") for _ in range(2))
    )
    assert [r.status_code for r in responses] == [201, 201], [r.text for r in responses]
    assert responses[0].json()["id"] == responses[1].json()["id"]
    async with engine.connect() as conn:
        count = await conn.scalar(text("SELECT count(*) FROM subsidy_application"))
    assert count == 1
    other = await submit(
        committing_client, app, user, graduate_body(note="改了"), key="tap-tap-0001"
    )
    assert (other.status_code, other.json()["code"]) == (422, "idempotency.key_reused")


async def test_two_taps_with_different_keys_still_make_one_application(
    committing_client: httpx.AsyncClient, app: FastAPI, engine: AsyncEngine
) -> None:
    async with create_sessionmaker(engine)() as setup:
        user = await person(setup, app)
        await setup.commit()
    responses = await asyncio.gather(
        submit(committing_client, app, user, graduate_body(), key="key-one-0001"),
        submit(committing_client, app, user, graduate_body(), key="key-two-0002"),
    )
    assert sorted(r.status_code for r in responses) == [201, 409]
    async with engine.connect() as conn:
        count = await conn.scalar(text("SELECT count(*) FROM subsidy_application"))
    assert count == 1
