"""Employer booths: members of verified employers only, published jobs only, staff decide."""

from __future__ import annotations

import uuid

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.employers.models import Employer
from app.identity.models import User
from tests.applications.helpers import add_member, make_employer, make_job
from tests.events.conftest import FAIR_START, make_event
from tests.support.clock import FakeClock
from tests.support.factories import auth, make_staff, make_user


async def _ask(
    client: httpx.AsyncClient,
    app: FastAPI,
    user: User,
    event_id: uuid.UUID,
    employer: Employer,
    job_ids: list[uuid.UUID],
) -> httpx.Response:
    body = {
        "employer_id": str(employer.id),
        "job_ids": [str(j) for j in job_ids],
        "contact_name": "王经理",
    }
    return await client.post(
        f"/api/v1/events/{event_id}/booths", json=body, headers=auth(app, user)
    )


async def test_a_member_registers_a_booth_and_staff_confirm_it(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    owner, recruiter = await make_user(session, app), await make_user(session, app)
    employer = await make_employer(session, owner, name="示例物流公司")
    await add_member(session, employer, recruiter)
    job = await make_job(session, employer, title="叉车司机")
    event = await make_event(session, booth_limit=5)

    asked = await _ask(client, app, recruiter, event.id, employer, [job.id])
    assert asked.status_code == 201, asked.text
    assert asked.json()["status"] == "pending"
    assert asked.json()["jobs"] == [{"id": str(job.id), "title": "叉车司机"}]
    assert (await client.get(f"/api/v1/events/{event.id}")).json()["booths"] == []
    mine = (await client.get("/api/v1/me/event-booths", headers=auth(app, owner))).json()["items"]
    assert [b["id"] for b in mine] == [asked.json()["id"]]

    staff = await make_staff(session, roles=("station",))
    decided = await client.post(
        f"/api/v1/admin/event-booths/{asked.json()['id']}/decision",
        json={"decision": "confirm", "booth_no": "A-12"},
        headers=auth(app, staff),
    )
    assert decided.status_code == 200, decided.text
    assert (decided.json()["status"], decided.json()["booth_no"]) == ("confirmed", "A-12")
    detail = (await client.get(f"/api/v1/events/{event.id}")).json()
    assert detail["booths"] == [
        {
            "employer_id": str(employer.id),
            "employer_name": "示例物流公司",
            "booth_no": "A-12",
            "jobs": [{"id": str(job.id), "title": "叉车司机"}],
        }
    ]
    twice = await _ask(client, app, owner, event.id, employer, [job.id])
    assert (twice.status_code, twice.json()["code"]) == (409, "event.booth_exists")


async def test_a_non_member_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    owner, stranger = await make_user(session, app), await make_user(session, app)
    employer = await make_employer(session, owner)
    job = await make_job(session, employer)
    event = await make_event(session)

    refused = await _ask(client, app, stranger, event.id, employer, [job.id])

    assert refused.status_code == 403
    assert refused.json()["code"] == "event.not_employer_member"
    assert refused.json()["message"] == "只有该单位的成员才能以单位名义申请展位"
    assert (await client.get(f"/api/v1/events/{event.id}")).json()["booth_count"] == 0


async def test_unverified_employers_foreign_jobs_and_started_events_are_refused(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    owner, other_owner = await make_user(session, app), await make_user(session, app)
    employer = await make_employer(session, owner)
    other = await make_employer(session, other_owner)
    own_job, foreign_job = await make_job(session, employer), await make_job(session, other)
    draft = await make_job(session, employer, status="pending_review")
    event = await make_event(session)
    no_booths = await make_event(session, booth_limit=0)

    foreign = await _ask(client, app, owner, event.id, employer, [own_job.id, foreign_job.id])
    assert (foreign.status_code, foreign.json()["code"]) == (422, "event.booth_jobs_invalid")
    assert foreign.json()["details"]["job_ids"] == [str(foreign_job.id)]
    unpublished = await _ask(client, app, owner, event.id, employer, [draft.id])
    assert unpublished.json()["code"] == "event.booth_jobs_invalid"
    assert (await _ask(client, app, owner, no_booths.id, employer, [own_job.id])).json()[
        "code"
    ] == "event.booths_not_offered"
    clock.set(FAIR_START)
    assert (await _ask(client, app, owner, event.id, employer, [own_job.id])).json()[
        "code"
    ] == "event.booth_registration_closed"
    employer.status = "pending"
    await session.flush()
    assert (await _ask(client, app, owner, event.id, employer, [own_job.id])).json()[
        "code"
    ] == "event.employer_not_verified"


async def test_booth_limit_and_rejection_frees_a_booth(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    event = await make_event(session, booth_limit=1)
    staff = await make_staff(session, roles=("station",))
    owners = [await make_user(session, app) for _ in range(2)]
    employers = [await make_employer(session, o) for o in owners]
    jobs = [await make_job(session, e) for e in employers]

    first = await _ask(client, app, owners[0], event.id, employers[0], [jobs[0].id])
    assert first.status_code == 201
    full = await _ask(client, app, owners[1], event.id, employers[1], [jobs[1].id])
    assert (full.status_code, full.json()["code"]) == (409, "event.booths_full")
    rejected = await client.post(
        f"/api/v1/admin/event-booths/{first.json()['id']}/decision",
        json={"decision": "reject", "reason": "行业不符"},
        headers=auth(app, staff),
    )
    assert rejected.json()["status"] == "rejected"
    assert (
        await _ask(client, app, owners[1], event.id, employers[1], [jobs[1].id])
    ).status_code == 201
    again = await client.post(
        f"/api/v1/admin/event-booths/{first.json()['id']}/decision",
        json={"decision": "confirm"},
        headers=auth(app, staff),
    )
    assert again.json()["code"] == "event.booth_decision_not_allowed"
