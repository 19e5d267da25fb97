"""Subsidy steps, training enrolment and completion, employer verification: who hears what."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import get_clock
from app.training.models import TrainingCourse
from tests.employers.factories import add_recruiter, make_employer
from tests.notifications.inbox import Told, keywords_of, told
from tests.subsidies.helpers import act, acted, graduate_body, person, reviewer, submitted
from tests.support.clock import FakeClock, installed_clock, local
from tests.support.factories import auth, make_staff, make_user

SUBSIDY_NOW = datetime(2025, 9, 1, 4, 0, tzinfo=UTC)


@pytest.fixture
def subsidy_clock(app: FastAPI) -> Iterator[None]:
    app.dependency_overrides[get_clock] = lambda: lambda: SUBSIDY_NOW
    yield
    app.dependency_overrides.pop(get_clock, None)


@pytest.fixture
def clock(app: FastAPI) -> Iterator[FakeClock]:
    with installed_clock(app, local(2026, 11, 28, 10, 0)) as fake:
        yield fake


async def test_every_subsidy_step_but_the_start_of_review_tells_the_applicant(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession, subsidy_clock: None
) -> None:
    user = await person(session, app)
    staff = await reviewer(session)
    created = await submitted(client, app, user, graduate_body())
    app_id = created["id"]
    await acted(client, app, staff, app_id, "start_review")
    await acted(client, app, staff, app_id, "return", note="请补充社保缴费明细")
    wrong = await act(client, app, staff, app_id, "approve")
    assert wrong.status_code == 409
    resubmitted = await client.post(
        f"/api/v1/subsidy-applications/{app_id}/resubmit",
        json={"note": "已补充"},
        headers=auth(app, user),
    )
    assert resubmitted.status_code == 200, resubmitted.text
    await acted(client, app, staff, app_id, "start_review")
    approved = await acted(client, app, staff, app_id, "approve")
    amount = approved["approved_amount_text"]
    await acted(
        client, app, staff, app_id, "mark_paid", paid_on="2025-09-10", payment_reference="ZF-1"
    )
    rows = await told(session, "subsidy_status")
    assert {r.user_id for r in rows} == {user.id}
    assert {r.page for r in rows} == {f"pages/subsidies/detail?id={app_id}"}
    title = created["policy_title"]
    assert sorted(r.body for r in rows) == sorted(
        [
            f"您申请的「{title}」已提交，请耐心等待审核。",
            f"您申请的「{title}」需要补充材料：请补充社保缴费明细。请在小程序中补正后重新提交。",
            f"您申请的「{title}」已提交，请耐心等待审核。",
            f"您申请的「{title}」已审核通过，核定金额{amount}，将按规定拨付。",
            f"您申请的「{title}」补贴{amount}已拨付，请留意到账。",
        ]
    )
    assert amount.endswith("元") and "," in amount
    statuses = sorted(k["status"] for k in await keywords_of(session, "subsidy_status"))
    assert statuses == sorted(["已提交", "待补正", "已提交", "已通过", "已拨付"])


async def test_a_rejection_tells_the_reason(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession, subsidy_clock: None
) -> None:
    user = await person(session, app)
    staff = await reviewer(session)
    app_id = (await submitted(client, app, user, graduate_body()))["id"]
    await acted(client, app, staff, app_id, "start_review")
    await acted(client, app, staff, app_id, "reject", note="劳动合同期限不足一年")
    rows = [r for r in await told(session, "subsidy_status") if "未通过" in r.body]
    assert [r.body.split("」", 1)[1] for r in rows] == ["未通过审核，原因：劳动合同期限不足一年。"]


COURSE = {
    "title": "电工（初级）就业技能培训班",
    "provider": "示例职业培训学校",
    "occupation_code": "electrician",
    "hours": 80,
    "seats": 2,
    "starts_on": date(2026, 12, 7),
    "ends_on": date(2026, 12, 18),
    "address": "东胜区示例路 8 号",
}


async def test_training_enrolment_and_completion(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession, clock: FakeClock
) -> None:
    course = TrainingCourse(**COURSE)
    session.add(course)
    await session.flush()
    passes, fails = await make_user(session, app), await make_user(session, app)
    enrolments = {}
    for user in (passes, fails):
        response = await client.post(
            f"/api/v1/training-courses/{course.id}/enrolments", headers=auth(app, user)
        )
        assert response.status_code == 201, response.text
        enrolments[user.id] = response.json()["id"]
    again = await client.post(
        f"/api/v1/training-courses/{course.id}/enrolments", headers=auth(app, passes)
    )
    assert again.status_code == 409
    enrolled = {r.user_id: r for r in await told(session, "training_enrolled")}
    assert enrolled[passes.id] == Told(
        passes.id,
        "training_enrolled",
        "培训报名成功",
        "您已报名「电工（初级）就业技能培训班」，12月7日开课，地点东胜区示例路 8 号，请按时参加。",
        f"pages/training/enrolment?id={enrolments[passes.id]}",
    )
    assert set(enrolled) == {passes.id, fails.id}
    staff = auth(app, await make_staff(session, roles=("station",)))
    url = "/api/v1/admin/training-enrolments/{}/completion"
    ok = await client.post(
        url.format(enrolments[passes.id]),
        json={"passed": True, "certificate_no": "DG-2026-001"},
        headers=staff,
    )
    assert ok.status_code == 200, ok.text
    await client.post(url.format(enrolments[fails.id]), json={"passed": False}, headers=staff)
    twice = await client.post(
        url.format(enrolments[fails.id]), json={"passed": True}, headers=staff
    )
    assert twice.status_code == 409
    completed = {r.user_id: r.body for r in await told(session, "training_completed")}
    assert completed == {
        passes.id: "您已完成「电工（初级）就业技能培训班」培训并结业。证书编号DG-2026-001。",
        fails.id: "您参加的「电工（初级）就业技能培训班」培训未达到结业要求，如有疑问请联系培训机构。",
    }


async def test_verification_results_tell_every_member(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    owner, recruiter = await make_user(session, app), await make_user(session, app)
    employer = await make_employer(session, owner, status="pending")
    await add_recruiter(session, employer, recruiter)
    staff = auth(app, await make_staff(session, roles=("reviewer",)))
    url = f"/api/v1/admin/employers/{employer.id}/verification"
    missing = await client.post(url, json={"decision": "reject"}, headers=staff)
    assert missing.status_code == 422
    assert await told(session) == []
    rejected = await client.post(
        url, json={"decision": "reject", "reason": "营业执照照片不清晰"}, headers=staff
    )
    assert rejected.status_code == 200, rejected.text
    approved = await client.post(url, json={"decision": "approve"}, headers=staff)
    assert approved.status_code == 200, approved.text
    rows = await told(session, "employer_verified")
    assert sorted((str(r.user_id), r.body) for r in rows) == sorted(
        (str(who), body)
        for who in (owner.id, recruiter.id)
        for body in (
            f"「{employer.name}」未通过单位认证，原因：营业执照照片不清晰。请补充材料后重新提交。",
            f"「{employer.name}」已通过单位认证，现在可以发布岗位。",
        )
    )
    assert {r.page for r in rows} == {f"pages/employer/detail?id={employer.id}"}
