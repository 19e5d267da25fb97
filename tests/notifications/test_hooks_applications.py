"""Applications and postings tell applicants and employer members (inbox rows, same transaction)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.jobs.models import Job
from app.jobs.service import expire_jobs
from tests.applications.helpers import (
    World,
    add_member,
    apply,
    build_world,
    make_job,
    patch_status,
    put_resume,
)
from tests.notifications.inbox import Told, keywords_of, told
from tests.support.clock import local
from tests.support.factories import auth, make_staff, make_user


@pytest.fixture
async def world(session: AsyncSession, app: FastAPI) -> World:
    return await build_world(session, app)


async def _applied(client: httpx.AsyncClient, app: FastAPI, world: World) -> str:
    await put_resume(client, app, world.seeker)
    response = await apply(client, app, world.seeker, world.job_a.id)
    assert response.status_code == 201, response.text
    application_id: str = response.json()["id"]
    return application_id


async def test_a_new_application_tells_every_member_of_the_employer(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession, world: World
) -> None:
    colleague = await make_user(session, app, nickname="同事")
    await add_member(session, world.employer_a, colleague)
    application_id = await _applied(client, app, world)
    page = f"pages/employer/applications/detail?id={application_id}"
    body = "「快递员」收到一份新的投递，请及时查看简历。"
    rows = await told(session)
    assert sorted(rows, key=lambda r: str(r.user_id)) == sorted(
        [
            Told(world.recruiter_a.id, "application_received", "收到新投递", body, page),
            Told(colleague.id, "application_received", "收到新投递", body, page),
        ],
        key=lambda r: str(r.user_id),
    )


async def test_the_first_look_tells_the_applicant_once(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession, world: World
) -> None:
    application_id = await _applied(client, app, world)
    for _ in range(2):
        response = await client.get(
            f"/api/v1/applications/{application_id}", headers=auth(app, world.recruiter_a)
        )
        assert response.status_code == 200
    # the applicant reading their own application tells no one
    await client.get(f"/api/v1/applications/{application_id}", headers=auth(app, world.seeker))
    assert await told(session, "application_viewed") == [
        Told(
            world.seeker.id,
            "application_viewed",
            "简历被查看",
            "您投递的「快递员」简历已被招聘方查看。",
            f"pages/applications/detail?id={application_id}",
        )
    ]
    # moving to "viewed" afterwards is the same news: still one
    assert (await patch_status(client, app, world.recruiter_a, application_id, "viewed")).is_success
    assert len(await told(session, "application_viewed")) == 1


async def test_an_interview_tells_time_and_place(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession, world: World
) -> None:
    application_id = await _applied(client, app, world)
    response = await patch_status(
        client,
        app,
        world.recruiter_a,
        application_id,
        "interview",
        interview_at="2026-12-05T01:30:00Z",
        interview_place="东胜区示例路 1 号",
    )
    assert response.status_code == 200, response.text
    assert await told(session, "application_status") == [
        Told(
            world.seeker.id,
            "application_status",
            "投递进度更新",
            "您投递的「快递员」已进入面试环节，面试时间12月5日 09:30，地点东胜区示例路 1 号。",
            f"pages/applications/detail?id={application_id}",
        )
    ]
    assert await keywords_of(session, "application_status") == [
        {
            "subject": "快递员",
            "status": "面试",
            "time": "2026-12-05 09:30",
            "place": "东胜区示例路 1 号",
        }
    ]


async def test_a_rejection_and_a_refused_change(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession, world: World
) -> None:
    application_id = await _applied(client, app, world)
    refused = await patch_status(
        client, app, world.recruiter_a, application_id, "viewed", interview_place="某处"
    )
    assert refused.status_code == 422
    assert await told(session, "application_status") == []
    assert (
        await patch_status(client, app, world.recruiter_a, application_id, "rejected")
    ).is_success
    backwards = await patch_status(client, app, world.recruiter_a, application_id, "interview")
    assert backwards.status_code == 409
    [row] = await told(session, "application_status")
    assert row.body == "您投递的「快递员」未通过筛选，感谢您的关注。"


async def test_a_stranger_moving_an_application_tells_no_one(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession, world: World
) -> None:
    application_id = await _applied(client, app, world)
    response = await patch_status(client, app, world.recruiter_b, application_id, "interview")
    assert response.status_code == 404
    assert await told(session, "application_status") == []


async def test_closing_a_job_tells_the_applicants_in_process(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession, world: World
) -> None:
    application_id = await _applied(client, app, world)
    await put_resume(client, app, world.other_seeker)
    other = await apply(client, app, world.other_seeker, world.job_a.id)
    await patch_status(client, app, world.recruiter_a, other.json()["id"], "rejected")
    refused = await client.post(
        f"/api/v1/jobs/{world.job_a.id}/close", headers=auth(app, world.recruiter_b)
    )
    assert refused.status_code == 404
    assert await told(session, "job_closed") == []
    for _ in range(2):
        response = await client.post(
            f"/api/v1/jobs/{world.job_a.id}/close", headers=auth(app, world.recruiter_a)
        )
        assert response.status_code == 200, response.text
    assert application_id
    assert await told(session, "job_closed") == [
        Told(
            world.seeker.id,
            "job_closed",
            "岗位已关闭",
            "您投递的「快递员」已停止招聘，可以看看其他合适的岗位。",
            "pages/applications/index",
        )
    ]


async def test_expiry_tells_like_closing(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession, world: World
) -> None:
    await _applied(client, app, world)
    job = await session.get(Job, world.job_a.id)
    assert job is not None
    later = local(2099, 1, 1, 3, 0)
    assert await expire_jobs(session, lambda: later) >= 1
    assert [r.user_id for r in await told(session, "job_closed")] == [world.seeker.id]


async def test_moderation_results_tell_the_members(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession, world: World
) -> None:
    held = [
        await _held_job(session, world, "理货员"),
        await _held_job(session, world, "装卸工"),
    ]
    reviewer = await make_staff(session, roles=("reviewer",))
    missing = await client.post(
        f"/api/v1/admin/jobs/{held[0]}/moderation",
        json={"decision": "reject"},
        headers=auth(app, reviewer),
    )
    assert missing.status_code == 422
    assert await told(session) == []
    for job_id, decision in (
        (held[0], {"decision": "approve"}),
        (held[1], {"decision": "reject", "reason": "薪资描述不清"}),
    ):
        response = await client.post(
            f"/api/v1/admin/jobs/{job_id}/moderation", json=decision, headers=auth(app, reviewer)
        )
        assert response.status_code == 200, response.text
    assert [(r.user_id, r.title, r.body, r.page) for r in await told(session, "job_moderated")] == [
        (
            world.recruiter_a.id,
            "岗位审核结果",
            "您发布的「理货员」已通过审核，现已对求职者展示。",
            f"pages/employer/jobs/detail?id={held[0]}",
        ),
        (
            world.recruiter_a.id,
            "岗位审核结果",
            "您发布的「装卸工」未通过审核，原因：薪资描述不清。修改后可重新提交。",
            f"pages/employer/jobs/detail?id={held[1]}",
        ),
    ]


async def _held_job(session: AsyncSession, world: World, title: str) -> uuid.UUID:
    job = await make_job(session, world.employer_a, status="pending_review", title=title)
    job.moderation = {"outcome": "pending_review", "findings": []}
    await session.flush()
    return job.id
