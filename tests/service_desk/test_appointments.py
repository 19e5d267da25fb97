"""Appointments: slots inside opening hours, booking rules, cancellation cut-off, front desk."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditRecord
from app.core.idempotency import IdempotencyRecord
from app.service_desk.models import AppointmentSlot, ServiceItem, Station
from tests.service_desk.conftest import close_day, make_slot, make_station
from tests.support.clock import FakeClock, local
from tests.support.factories import auth, make_staff, make_user

MONDAY_10 = local(2026, 11, 30, 10, 0)
TUESDAY_9 = local(2026, 12, 1, 9, 0)


async def _station(session: AsyncSession, items: dict[str, ServiceItem]) -> Station:
    return await make_station(session, services=[items["career-guidance"]])


async def test_staff_create_slots_inside_opening_hours(
    client: httpx.AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    clock: FakeClock,
    service_items: dict[str, ServiceItem],
) -> None:
    station = await _station(session, service_items)
    await close_day(session, station, date(2026, 12, 2), "闭站")
    headers = auth(app, await make_staff(session, roles=("station",)))
    url = f"/api/v1/admin/stations/{station.id}/slots"

    def slot(start: str, end: str, code: str = "career-guidance") -> dict[str, object]:
        return {"service_item_code": code, "starts_at": start, "ends_at": end, "capacity": 3}

    ok = await client.post(
        url,
        json={"slots": [slot("2026-12-01T09:00:00+08:00", "2026-12-01T09:30:00+08:00")]},
        headers=headers,
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["items"][0]["remaining"] == 3

    cases = [
        (
            slot("2026-12-01T11:45:00+08:00", "2026-12-01T12:15:00+08:00"),
            "station.slot_outside_hours",
        ),
        (
            slot("2026-12-01T13:00:00+08:00", "2026-12-01T13:30:00+08:00"),
            "station.slot_outside_hours",
        ),
        (slot("2026-12-02T09:00:00+08:00", "2026-12-02T09:30:00+08:00"), "station.closed_on_date"),
        (slot("2026-11-30T07:00:00+08:00", "2026-11-30T07:30:00+08:00"), "station.slot_in_past"),
        (
            slot(
                "2026-12-01T10:00:00+08:00",
                "2026-12-01T10:30:00+08:00",
                "unemployment-registration",
            ),
            "station.service_not_offered",
        ),
        (slot("2026-12-01T09:00:00+08:00", "2026-12-01T09:30:00+08:00"), "station.slot_exists"),
    ]
    for body, code in cases:
        response = await client.post(
            url,
            json={"slots": [slot("2026-12-01T15:00:00+08:00", "2026-12-01T15:30:00+08:00"), body]},
            headers=headers,
        )
        assert response.status_code in (409, 422), response.text
        assert response.json()["code"] == code
    # All or nothing: the valid 15:00 slot sent with each bad one was never kept.
    day = (
        await client.get(f"/api/v1/stations/{station.id}/slots", params={"date": "2026-12-01"})
    ).json()
    assert [datetime.fromisoformat(s["starts_at"]) for s in day["items"]] == [
        datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    ]
    naive = await client.post(
        url, json={"slots": [slot("2026-12-01T09:00:00", "2026-12-01T09:30:00")]}, headers=headers
    )
    assert naive.status_code == 422


async def test_book_an_appointment_and_see_it(
    client: httpx.AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    clock: FakeClock,
    service_items: dict[str, ServiceItem],
) -> None:
    station = await _station(session, service_items)
    slot = await make_slot(
        session, station, service_items["career-guidance"], TUESDAY_9, capacity=2
    )
    user = await make_user(session, app)
    headers = {**auth(app, user), "Idempotency-Key": "book-0001"}

    first = await client.post(
        "/api/v1/appointments",
        json={"slot_id": str(slot.id), "note": "想咨询简历"},
        headers=headers,
    )
    retry = await client.post(
        "/api/v1/appointments",
        json={"slot_id": str(slot.id), "note": "想咨询简历"},
        headers=headers,
    )

    assert first.status_code == 201, first.text
    assert retry.json()["id"] == first.json()["id"]
    record = await session.scalar(
        select(IdempotencyRecord).where(IdempotencyRecord.key == "book-0001")
    )
    assert record is not None and record.created_at == clock.now  # the app's clock, not the wall's
    body = first.json()
    assert body["status"] == "booked"
    assert body["station"]["id"] == str(station.id)
    assert body["service_item"]["code"] == "career-guidance"
    assert body["can_cancel"] is True
    assert body["cancel_deadline"] == "2026-12-01T07:00:00+08:00"  # 23:00 UTC the day before
    mine = (await client.get("/api/v1/me/appointments", headers=auth(app, user))).json()
    assert [a["id"] for a in mine["items"]] == [body["id"]]
    day = (
        await client.get(f"/api/v1/stations/{station.id}/slots", params={"date": "2026-12-01"})
    ).json()
    assert day["items"][0]["booked"] == 1 and day["items"][0]["remaining"] == 1

    again = await client.post(
        "/api/v1/appointments", json={"slot_id": str(slot.id)}, headers=auth(app, user)
    )
    assert again.status_code == 409
    assert again.json()["code"] == "appointment.already_booked"


async def test_full_past_and_closed_slots_are_refused_with_reasons(
    client: httpx.AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    clock: FakeClock,
    service_items: dict[str, ServiceItem],
) -> None:
    station = await _station(session, service_items)
    item = service_items["career-guidance"]
    full = await make_slot(session, station, item, TUESDAY_9, capacity=1)
    past = await make_slot(session, station, item, local(2026, 11, 30, 9, 0))
    closed = await make_slot(session, station, item, local(2026, 12, 2, 9, 0))
    await close_day(session, station, date(2026, 12, 2), "临时闭站")  # after the slot was made
    clock.set(MONDAY_10)
    first, second = await make_user(session, app), await make_user(session, app)
    assert (
        await client.post(
            "/api/v1/appointments", json={"slot_id": str(full.id)}, headers=auth(app, first)
        )
    ).status_code == 201

    expectations = [
        (full, "appointment.slot_full"),
        (past, "appointment.slot_past"),
        (closed, "appointment.outside_opening_hours"),
    ]
    for slot, code in expectations:
        response = await client.post(
            "/api/v1/appointments", json={"slot_id": str(slot.id)}, headers=auth(app, second)
        )
        assert response.status_code == 409, response.text
        assert response.json()["code"] == code
        assert response.json()["message"]
    missing = await client.post(
        "/api/v1/appointments",
        json={"slot_id": "00000000-0000-0000-0000-000000000000"},
        headers=auth(app, second),
    )
    assert missing.status_code == 404
    day = (
        await client.get(f"/api/v1/stations/{station.id}/slots", params={"date": "2026-12-02"})
    ).json()
    assert day["items"][0]["bookable"] is False
    assert day["items"][0]["unavailable_reason"] == "服务站该时段不开放"


async def test_cancel_until_the_cut_off_frees_the_place(
    client: httpx.AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    clock: FakeClock,
    service_items: dict[str, ServiceItem],
) -> None:
    station = await _station(session, service_items)
    slot = await make_slot(
        session, station, service_items["career-guidance"], TUESDAY_9, capacity=1
    )
    user, other = await make_user(session, app), await make_user(session, app)
    booked = (
        await client.post(
            "/api/v1/appointments", json={"slot_id": str(slot.id)}, headers=auth(app, user)
        )
    ).json()
    url = f"/api/v1/appointments/{booked['id']}/cancel"

    assert (await client.post(url, headers=auth(app, other))).status_code == 404
    clock.set(TUESDAY_9 - timedelta(hours=2, minutes=1))
    cancelled = await client.post(url, headers=auth(app, user))
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    await session.refresh(slot)
    assert slot.booked == 0
    assert (await client.post(url, headers=auth(app, user))).json()[
        "code"
    ] == "appointment.not_cancellable"

    # The freed place can be booked again, and that booking is past its cut-off at 07:00.
    rebooked = await client.post(
        "/api/v1/appointments", json={"slot_id": str(slot.id)}, headers=auth(app, other)
    )
    assert rebooked.status_code == 201
    clock.set(TUESDAY_9 - timedelta(hours=2))
    late = await client.post(
        f"/api/v1/appointments/{rebooked.json()['id']}/cancel", headers=auth(app, other)
    )
    assert late.status_code == 409
    assert late.json()["code"] == "appointment.cancel_cutoff_passed"
    assert (
        late.json()["details"]["cancel_deadline"]
        == (TUESDAY_9 - timedelta(hours=2)).astimezone(UTC).isoformat()
    )


async def test_the_cut_off_is_a_parameter(
    client: httpx.AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    clock: FakeClock,
    service_items: dict[str, ServiceItem],
) -> None:
    from app.service_desk.dependencies import AppointmentRules, get_appointment_rules

    station = await _station(session, service_items)
    slot = await make_slot(session, station, service_items["career-guidance"], TUESDAY_9)
    user = await make_user(session, app)
    booked = (
        await client.post(
            "/api/v1/appointments", json={"slot_id": str(slot.id)}, headers=auth(app, user)
        )
    ).json()
    clock.set(TUESDAY_9 - timedelta(hours=3))
    app.dependency_overrides[get_appointment_rules] = lambda: AppointmentRules(
        cancel_cutoff=timedelta(hours=24)
    )
    try:
        response = await client.post(
            f"/api/v1/appointments/{booked['id']}/cancel", headers=auth(app, user)
        )
    finally:
        app.dependency_overrides.pop(get_appointment_rules)
    assert response.json()["code"] == "appointment.cancel_cutoff_passed"


async def test_front_desk_checks_in_and_records_the_outcome(
    client: httpx.AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    clock: FakeClock,
    service_items: dict[str, ServiceItem],
) -> None:
    station = await _station(session, service_items)
    slot = await make_slot(session, station, service_items["career-guidance"], TUESDAY_9)
    later = await make_slot(
        session, station, service_items["career-guidance"], TUESDAY_9 + timedelta(hours=1)
    )
    user = await make_user(session, app, nickname="小王")
    staff = await make_staff(session, roles=("station",))
    a = (
        await client.post(
            "/api/v1/appointments", json={"slot_id": str(slot.id)}, headers=auth(app, user)
        )
    ).json()
    b = (
        await client.post(
            "/api/v1/appointments", json={"slot_id": str(later.id)}, headers=auth(app, user)
        )
    ).json()
    headers = auth(app, staff)

    wrong_day = await client.post(f"/api/v1/admin/appointments/{a['id']}/check-in", headers=headers)
    assert wrong_day.json()["code"] == "appointment.check_in_wrong_day"
    early_outcome = await client.post(
        f"/api/v1/admin/appointments/{a['id']}/outcome", json={"result": "served"}, headers=headers
    )
    assert early_outcome.json()["code"] == "appointment.outcome_not_allowed"

    clock.set(TUESDAY_9 - timedelta(minutes=10))
    listing = (
        await client.get(
            f"/api/v1/admin/stations/{station.id}/appointments",
            params={"date": "2026-12-01"},
            headers=headers,
        )
    ).json()
    assert [(i["id"], i["user_nickname"]) for i in listing["items"]] == [
        (a["id"], "小王"),
        (b["id"], "小王"),
    ]
    checked = await client.post(f"/api/v1/admin/appointments/{a['id']}/check-in", headers=headers)
    assert checked.status_code == 200, checked.text
    assert checked.json()["status"] == "checked_in"
    twice = await client.post(f"/api/v1/admin/appointments/{a['id']}/check-in", headers=headers)
    assert twice.json()["code"] == "appointment.check_in_not_allowed"
    done = await client.post(
        f"/api/v1/admin/appointments/{a['id']}/outcome",
        json={"result": "referred", "note": "转介创业指导"},
        headers=headers,
    )
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["outcome"]) == ("completed", "referred")

    not_yet = await client.post(
        f"/api/v1/admin/appointments/{b['id']}/outcome", json={"result": "no_show"}, headers=headers
    )
    assert not_yet.json()["code"] == "appointment.outcome_not_allowed"
    clock.set(TUESDAY_9 + timedelta(hours=2))
    no_show = await client.post(
        f"/api/v1/admin/appointments/{b['id']}/outcome", json={"result": "no_show"}, headers=headers
    )
    assert no_show.json()["status"] == "no_show"

    mine = (await client.get(f"/api/v1/appointments/{a['id']}", headers=auth(app, user))).json()
    assert mine["outcome_note"] == "转介创业指导"
    actions = set(
        (
            await session.scalars(
                select(AuditRecord.action).where(AuditRecord.actor_id == staff.id)
            )
        ).all()
    )
    assert actions == {"appointment.check_in", "appointment.outcome"}
    user_cannot = await client.post(
        f"/api/v1/admin/appointments/{a['id']}/check-in", headers=auth(app, user)
    )
    assert user_cannot.status_code == 403


async def test_slot_rows_never_exceed_capacity_in_the_database(
    session: AsyncSession, service_items: dict[str, ServiceItem]
) -> None:
    import pytest
    from sqlalchemy.exc import IntegrityError

    station = await _station(session, service_items)
    slot = await make_slot(
        session, station, service_items["career-guidance"], TUESDAY_9, capacity=1
    )
    slot.booked = 2
    with pytest.raises(IntegrityError):
        await session.flush()
    await session.rollback()
    assert (
        await session.scalar(select(AppointmentSlot).where(AppointmentSlot.id == slot.id))
    ) is None


async def test_availability_counts_free_places_per_day_like_the_slot_list(
    client: httpx.AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    clock: FakeClock,
    service_items: dict[str, ServiceItem],
) -> None:
    station = await _station(session, service_items)
    item = service_items["career-guidance"]
    await make_slot(session, station, item, local(2026, 11, 30, 9, 0))  # past by now
    await make_slot(session, station, item, local(2026, 11, 30, 15, 0), capacity=4)
    full = await make_slot(session, station, item, TUESDAY_9, capacity=1)
    await make_slot(session, station, item, local(2026, 12, 1, 10, 0), capacity=3)
    await make_slot(session, station, item, local(2026, 12, 2, 9, 0))
    await close_day(session, station, date(2026, 12, 2), "临时闭站")
    clock.set(MONDAY_10)
    user = await make_user(session, app)
    booked = await client.post(
        "/api/v1/appointments", json={"slot_id": str(full.id)}, headers=auth(app, user)
    )
    assert booked.status_code == 201

    url = f"/api/v1/stations/{station.id}/availability"
    response = await client.get(url, params={"days": 4})  # from today (Monday)
    assert response.status_code == 200, response.text
    days = [
        (d["date"], d["free_places"], d["bookable_slot_count"], d["slot_count"])
        for d in response.json()["days"]
    ]
    assert days == [
        ("2026-11-30", 4, 1, 2),  # the 9:00 slot has passed
        ("2026-12-01", 3, 1, 2),  # 9:00 is full
        ("2026-12-02", 0, 0, 1),  # closed after the slot was made
        ("2026-12-03", 0, 0, 0),
    ]
    later = (await client.get(url, params={"from": "2026-12-01", "days": 1})).json()
    assert [d["date"] for d in later["days"]] == ["2026-12-01"]
    assert len((await client.get(url)).json()["days"]) == 14
    assert (await client.get(url, params={"days": 32})).status_code == 422
    missing = await client.get("/api/v1/stations/00000000-0000-0000-0000-000000000000/availability")
    assert missing.status_code == 404
