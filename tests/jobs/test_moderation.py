"""Moderation before publishing: refused text, fraud signs and WeChat verdicts; staff decisions."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditRecord
from app.integrations.wechat.client import MSG_SEC_CHECK
from app.integrations.wechat.fake import FakeWeChatState
from app.jobs.models import Job
from tests.employers.factories import job_payload, job_put_body, post_job
from tests.jobs.conftest import Employers
from tests.support.factories import auth, make_staff

DESCRIPTION = "负责东胜区交通街道片区的快递派送与揽收。"


async def _post(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, **overrides: object
) -> httpx.Response:
    return await client.post(
        "/api/v1/jobs",
        json=job_payload(employers.employer_a.id, **overrides),
        headers=auth(app, employers.owner_a),
    )


async def _search_ids(client: httpx.AsyncClient) -> set[str]:
    return {item["id"] for item in (await client.get("/api/v1/jobs")).json()["items"]}


async def test_discriminatory_requirements_are_refused_with_findings(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, session: AsyncSession
) -> None:
    response = await _post(client, app, employers, description=DESCRIPTION + "限男性，乙肝勿扰。")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "job.content_refused"
    rules = {finding["rule"] for finding in body["details"]["findings"]}
    assert "discrimination.sex" in rules
    assert all(f["severity"] == "refuse" for f in body["details"]["findings"])
    assert await session.scalar(select(func.count()).select_from(Job)) == 0


async def test_fraud_signs_hold_the_job_for_staff_and_the_poster_sees_why(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers
) -> None:
    response = await _post(client, app, employers, description=DESCRIPTION + "入职需交押金500元。")
    assert response.status_code == 201, response.text
    job = response.json()
    assert job["status"] == "pending_review"
    assert job["published_at"] is None
    findings = job["moderation"]["findings"]
    assert [f["rule"] for f in findings] == ["fraud.deposit"]
    assert "押金" in findings[0]["message"]
    assert (await client.get(f"/api/v1/jobs/{job['id']}")).status_code == 404
    assert job["id"] not in await _search_ids(client)


async def test_unrealistic_pay_goes_to_review(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers
) -> None:
    response = await _post(
        client, app, employers, salary_min_fen=5_000_000, salary_max_fen=8_000_000
    )
    assert response.json()["status"] == "pending_review"
    assert response.json()["moderation"]["findings"][0]["rule"] == "fraud.pay_above_range"


async def test_wechat_risky_is_refused(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, session: AsyncSession
) -> None:
    response = await _post(client, app, employers, description=DESCRIPTION + "另有赌博场所推荐。")
    assert response.status_code == 422
    assert response.json()["code"] == "job.content_risky"
    assert await session.scalar(select(func.count()).select_from(Job)) == 0


async def test_wechat_review_holds_the_job(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers
) -> None:
    response = await _post(client, app, employers, description=DESCRIPTION + "详情请加微信咨询。")
    job = response.json()
    assert job["status"] == "pending_review"
    assert job["moderation"]["wechat_suggest"] == "review"
    assert [f["rule"] for f in job["moderation"]["findings"]] == ["wechat.review"]


async def test_wechat_down_holds_the_job_instead_of_publishing_blind(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, fake_wechat: FakeWeChatState
) -> None:
    fake_wechat.inject(MSG_SEC_CHECK, http_status=500, times=10)
    response = await _post(client, app, employers)
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "pending_review"
    assert response.json()["moderation"]["findings"][0]["rule"] == "wechat.unchecked"


async def test_staff_approve_from_the_queue_and_it_is_audited(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, session: AsyncSession
) -> None:
    held = (await _post(client, app, employers, description=DESCRIPTION + "需交押金。")).json()
    reviewer = await make_staff(session, roles=("reviewer",))

    queue = await client.get("/api/v1/admin/jobs/review-queue", headers=auth(app, reviewer))
    assert [item["id"] for item in queue.json()["items"]] == [held["id"]]
    assert queue.json()["items"][0]["employer_name"] == employers.employer_a.name
    assert queue.json()["items"][0]["moderation"]["findings"][0]["rule"] == "fraud.deposit"

    decided = await client.post(
        f"/api/v1/admin/jobs/{held['id']}/moderation",
        json={"decision": "approve", "reason": "已电话核实，押金为工服费用，已要求取消"},
        headers=auth(app, reviewer),
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "published"
    assert held["id"] in await _search_ids(client)
    audit = (
        await session.execute(select(AuditRecord).where(AuditRecord.subject_id == held["id"]))
    ).scalar_one()
    assert (audit.action, audit.actor_id) == ("job.moderation_approve", reviewer.id)
    again = await client.post(
        f"/api/v1/admin/jobs/{held['id']}/moderation",
        json={"decision": "approve"},
        headers=auth(app, reviewer),
    )
    assert again.status_code == 409


async def test_staff_reject_with_a_reason_the_poster_reads(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, session: AsyncSession
) -> None:
    held = (await _post(client, app, employers, description=DESCRIPTION + "需交押金。")).json()
    reviewer = await make_staff(session, roles=("reviewer",))
    url = f"/api/v1/admin/jobs/{held['id']}/moderation"

    bare = await client.post(url, json={"decision": "reject"}, headers=auth(app, reviewer))
    assert bare.json()["code"] == "job.reason_required"
    await client.post(
        url, json={"decision": "reject", "reason": "收取押金违法"}, headers=auth(app, reviewer)
    )
    mine = await client.get(f"/api/v1/jobs/{held['id']}", headers=auth(app, employers.owner_a))
    assert mine.json()["status"] == "rejected"
    assert mine.json()["moderation"]["staff_reason"] == "收取押金违法"
    # The poster fixes the text: moderated again, published.
    fixed = await client.put(
        f"/api/v1/jobs/{held['id']}",
        json=job_put_body(held, description=DESCRIPTION + "不收取任何费用。"),
        headers=auth(app, employers.owner_a),
    )
    assert fixed.json()["status"] == "published", fixed.text


async def test_editing_the_text_moderates_again(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, fake_wechat: FakeWeChatState
) -> None:
    job = await post_job(client, app, employers.owner_a, employers.employer_a.id)
    url, headers = f"/api/v1/jobs/{job['id']}", auth(app, employers.owner_a)
    checks = fake_wechat.calls[MSG_SEC_CHECK]

    unchanged_text = await client.put(url, json=job_put_body(job, headcount=9), headers=headers)
    assert unchanged_text.json()["status"] == "published"
    assert fake_wechat.calls[MSG_SEC_CHECK] == checks  # WeChat is not asked again

    fraud = await client.put(
        url, json=job_put_body(job, description=DESCRIPTION + "先交培训费。"), headers=headers
    )
    assert fraud.json()["status"] == "pending_review"
    assert fake_wechat.calls[MSG_SEC_CHECK] == checks + 1
    assert job["id"] not in await _search_ids(client)

    refused = await client.put(
        url, json=job_put_body(job, title="快递员（限男性）"), headers=headers
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "job.content_refused"


async def test_the_queue_is_for_reviewers(
    client: httpx.AsyncClient, app: FastAPI, employers: Employers, session: AsyncSession
) -> None:
    station = await make_staff(session, roles=("station",))
    response = await client.get("/api/v1/admin/jobs/review-queue", headers=auth(app, station))
    assert response.status_code == 403
    as_user = await client.get(
        "/api/v1/admin/jobs/review-queue", headers=auth(app, employers.owner_a)
    )
    assert as_user.status_code == 403
