"""Internships: verified host units enrol interns who applied to an internship job; the facts
of clause 11 come out and feed the policy engine's internship subsidy."""

from __future__ import annotations

from datetime import date

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications.models import JobApplication
from app.employers.models import Employer
from app.identity.models import User
from app.jobs.models import Job
from app.policies.engine import Facts, OrganisationFacts, evaluate
from app.policies.engine.facts_org import Intern
from tests.applications.helpers import make_employer, make_job
from tests.support.clock import FakeClock, local
from tests.support.factories import auth, make_staff, make_user


async def _internship_job(session: AsyncSession, employer: Employer, months: int = 6) -> Job:
    job = await make_job(session, employer, title="行政见习生")
    job.job_type = "internship"
    job.internship_months = months
    job.internship_allowance_fen = 2270_00
    await session.flush()
    return job


async def _applied(session: AsyncSession, job: Job, user: User) -> JobApplication:
    application = JobApplication(
        job_id=job.id,
        employer_id=job.employer_id,
        user_id=user.id,
        status="offered",
        resume_snapshot={},
    )
    session.add(application)
    await session.flush()
    return application


async def _enrol(
    client: httpx.AsyncClient,
    app: FastAPI,
    owner: User,
    employer: Employer,
    application: JobApplication,
    start: str,
) -> httpx.Response:
    return await client.post(
        f"/api/v1/employers/{employer.id}/internships",
        json={"application_id": str(application.id), "start_date": start},
        headers=auth(app, owner),
    )


async def test_posts_list_internship_jobs_of_verified_units(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    owner = await make_user(session, app)
    employer = await make_employer(session, owner, name="示例见习单位")
    job = await _internship_job(session, employer)
    await make_job(session, employer, title="全职岗位")
    clock.set(local(2026, 11, 26, 10, 0))
    posts = (await client.get("/api/v1/internship-posts")).json()["items"]
    assert [(p["job_id"], p["internship_months"], p["monthly_allowance_fen"]) for p in posts] == [
        (str(job.id), 6, 2270_00)
    ]


async def test_host_members_enrol_interns_and_others_cannot(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    owner, stranger = await make_user(session, app), await make_user(session, app)
    employer = await make_employer(session, owner)
    job = await _internship_job(session, employer)
    intern = await make_user(session, app, real_name=("赵六", "150602200001011234"))
    anonymous_intern = await make_user(session, app)
    application = await _applied(session, job, intern)

    stranger_try = await _enrol(client, app, stranger, employer, application, "2026-12-01")
    assert (stranger_try.status_code, stranger_try.json()["code"]) == (
        404,
        "internship.host_not_found",
    )
    no_real_name = await _enrol(
        client, app, owner, employer, await _applied(session, job, anonymous_intern), "2026-12-01"
    )
    assert no_real_name.json()["code"] == "internship.real_name_required"

    enrolled = await _enrol(client, app, owner, employer, application, "2026-12-01")
    assert enrolled.status_code == 201, enrolled.text
    body = enrolled.json()
    assert (body["agreed_months"], body["end_date"], body["monthly_allowance_fen"]) == (
        6,
        "2027-05-31",
        2270_00,
    )
    assert body["stage"] == "upcoming"
    twice = await _enrol(client, app, owner, employer, application, "2026-12-01")
    assert twice.json()["code"] == "internship.exists"
    mine = (await client.get("/api/v1/me/internships", headers=auth(app, intern))).json()["items"]
    assert [m["id"] for m in mine] == [body["id"]]

    url = f"/api/v1/employers/{employer.id}/internships/{body['id']}"
    outside = await client.put(
        url, json={"contract_signed_on": "2027-07-01"}, headers=auth(app, owner)
    )
    assert outside.json()["code"] == "internship.dates_invalid"
    both = await client.put(
        url,
        json={"contract_signed_on": "2027-02-01", "left_on": "2027-03-01"},
        headers=auth(app, owner),
    )
    assert both.json()["code"] == "internship.dates_invalid"
    signed = await client.put(
        url, json={"contract_signed_on": "2027-02-01"}, headers=auth(app, owner)
    )
    assert (signed.json()["stage"], signed.json()["retained"]) == ("signed_early", True)
    assert (
        await client.put(url, json={"retained": False}, headers=auth(app, stranger))
    ).status_code == 404


async def test_a_full_time_job_application_is_not_an_internship(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    owner = await make_user(session, app)
    employer = await make_employer(session, owner)
    full_time = await make_job(session, employer)
    person = await make_user(session, app, real_name=("钱七", "150602200002021234"))
    response = await _enrol(
        client, app, owner, employer, await _applied(session, full_time, person), "2026-12-01"
    )
    assert (response.status_code, response.json()["code"]) == (
        422,
        "internship.application_invalid",
    )


async def test_internship_facts_feed_the_clause_11_subsidy(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    """Two interns from 2025-03-01 for 6 months: one signs early (still paid the remaining
    months), one finishes and is not kept → retention 1/2 = 50% → 100% of 2270 × 12 months."""
    clock.set(local(2025, 2, 20, 9, 0))
    owner = await make_user(session, app)
    employer = await make_employer(session, owner, name="示例见习示范单位")
    job = await _internship_job(session, employer, months=6)
    interns = [
        await make_user(session, app, real_name=(name, f"15060220000303{n}23X"))
        for n, name in enumerate(("孙一", "周二"))
    ]
    ids = []
    for person in interns:
        response = await _enrol(
            client, app, owner, employer, await _applied(session, job, person), "2025-03-01"
        )
        ids.append(response.json()["id"])
    base = f"/api/v1/employers/{employer.id}/internships"
    await client.put(
        f"{base}/{ids[0]}", json={"contract_signed_on": "2025-06-15"}, headers=auth(app, owner)
    )
    clock.set(local(2025, 9, 1, 9, 0))
    await client.put(f"{base}/{ids[1]}", json={"retained": False}, headers=auth(app, owner))

    facts = (
        await client.get(
            f"/api/v1/employers/{employer.id}/internship-facts", headers=auth(app, owner)
        )
    ).json()
    # Both start the same day: their order is not part of the contract.
    assert sorted(facts["interns"], key=lambda i: i["contract_signed_on"] is None) == [
        {
            "person_key": interns[0].id_number_hash,
            "start_date": "2025-03-01",
            "agreed_months": 6,
            "contract_signed_on": "2025-06-15",
            "left_on": None,
            "retained": True,
        },
        {
            "person_key": interns[1].id_number_hash,
            "start_date": "2025-03-01",
            "agreed_months": 6,
            "contract_signed_on": None,
            "left_on": None,
            "retained": False,
        },
    ]
    assert (facts["finished"], facts["retained"], facts["retention_rate"]) == (2, 1, 0.5)
    reviewer = await make_staff(session, roles=("reviewer",))
    as_staff = await client.get(
        f"/api/v1/admin/employers/{employer.id}/internship-facts", headers=auth(app, reviewer)
    )
    assert as_staff.json() == facts

    organisation = OrganisationFacts(
        kind="enterprise",
        key=facts["organisation_key"],
        is_sme=facts["is_sme"],
        interns=[Intern.model_validate(i) for i in facts["interns"]],
    )
    evaluation = evaluate(
        Facts(organisation=organisation), on=date(2025, 9, 15), policy_codes={"internship"}
    )
    outcome = evaluation.outcome("internship")
    assert outcome.status == "eligible", outcome
    assert outcome.amount_fen == 12 * 2270_00
