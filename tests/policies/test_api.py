"""The catalogue and the calculator through the API (the engine's rules have their own tests)."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications.models import EmploymentEvent, JobApplication, Resume
from app.employers.models import Employer
from app.identity.models import User
from app.policies.schemas import EVALUATE_EXAMPLES
from app.subsidies.models import SubsidyApplication, SubsidyAward
from tests.applications.helpers import make_job
from tests.employers.factories import make_employer
from tests.subsidies.helpers import id_number, referral_list
from tests.support.factories import auth, make_user

EVALUATE = "/api/v1/policies/evaluate"
FULL = f"{EVALUATE}?detail=full"


def _codes(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    assert data["next_cursor"] is None
    return [item["code"] for item in data["items"]]


async def test_the_catalogue_lists_every_policy_with_filters(client: httpx.AsyncClient) -> None:
    everything = _codes(await client.get("/api/v1/policies"))
    assert len(everything) >= 40
    assert everything[0] == "hr-agency-referral"  # the plan's order, computable first
    computable = _codes(await client.get("/api/v1/policies?computable=true"))
    assert len(computable) == 26 and "startup-guaranteed-loan" not in computable
    agencies = _codes(await client.get("/api/v1/policies?audience=hr_agency&include_general=false"))
    assert agencies[:2] == ["hr-agency-referral", "hr-agency-key-group-referral"]
    with_general = _codes(await client.get("/api/v1/policies?audience=hr_agency"))
    assert set(agencies) < set(with_general)
    invalid = await client.get("/api/v1/policies?audience=astronaut")
    assert invalid.status_code == 422


async def test_chinese_keywords_match_by_substring_or_by_words(client: httpx.AsyncClient) -> None:
    assert "internship" in _codes(await client.get("/api/v1/policies", params={"keyword": "见习"}))
    # not a substring anywhere, but both words are in the policy (jieba segmentation)
    words = _codes(await client.get("/api/v1/policies", params={"keyword": "中小企业 毕业生"}))
    assert "graduate-sme-living" in words
    assert "craftsman-award" not in words
    assert _codes(await client.get("/api/v1/policies", params={"keyword": "火箭发射"})) == []


async def test_a_policy_in_detail_and_an_unknown_one(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/policies/hr-agency-key-group-referral")
    assert response.status_code == 200
    policy = response.json()
    assert policy["clause"] == 5
    assert policy["exclusion_group"] == "hr-referral-person"
    assert policy["exclusion_group_policies"] == [
        "hr-agency-referral",
        "hr-agency-key-group-referral",
    ]
    assert policy["source"]["excerpt"].startswith("成功推荐")
    missing = await client.get("/api/v1/policies/no-such-policy")
    assert missing.status_code == 404
    assert missing.json()["code"] == "policy.not_found"
    assert missing.json()["message"] == "未找到该政策"


async def test_the_graduate_example_from_docs(client: httpx.AsyncClient) -> None:
    response = await client.post(EVALUATE, json=EVALUATE_EXAMPLES["graduate"]["value"])
    assert response.status_code == 200, response.text
    data = response.json()
    first = data["outcomes"][0]
    assert (first["policy_code"], first["status"], first["amount_fen"]) == (
        "graduate-sme-living",
        "eligible",
        300_000,
    )
    assert data["total_eligible_fen"] == 300_000
    assert data["known_facts"] == [] and data["history_considered"] == 0
    statuses = [o["status"] for o in data["outcomes"]]
    assert statuses == sorted(statuses, key=["eligible", "needs_review", "ineligible"].index)
    assert data["counts"]["eligible"] == 1
    assert sum(data["counts"].values()) == len(data["outcomes"]) == 13


async def test_the_default_answer_is_a_small_summary(client: httpx.AsyncClient) -> None:
    example = EVALUATE_EXAMPLES["graduate"]["value"]
    response = await client.post(EVALUATE, json=example)
    assert response.status_code == 200, response.text
    assert len(response.content) <= 5 * 1024, len(response.content)
    data = response.json()
    assert data["detail"] == "summary" and "facts" not in data
    first = data["outcomes"][0]
    assert "record" not in first
    assert first["amount_text"] == "3,000元" and data["total_eligible_text"] == "3,000元"
    assert first["explanation"] == "符合条件，可享受3,000元。"
    review = next(o for o in data["outcomes"] if o["status"] == "needs_review")
    assert review["missing"] and review["explanation"].startswith("可能符合")
    # the organisation's policies are not "ineligible" lines of a person's check
    assert "hr-agency-referral" in data["not_assessed"]
    assert data["counts"] == {"eligible": 1, "needs_review": 12, "ineligible": 0}
    assert len(data["outcomes"]) + len(data["not_assessed"]) == 26
    agency = await client.post(EVALUATE, json=EVALUATE_EXAMPLES["hr_agency"]["value"])
    refused = next(o for o in agency.json()["outcomes"] if o["status"] == "ineligible")
    assert refused["explanation"].startswith("不符合：")

    full = await client.post(FULL, json=example)
    assert full.json()["detail"] == "full"
    assert len(full.content) > 20 * 1024
    assert full.json()["outcomes"][0]["record"]["checks"]
    assert [o["policy_code"] for o in full.json()["outcomes"]] == [
        o["policy_code"] for o in data["outcomes"]
    ] + data["not_assessed"]


async def test_the_agency_example_and_a_full_referral_list(client: httpx.AsyncClient) -> None:
    example = await client.post(FULL, json=EVALUATE_EXAMPLES["hr_agency"]["value"])
    referral = next(
        o for o in example.json()["outcomes"] if o["policy_code"] == "hr-agency-referral"
    )
    assert referral["status"] == "ineligible"
    assert "2025 年度成功推荐符合条件的人员 1 人，不足 30 人" in referral["reasons"]

    organisation = {"kind": "hr_agency", "referral_year": 2025, "referrals": referral_list(35, 5)}
    body = {
        "organisation": organisation,
        "on": "2025-09-01",
        "policy_codes": ["hr-agency-referral", "hr-agency-key-group-referral"],
    }
    data = (await client.post(FULL, json=body)).json()
    assert [(o["policy_code"], o["amount_fen"]) for o in data["outcomes"]] == [
        ("hr-agency-referral", 35 * 500_00),
        ("hr-agency-key-group-referral", 5 * 800_00),
    ]
    assert data["total_eligible_fen"] == 2_150_000
    assert len(data["exclusions"]) == 5


async def test_bad_requests_are_refused_in_the_envelope(client: httpx.AsyncClient) -> None:
    nothing = await client.post(EVALUATE, json={})
    assert (nothing.status_code, nothing.json()["code"]) == (422, "policy.facts_required")
    far = await client.post(EVALUATE, json={"person": {"birth_date": "0001-01-01"}})
    assert (far.status_code, far.json()["code"]) == (422, "policy.evaluation_invalid")
    informational = await client.post(
        EVALUATE, json={"person": {}, "policy_codes": ["startup-guaranteed-loan"]}
    )
    assert informational.json()["code"] == "policy.evaluation_invalid"
    unknown = await client.post(EVALUATE, json={"person": {}, "policy_codes": ["nope"]})
    assert unknown.json()["code"] == "policy.not_found"
    extra = await client.post(EVALUATE, json={"person": {}, "salary": 1})
    assert extra.status_code == 422


async def _hired(session: AsyncSession, user: User, employer: Employer, start: date) -> None:
    job = await make_job(session, employer)
    application = JobApplication(
        job_id=job.id, employer_id=employer.id, user_id=user.id, status="hired", resume_snapshot={}
    )
    session.add(application)
    await session.flush()
    session.add(
        EmploymentEvent(
            user_id=user.id,
            employer_id=employer.id,
            job_id=job.id,
            application_id=application.id,
            start_date=start,
            contract_type="fixed_term",
            contract_months=36,
        )
    )
    session.add(
        Resume(
            user_id=user.id,
            education=[
                {"school": "内蒙古大学", "degree": "bachelor", "graduation_date": "2024-07-01"}
            ],
        )
    )
    await session.flush()


async def test_a_logged_in_user_sees_what_the_service_knows(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    # an ID number with an even 17th digit: a woman born on 2002-05-10
    user = await make_user(session, app, real_name=("示例", id_number(2, "20020510")))
    owner = await make_user(session, app)
    employer = await make_employer(session, owner)  # size class "small": an SME
    await _hired(session, user, employer, date(2025, 1, 15))
    response = await client.post(
        EVALUATE,
        json={"on": "2025-09-01", "policy_codes": ["graduate-sme-living"]},
        headers=auth(app, user),
    )
    assert response.status_code == 200, response.text
    data = response.json()
    known = {k["field"]: (k["value"], k["source"]) for k in data["known_facts"]}
    assert known["person.birth_date"] == ("2002-05-10", "real_name")
    assert known["person.woman"] == (True, "real_name")
    assert known["person.is_college_graduate"] == (True, "resume")
    assert known["person.left_school_on"] == ("2024-07-01", "resume")
    spells, source = known["person.employments"]
    assert source == "employment_event"
    assert spells == [
        {
            "employer_name": employer.name,
            "employer_in_district": True,
            "employer_is_sme": True,
            "start_date": "2025-01-15",
            "contract_months": 36,
        }
    ]
    # insurance months are not on record: the person is told what to add, not refused
    (outcome,) = data["outcomes"]
    assert outcome["status"] == "needs_review"
    assert outcome["missing"]
    # what the user types wins for a hypothetical check
    typed = await client.post(
        FULL,
        json={"person": {"birth_date": "2000-01-01"}, "on": "2025-09-01"},
        headers=auth(app, user),
    )
    assert typed.json()["facts"]["person"]["birth_date"] == "2000-01-01"


async def test_earlier_awards_of_the_user_are_compared(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await make_user(session, app, real_name=("示例", id_number(3, "20020510")))
    earlier = SubsidyApplication(
        policy_code="graduate-sme-living",
        claim_code="graduate-sme-living",
        applicant_kind="person",
        applicant_user_id=user.id,
        recipient_key=user.id_number_hash,
        period="2025-H1",
        period_year=2025,
        facts={},
        evaluated_on=date(2025, 6, 1),
        ruleset_version="2025.1.0",
        engine_status="eligible",
        expected_amount_fen=300_000,
        decision={},
        status="paid",
        approved_amount_fen=300_000,
        paid_on=date(2025, 6, 20),
        payment_reference="ZF-0001",
    )
    session.add(earlier)
    await session.flush()
    session.add(
        SubsidyAward(
            application_id=earlier.id,
            policy_code="graduate-sme-living",
            recipient_key=user.id_number_hash,
            person_key=user.id_number_hash,
            amount_fen=300_000,
            year=2025,
            awarded_on=date(2025, 6, 10),
        )
    )
    await session.flush()
    body = {**EVALUATE_EXAMPLES["graduate"]["value"], "policy_codes": ["graduate-sme-living"]}
    data = (await client.post(EVALUATE, json=body, headers=auth(app, user))).json()
    assert data["history_considered"] == 1
    (outcome,) = data["outcomes"]
    assert outcome["status"] == "ineligible"
    assert "已于 2025-06-10 享受" in outcome["explanation"]


async def test_members_evaluate_their_unit_with_registry_facts(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    owner = await make_user(session, app)
    stranger = await make_user(session, app)
    employer = await make_employer(session, owner)
    employer.kind = "hr_agency"
    await session.flush()
    body = {
        "employer_id": str(employer.id),
        "organisation": {"kind": "enterprise", "referrals": referral_list(30)},
        "on": "2025-09-01",
        "policy_codes": ["hr-agency-referral"],
    }
    data = (await client.post(EVALUATE, json=body, headers=auth(app, owner))).json()
    known = {k["field"]: k for k in data["known_facts"]}
    assert known["organisation.kind"]["value"] == "hr_agency"
    assert known["organisation.kind"]["replaced"] is True
    assert known["organisation.is_sme"]["value"] is True
    assert known["organisation.key"]["value"] == employer.credit_code
    assert data["outcomes"][0]["amount_fen"] == 30 * 500_00
    foreign = await client.post(EVALUATE, json=body, headers=auth(app, stranger))
    assert (foreign.status_code, foreign.json()["code"]) == (404, "policy.employer_not_found")
    anonymous = await client.post(EVALUATE, json=body)
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "auth.unauthorized")


async def test_docs_offer_a_graduate_and_an_agency_example(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    body = spec["paths"]["/api/v1/policies/evaluate"]["post"]["requestBody"]["content"]
    examples = body["application/json"]["examples"]
    assert set(examples) == {"graduate", "hr_agency"}
    assert examples["hr_agency"]["value"]["organisation"]["kind"] == "hr_agency"
