"""The booking lifecycle: apply, accept, full and open again, cancellations (late ones count),
check-in, completion, pay reported then disputed — which opens a wage complaint staff handle."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.identity.models import User
from tests.gigs.helpers import BASE_LAT, BASE_LNG, make_poster, make_worker, post_gig, shift_gig
from tests.support.factories import auth, make_staff


async def _apply(client: httpx.AsyncClient, app: FastAPI, worker: User, gig_id: str) -> str:
    response = await client.post(
        f"/api/v1/gigs/{gig_id}/applications", json={"message": "我能来"}, headers=auth(app, worker)
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _accept(
    client: httpx.AsyncClient, app: FastAPI, who: User, application_id: str
) -> httpx.Response:
    return await client.post(
        f"/api/v1/gig-applications/{application_id}/accept", headers=auth(app, who)
    )


async def _post(
    client: httpx.AsyncClient,
    app: FastAPI,
    who: User,
    path: str,
    body: dict[str, Any] | None = None,
) -> httpx.Response:
    return await client.post(f"/api/v1{path}", json=body or {}, headers=auth(app, who))


async def _gig(client: httpx.AsyncClient, gig_id: str, who: Any, app: FastAPI) -> dict[str, Any]:
    data: dict[str, Any] = (
        await client.get(f"/api/v1/gigs/{gig_id}", headers=auth(app, who))
    ).json()
    return data


async def _counts(session: AsyncSession, table: str, user: User) -> dict[str, int]:
    key = "user_id"
    row = (
        await session.execute(
            text(
                f"SELECT completed_count, cancelled_count, late_cancelled_count, rating_count, "
                f"rating_sum FROM {table} WHERE {key} = :id"
            ),
            {"id": user.id},
        )
    ).one()
    return dict(row._mapping)


async def test_full_lifecycle_with_cancellations_and_a_wage_complaint(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    poster = await make_poster(session, app)
    gig = await post_gig(client, app, poster, headcount=2, title="小区搬家 2 人")
    gig_id = gig["id"]
    w1, w2, w3 = [await make_worker(session, app, name) for name in ("周一", "周二", "周三")]
    a1, a2, a3 = [await _apply(client, app, w, gig_id) for w in (w1, w2, w3)]

    # A worker cannot accept their own application: the poster decides.
    denied = await _accept(client, app, w1, a1)
    assert denied.status_code == 403 and denied.json()["code"] == "gig.not_your_decision"

    b1 = (await _accept(client, app, poster, a1)).json()
    b2 = (await _accept(client, app, poster, a2)).json()
    assert b1["status"] == "booked" and b1["worker"]["name"] == "周一"
    assert (await _gig(client, gig_id, poster, app))["status"] == "full"
    full = await _accept(client, app, poster, a3)
    assert full.status_code == 409 and full.json()["code"] == "gig.full"
    assert "已满" in full.json()["message"]
    again = await _accept(client, app, poster, a1)  # a retried tap returns the same booking
    assert again.status_code == 200 and again.json()["id"] == b1["id"]

    # The worker cancels days ahead: not late; the place opens again.
    cancelled = await _post(
        client, app, w2, f"/gig-bookings/{b2['id']}/cancel", {"reason": "家里有事"}
    )
    assert cancelled.status_code == 200
    assert cancelled.json()["cancelled_by"] == "worker"
    assert cancelled.json()["late_cancellation"] is False
    assert (await _gig(client, gig_id, poster, app))["status"] == "open"
    assert (await _counts(session, "gig_worker_profile", w2))["cancelled_count"] == 1
    b3 = (await _accept(client, app, poster, a3)).json()
    assert b3["status"] == "booked"

    # Two hours before the start the poster cancels w3: late, counted against the poster.
    await shift_gig(session, gig_id, timedelta(hours=2))
    late = await _post(
        client, app, poster, f"/gig-bookings/{b3['id']}/cancel", {"reason": "人够了"}
    )
    assert late.json()["late_cancellation"] is True and late.json()["cancelled_by"] == "poster"
    poster_counts = await _counts(session, "gig_poster_stats", poster)
    assert poster_counts["cancelled_count"] == 1 and poster_counts["late_cancelled_count"] == 1
    assert (await _counts(session, "gig_worker_profile", w3))["cancelled_count"] == 0

    # Check-in on site an hour before the start, with the phone's location.
    await shift_gig(session, gig_id, timedelta(hours=1))
    checked = await _post(
        client,
        app,
        w1,
        f"/gig-bookings/{b1['id']}/check-in",
        {"latitude": BASE_LAT, "longitude": BASE_LNG},
    )
    assert checked.status_code == 200, checked.text
    assert checked.json()["status"] == "checked_in"
    assert checked.json()["check_in_distance_km"] == 0
    assert (await _gig(client, gig_id, poster, app))["status"] == "in_progress"
    early = await _post(client, app, poster, f"/gig-bookings/{b1['id']}/complete")
    assert early.status_code == 409 and early.json()["code"] == "gig.not_started"

    await shift_gig(session, gig_id, timedelta(hours=-6))
    done = await _post(client, app, poster, f"/gig-bookings/{b1['id']}/complete")
    assert done.status_code == 200 and done.json()["status"] == "completed"
    assert (await _gig(client, gig_id, poster, app))["status"] == "completed"
    assert (await _counts(session, "gig_worker_profile", w1))["completed_count"] == 1

    # Pay: the worker cannot confirm what was never reported; the poster reports; w1 disputes.
    early_confirm = await _post(client, app, w1, f"/gig-bookings/{b1['id']}/payment/confirm")
    assert early_confirm.status_code == 409
    paid = await _post(
        client, app, poster, f"/gig-bookings/{b1['id']}/payment", {"amount_fen": 15000}
    )
    assert paid.json()["payment_status"] == "reported" and paid.json()["paid_amount_fen"] == 15000
    disputed = await _post(
        client,
        app,
        w1,
        f"/gig-bookings/{b1['id']}/payment/dispute",
        {"reason": "说好 250 元，只给了 150 元", "owed_amount_fen": 10000},
    )
    assert disputed.status_code == 200, disputed.text
    booking = disputed.json()
    assert booking["payment_status"] == "disputed" and booking["complaint_id"]

    mine = (await client.get("/api/v1/me/complaints", headers=auth(app, w1))).json()["items"]
    assert len(mine) == 1
    complaint = mine[0]
    assert complaint["id"] == booking["complaint_id"]
    assert complaint["kind"] == "wage_arrears" and complaint["source"] == "gig_dispute"
    assert (
        complaint["subject_kind"] == "gig_booking" and complaint["subject_title"] == "小区搬家 2 人"
    )
    assert complaint["amount_fen"] == 10000 and complaint["status"] == "received"

    # Staff take it and transfer it to labour inspection; the worker reads the reply.
    staff = await make_staff(session, roles=("reviewer",))
    queue = (await client.get("/api/v1/admin/complaints", headers=auth(app, staff))).json()
    assert complaint["id"] in [c["id"] for c in queue["items"]]
    path = f"/admin/complaints/{complaint['id']}/transition"
    handling = await _post(client, app, staff, path, {"status": "handling"})
    assert handling.status_code == 200, handling.text
    transferred = await _post(
        client, app, staff, path, {"status": "transferred", "reply": "已移交劳动保障监察大队处理"}
    )
    assert transferred.json()["status"] == "transferred"
    seen = (await client.get(f"/api/v1/complaints/{complaint['id']}", headers=auth(app, w1))).json()
    assert seen["status"] == "transferred" and seen["reply"] == "已移交劳动保障监察大队处理"


async def test_receipt_confirmed_ends_the_pay_story(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    poster = await make_poster(session, app)
    gig = await post_gig(client, app, poster)
    worker = await make_worker(session, app)
    booking = (
        await _accept(client, app, poster, await _apply(client, app, worker, gig["id"]))
    ).json()
    bid = booking["id"]
    unpaid = await _post(client, app, poster, f"/gig-bookings/{bid}/payment", {"amount_fen": 25000})
    assert unpaid.status_code == 409  # not completed yet
    await shift_gig(session, gig["id"], timedelta(hours=-1))
    assert (await _post(client, app, worker, f"/gig-bookings/{bid}/complete")).status_code == 200
    by_worker = await _post(client, app, worker, f"/gig-bookings/{bid}/payment", {"amount_fen": 1})
    assert by_worker.status_code == 403  # only the poster reports pay
    await _post(client, app, poster, f"/gig-bookings/{bid}/payment", {"amount_fen": 25000})
    confirmed = await _post(client, app, worker, f"/gig-bookings/{bid}/payment/confirm")
    assert confirmed.json()["payment_status"] == "confirmed"
    dispute = await _post(
        client, app, worker, f"/gig-bookings/{bid}/payment/dispute", {"reason": "改主意了不行"}
    )
    assert dispute.status_code == 409
    cancel = await _post(client, app, worker, f"/gig-bookings/{bid}/cancel", {"reason": "不干了"})
    assert cancel.status_code == 409


async def test_late_worker_cancellation_weighs_on_reliability(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    poster = await make_poster(session, app)
    gig = await post_gig(client, app, poster, headcount=1)
    worker = await make_worker(session, app, "吴师傅")
    booking = (
        await _accept(client, app, poster, await _apply(client, app, worker, gig["id"]))
    ).json()
    await shift_gig(session, gig["id"], timedelta(hours=3))
    cancelled = await _post(
        client, app, worker, f"/gig-bookings/{booking['id']}/cancel", {"reason": "临时有事"}
    )
    assert cancelled.json()["late_cancellation"] is True
    profile = (await client.get("/api/v1/me/gig-profile", headers=auth(app, worker))).json()
    assert profile["stats"]["late_cancelled_count"] == 1
    assert profile["stats"]["completion_rate"] == 0

    # The place is open again; the late canceller ranks with a warning in the reasons.
    other = await post_gig(client, app, poster)
    matches = (
        await client.get(f"/api/v1/gigs/{other['id']}/matches", headers=auth(app, poster))
    ).json()["items"]
    assert "临时取消 1 次" in matches[0]["reasons"] and "完成率 0%" in matches[0]["reasons"]
    assert (await _gig(client, gig["id"], poster, app))["status"] == "open"


async def test_gig_completes_when_the_last_open_booking_is_cancelled(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    poster = await make_poster(session, app)
    gig = await post_gig(client, app, poster, headcount=2)
    w1, w2 = [await make_worker(session, app, name) for name in ("钱一", "钱二")]
    b1 = (await _accept(client, app, poster, await _apply(client, app, w1, gig["id"]))).json()
    b2 = (await _accept(client, app, poster, await _apply(client, app, w2, gig["id"]))).json()
    await shift_gig(session, gig["id"], timedelta(hours=-1))
    assert (await _post(client, app, w1, f"/gig-bookings/{b1['id']}/check-in")).status_code == 200
    assert (await _post(client, app, w1, f"/gig-bookings/{b1['id']}/complete")).status_code == 200
    assert (await _gig(client, gig["id"], poster, app))["status"] == "in_progress"
    no_show = await _post(
        client, app, poster, f"/gig-bookings/{b2['id']}/cancel", {"reason": "没来"}
    )
    assert no_show.json()["late_cancellation"] is True
    assert (await _gig(client, gig["id"], poster, app))["status"] == "completed"
