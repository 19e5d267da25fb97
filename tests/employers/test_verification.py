"""Staff verification: the queue, approve / reject with a reason, the audit trail, the gate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditRecord
from tests.employers.factories import job_payload, make_employer
from tests.support.factories import auth, make_staff, make_user


def _decision_url(employer_id: object) -> str:
    return f"/api/v1/admin/employers/{employer_id}/verification"


async def test_queue_lists_pending_employers_oldest_first_for_reviewers(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    owner = await make_user(session, app)
    second = await make_employer(session, owner, status="pending")
    first = await make_employer(session, owner, status="pending")
    await make_employer(session, owner, status="verified")
    # One transaction shares one now(): date the registrations apart explicitly.
    first.created_at = datetime.now(UTC) - timedelta(hours=2)
    second.created_at = datetime.now(UTC) - timedelta(hours=1)
    await session.flush()
    reviewer = await make_staff(session, roles=("reviewer",))
    station = await make_staff(session, roles=("station",))

    page = await client.get("/api/v1/admin/employers", headers=auth(app, reviewer))
    assert page.status_code == 200
    ids = [item["id"] for item in page.json()["items"]]
    assert ids == [str(first.id), str(second.id)]
    assert page.json()["items"][0]["credit_code"] == first.credit_code
    forbidden = await client.get("/api/v1/admin/employers", headers=auth(app, station))
    assert forbidden.status_code == 403
    as_user = await client.get("/api/v1/admin/employers", headers=auth(app, owner))
    assert as_user.status_code == 403


async def test_approval_verifies_and_is_audited(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    owner = await make_user(session, app)
    employer = await make_employer(session, owner, status="pending")
    reviewer = await make_staff(session, roles=("reviewer",))

    response = await client.post(
        _decision_url(employer.id), json={"decision": "approve"}, headers=auth(app, reviewer)
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "verified"
    assert response.json()["reviewed_by"] == str(reviewer.id)
    public = await client.get(f"/api/v1/employers/{employer.id}")
    assert public.json()["is_verified"] is True
    audit = (
        await session.execute(select(AuditRecord).where(AuditRecord.subject_id == str(employer.id)))
    ).scalar_one()
    assert (audit.actor_id, audit.action) == (reviewer.id, "employer.approve")
    again = await client.post(
        _decision_url(employer.id), json={"decision": "approve"}, headers=auth(app, reviewer)
    )
    assert again.status_code == 409


async def test_rejection_needs_a_reason_the_owner_can_read(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    owner = await make_user(session, app)
    employer = await make_employer(session, owner, status="pending")
    reviewer = await make_staff(session, roles=("reviewer",))

    bare = await client.post(
        _decision_url(employer.id), json={"decision": "reject"}, headers=auth(app, reviewer)
    )
    assert bare.status_code == 422
    assert bare.json()["code"] == "employer.reason_required"
    rejected = await client.post(
        _decision_url(employer.id),
        json={"decision": "reject", "reason": "营业执照照片不清晰"},
        headers=auth(app, reviewer),
    )
    assert rejected.json()["status"] == "rejected"
    mine = await client.get(f"/api/v1/employers/{employer.id}", headers=auth(app, owner))
    assert mine.json()["private"]["review_reason"] == "营业执照照片不清晰"
    # Corrected papers: a rejected employer may still be approved.
    approved = await client.post(
        _decision_url(employer.id), json={"decision": "approve"}, headers=auth(app, reviewer)
    )
    assert approved.json()["status"] == "verified"


async def test_only_verified_employers_publish(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    owner = await make_user(session, app)
    reviewer = await make_staff(session, roles=("reviewer",))
    employer = await make_employer(session, owner, status="pending")

    refused = await client.post(
        "/api/v1/jobs", json=job_payload(employer.id), headers=auth(app, owner)
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "employer.not_verified"

    await client.post(
        _decision_url(employer.id), json={"decision": "approve"}, headers=auth(app, reviewer)
    )
    accepted = await client.post(
        "/api/v1/jobs", json=job_payload(employer.id), headers=auth(app, owner)
    )
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["status"] == "published"
