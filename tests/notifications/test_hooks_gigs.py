"""Gigs: accepted / declined, booking cancelled, the reminder 2 h before, pay reported and
confirmed, and the reply to a wage complaint."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.notices import moment_text
from app.core.queue import TaskRuntime
from app.identity.models import User
from tests.gigs.helpers import make_poster, make_worker, post_gig, shift_gig
from tests.notifications.inbox import Told, keywords_of, told
from tests.support.clock import FakeClock
from tests.support.factories import auth, make_staff
from tests.support.queue import run_jobs

REMIND = "gigs:remind_booking"


async def _post(
    client: httpx.AsyncClient, app: FastAPI, who: Any, path: str, body: Any = None
) -> httpx.Response:
    return await client.post(f"/api/v1{path}", json=body or {}, headers=auth(app, who))


async def _apply(client: httpx.AsyncClient, app: FastAPI, worker: User, gig_id: str) -> str:
    response = await _post(client, app, worker, f"/gigs/{gig_id}/applications", {"message": "能来"})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _starts_at(session: AsyncSession, gig_id: str) -> datetime:
    value: datetime = (
        await session.execute(
            text("SELECT starts_at FROM gig WHERE id = :id"), {"id": uuid.UUID(gig_id)}
        )
    ).scalar_one()
    return value


async def test_accepted_and_declined_tell_the_asking_side(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    poster = await make_poster(session, app)
    gig = await post_gig(client, app, poster, title="仓库装卸")
    yes, no = await make_worker(session, app, "周一"), await make_worker(session, app, "周二")
    a_yes, a_no = (
        await _apply(client, app, yes, gig["id"]),
        await _apply(client, app, no, gig["id"]),
    )
    # the worker may not decide their own application: nothing is told
    assert (await _post(client, app, yes, f"/gig-applications/{a_yes}/accept")).status_code == 403
    assert await told(session, "gig_application_decided") == []
    booking = (await _post(client, app, poster, f"/gig-applications/{a_yes}/accept")).json()
    assert (await _post(client, app, poster, f"/gig-applications/{a_no}/decline")).is_success
    when = moment_text(await _starts_at(session, gig["id"]))
    rows = {r.user_id: r for r in await told(session, "gig_application_decided")}
    assert rows == {
        yes.id: Told(
            yes.id,
            "gig_application_decided",
            "零工报名结果",
            f"您报名的零工「仓库装卸」已被录用，{when}开工，地点东胜区示例物流园 3 号库，请准时到岗。",
            f"pages/gigs/bookings/detail?id={booking['id']}",
        ),
        no.id: Told(
            no.id,
            "gig_application_decided",
            "零工报名结果",
            "很遗憾，您报名的零工「仓库装卸」未被录用。",
            f"pages/gigs/applications/detail?id={a_no}",
        ),
    }
    # a retried accept answers the same booking and tells nothing new
    assert (await _post(client, app, poster, f"/gig-applications/{a_yes}/accept")).is_success
    assert len(await told(session, "gig_application_decided")) == 2


async def test_the_reminder_goes_two_hours_before_unless_cancelled(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession, task_runtime: TaskRuntime
) -> None:
    poster = await make_poster(session, app)
    gig = await post_gig(client, app, poster, title="仓库装卸")
    stays, leaves = await make_worker(session, app, "周一"), await make_worker(session, app, "周二")
    bookings = {}
    for worker in (stays, leaves):
        application = await _apply(client, app, worker, gig["id"])
        accepted = await _post(client, app, poster, f"/gig-applications/{application}/accept")
        bookings[worker.id] = accepted.json()["id"]
    starts_at = await _starts_at(session, gig["id"])
    scheduled = await session.execute(
        text("SELECT scheduled_at FROM procrastinate_jobs WHERE task_name = :t"), {"t": REMIND}
    )
    assert [row[0] for row in scheduled] == [starts_at - timedelta(hours=2)] * 2
    cancelled = await _post(
        client, app, leaves, f"/gig-bookings/{bookings[leaves.id]}/cancel", {"reason": "家里有事"}
    )
    assert cancelled.status_code == 200
    assert await told(session, "gig_booking_cancelled") == [
        Told(
            poster.id,
            "gig_booking_cancelled",
            "零工预约取消",
            f"周二取消了{moment_text(starts_at)}的零工「仓库装卸」，原因：家里有事。",
            f"pages/gigs/bookings/detail?id={bookings[leaves.id]}",
        )
    ]
    due = starts_at - timedelta(hours=2)
    runtime = dataclasses.replace(task_runtime, clock=FakeClock(due))
    assert await run_jobs(session, runtime, until=due - timedelta(minutes=1), tasks=[REMIND]) == []
    ran = await run_jobs(session, runtime, until=due, tasks=[REMIND])
    assert sorted(r.result for r in ran) == [False, True]
    assert await told(session, "gig_reminder") == [
        Told(
            stays.id,
            "gig_reminder",
            "零工开工提醒",
            f"您的零工「仓库装卸」将于{moment_text(starts_at)}开工，地点东胜区示例物流园 3 号库，"
            "请准时到岗并签到。",
            f"pages/gigs/bookings/detail?id={bookings[stays.id]}",
        )
    ]


async def test_the_poster_calling_off_the_gig_tells_every_booked_worker(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    poster = await make_poster(session, app)
    gig = await post_gig(client, app, poster, title="仓库装卸")
    workers = [await make_worker(session, app, name) for name in ("周一", "周二")]
    for worker in workers:
        application = await _apply(client, app, worker, gig["id"])
        await _post(client, app, poster, f"/gig-applications/{application}/accept")
    response = await _post(client, app, poster, f"/gigs/{gig['id']}/cancel", {"reason": "货没到"})
    assert response.status_code == 200, response.text
    rows = await told(session, "gig_booking_cancelled")
    assert sorted(r.user_id for r in rows) == sorted(w.id for w in workers)
    when = moment_text(await _starts_at(session, gig["id"]))
    assert {r.body for r in rows} == {f"发布者取消了{when}的零工「仓库装卸」，原因：货没到。"}


async def test_pay_reported_then_confirmed_and_a_complaint_reply(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    poster = await make_poster(session, app)
    gig = await post_gig(client, app, poster, title="仓库装卸")
    worker = await make_worker(session, app, "周一")
    application = await _apply(client, app, worker, gig["id"])
    bid = (await _post(client, app, poster, f"/gig-applications/{application}/accept")).json()["id"]
    early = await _post(client, app, poster, f"/gig-bookings/{bid}/payment", {"amount_fen": 25000})
    assert early.status_code == 409
    assert await told(session, "gig_pay") == []
    await shift_gig(session, gig["id"], timedelta(hours=-1))
    assert (await _post(client, app, worker, f"/gig-bookings/{bid}/complete")).status_code == 200
    await _post(client, app, poster, f"/gig-bookings/{bid}/payment", {"amount_fen": 300000})
    await _post(client, app, worker, f"/gig-bookings/{bid}/payment/confirm")
    page = f"pages/gigs/bookings/detail?id={bid}"
    assert {r.user_id: r for r in await told(session, "gig_pay")} == {
        worker.id: Told(
            worker.id,
            "gig_pay",
            "零工报酬已支付",
            "发布者已确认支付零工「仓库装卸」的报酬3,000元，收到后请确认收款。",
            page,
        ),
        poster.id: Told(
            poster.id,
            "gig_pay",
            "零工已确认收款",
            "周一已确认收到零工「仓库装卸」的报酬3,000元。",
            page,
        ),
    }
    assert {k["amount"] for k in await keywords_of(session, "gig_pay")} == {"3,000元"}

    filed = await _post(
        client,
        app,
        worker,
        "/complaints",
        {
            "kind": "unsafe_work",
            "subject_kind": "gig_booking",
            "subject_id": bid,
            "description": "现场没有任何安全防护措施。",
        },
    )
    assert filed.status_code == 201, filed.text
    staff = await make_staff(session, roles=("reviewer",))
    path = f"/admin/complaints/{filed.json()['id']}/transition"
    assert (await _post(client, app, staff, path, {"status": "resolved"})).status_code == 409
    assert (await _post(client, app, staff, path, {"status": "handling"})).is_success
    assert await told(session, "complaint_reply") == []
    done = await _post(client, app, staff, path, {"status": "resolved", "reply": "已责令整改"})
    assert done.status_code == 200, done.text
    assert await told(session, "complaint_reply") == [
        Told(
            worker.id,
            "complaint_reply",
            "投诉回复",
            "您的投诉已办结，工作人员回复：已责令整改",
            f"pages/complaints/detail?id={filed.json()['id']}",
        )
    ]
