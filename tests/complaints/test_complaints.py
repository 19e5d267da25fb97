"""Complaints: filed about a job, an employer or a gig booking; the staff queue; audit; replies."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.identity.models import User
from tests.employers.factories import make_employer, post_job
from tests.gigs.helpers import make_poster, make_worker, post_gig
from tests.support.factories import auth, make_staff, make_user


def _body(subject_kind: str, subject_id: Any, **overrides: Any) -> dict[str, Any]:
    body = {
        "kind": "fake_recruitment",
        "subject_kind": subject_kind,
        "subject_id": str(subject_id),
        "description": "面试时要求先交 300 元培训费，与招聘信息不符。",
    }
    body.update(overrides)
    return body


async def _file(
    client: httpx.AsyncClient, app: FastAPI, who: User, body: dict[str, Any]
) -> httpx.Response:
    return await client.post("/api/v1/complaints", json=body, headers=auth(app, who))


async def test_file_about_a_job_and_an_employer(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    owner = await make_user(session, app, nickname="招聘方")
    employer = await make_employer(session, owner, name="示例投诉测试有限公司")
    job = await post_job(client, app, owner, employer.id)
    person = await make_user(session, app, phone="13600000001")
    about_job = await _file(client, app, person, _body("job", job["id"]))
    assert about_job.status_code == 201, about_job.text
    assert about_job.json()["status"] == "received"
    assert about_job.json()["subject_title"] == job["title"]
    about_employer = await _file(
        client, app, person, _body("employer", employer.id, kind="discrimination")
    )
    assert about_employer.json()["subject_title"] == "示例投诉测试有限公司"
    assert about_employer.json()["amount_fen"] is None

    duplicate = await _file(client, app, person, _body("job", job["id"]))
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "complaint.duplicate"
    missing = await _file(client, app, person, _body("job", uuid.uuid4()))
    assert missing.status_code == 404
    bad = await _file(client, app, person, _body("job", job["id"], kind="gossip"))
    assert bad.status_code == 422

    mine = (await client.get("/api/v1/me/complaints", headers=auth(app, person))).json()
    assert len(mine["items"]) == 2
    other = await make_user(session, app)
    path = f"/api/v1/complaints/{about_job.json()['id']}"
    assert (await client.get(path, headers=auth(app, other))).status_code == 404
    assert (await client.get("/api/v1/me/complaints", headers=auth(app, other))).json()[
        "items"
    ] == []


async def test_only_parties_complain_about_a_gig_booking(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    poster = await make_poster(session, app)
    worker = await make_worker(session, app)
    gig = await post_gig(client, app, poster)
    application = await client.post(
        f"/api/v1/gigs/{gig['id']}/applications", json={}, headers=auth(app, worker)
    )
    booking = (
        await client.post(
            f"/api/v1/gig-applications/{application.json()['id']}/accept",
            headers=auth(app, poster),
        )
    ).json()
    body = _body(
        "gig_booking",
        booking["id"],
        kind="unsafe_work",
        description="高处作业没有提供安全带和防护措施。",
    )
    stranger = await make_user(session, app)
    assert (await _file(client, app, stranger, body)).status_code == 404
    filed = await _file(client, app, worker, body)
    assert filed.status_code == 201 and filed.json()["subject_title"] == gig["title"]


async def test_staff_queue_transitions_replies_and_audit(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    owner = await make_user(session, app)
    employer = await make_employer(session, owner)
    person = await make_user(session, app, phone="13600000002", nickname="投诉人")
    body = _body("employer", employer.id, kind="wage_arrears", amount_fen=300000)
    complaint = (await _file(client, app, person, body)).json()
    assert complaint["amount_fen"] == 300000
    cid = complaint["id"]

    # Not staff, or staff without the role: refused.
    assert (
        await client.get("/api/v1/admin/complaints", headers=auth(app, person))
    ).status_code == 403
    station = await make_staff(session, roles=("station",))
    assert (
        await client.get("/api/v1/admin/complaints", headers=auth(app, station))
    ).status_code == 403

    reviewer = await make_staff(session, roles=("reviewer",))
    headers = auth(app, reviewer)
    queue = (
        await client.get("/api/v1/admin/complaints", params={"status": "received"}, headers=headers)
    ).json()
    assert [c["id"] for c in queue["items"]] == [cid]
    detail = (await client.get(f"/api/v1/admin/complaints/{cid}", headers=headers)).json()
    assert detail["complainant_phone"] == "13600000002" and detail["complainant_name"] == "投诉人"

    path = f"/api/v1/admin/complaints/{cid}/transition"
    skip = await client.post(path, json={"status": "resolved", "reply": "已处理"}, headers=headers)
    assert skip.status_code == 409 and skip.json()["code"] == "complaint.transition_invalid"
    assert (
        await client.post(path, json={"status": "handling"}, headers=headers)
    ).status_code == 200
    no_reply = await client.post(path, json={"status": "resolved"}, headers=headers)
    assert no_reply.status_code == 422 and no_reply.json()["code"] == "complaint.reply_required"
    resolved = await client.post(
        path,
        json={"status": "resolved", "reply": "已督促单位补发工资 3000 元", "note": "电话核实"},
        headers=headers,
    )
    assert resolved.status_code == 200 and resolved.json()["closed_at"]
    reopen = await client.post(path, json={"status": "handling"}, headers=headers)
    assert reopen.status_code == 409

    seen = (await client.get(f"/api/v1/complaints/{cid}", headers=auth(app, person))).json()
    assert seen["status"] == "resolved" and seen["reply"] == "已督促单位补发工资 3000 元"
    actions = (
        (
            await session.execute(
                text(
                    "SELECT action FROM audit_record WHERE subject_id = :id AND actor_id = :staff "
                    "ORDER BY created_at"
                ),
                {"id": cid, "staff": reviewer.id},
            )
        )
        .scalars()
        .all()
    )
    assert actions == ["complaint.view", "complaint.transition", "complaint.transition"]
    # A new complaint on the same subject is possible once the first is closed.
    assert (await _file(client, app, person, body)).status_code == 201


async def test_many_complaints_in_a_row_keep_working(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    """The partial-index upsert run many times on one connection stays correct once
    PostgreSQL plans the prepared statement generically."""
    owner = await make_user(session, app, nickname="招聘方")
    employer = await make_employer(session, owner, name="示例连续投诉测试有限公司")
    job = await post_job(client, app, owner, employer.id)
    for i in range(8):
        person = await make_user(session, app, phone=f"1360000010{i}")
        response = await _file(client, app, person, _body("job", job["id"]))
        assert response.status_code == 201, response.text
