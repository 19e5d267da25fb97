"""Stations: nearest first with walking time, open-now in Asia/Shanghai, staff management."""

from __future__ import annotations

from datetime import date

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditRecord
from app.service_desk.models import ServiceItem
from tests.service_desk.conftest import close_day, make_station
from tests.support.clock import FakeClock, local
from tests.support.factories import auth, make_staff, make_user

HOME = {"lat": 39.8160, "lng": 109.9870}  # near 交通街道
LATE = [{"weekday": d, "opens": "08:00", "closes": "24:00"} for d in range(1, 8)]


async def test_nearest_first_with_distance_and_walking_time(
    client: httpx.AsyncClient, session: AsyncSession, clock: FakeClock
) -> None:
    far = await make_station(session, name="远站", latitude=39.90, longitude=109.87)
    near = await make_station(session, name="近站", latitude=39.8165, longitude=109.9875)
    middle = await make_station(session, name="中站", latitude=39.829, longitude=109.999)

    response = await client.get("/api/v1/stations", params=HOME)

    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [i["id"] for i in items] == [str(near.id), str(middle.id), str(far.id)]
    assert items[0]["distance_km"] < 0.1
    assert items[0]["walking_minutes"] <= 2
    assert 1.5 < items[1]["distance_km"] < 2.0
    assert items[1]["walking_minutes"] > items[0]["walking_minutes"]
    assert items[0]["area_name"] == "交通街道"


async def test_nearest_pages_follow_the_distance_order(
    client: httpx.AsyncClient, session: AsyncSession, clock: FakeClock
) -> None:
    for i in range(5):
        await make_station(session, name=f"站{i}", latitude=39.816 + i * 0.01, longitude=109.987)
    seen: list[float] = []
    cursor = None
    while True:
        params = {**HOME, "limit": 2, **({"cursor": cursor} if cursor else {})}
        body = (await client.get("/api/v1/stations", params=params)).json()
        seen += [i["distance_km"] for i in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 5
    assert seen == sorted(seen)


async def test_radius_and_kind_filters(
    client: httpx.AsyncClient, session: AsyncSession, clock: FakeClock
) -> None:
    await make_station(session, name="罕台", latitude=39.90, longitude=109.87)
    gig = await make_station(
        session, name="零工驿站", kind="gig_station", latitude=39.817, longitude=109.988
    )
    near = (await client.get("/api/v1/stations", params={**HOME, "radius_km": 3})).json()["items"]
    assert [i["name"] for i in near] == ["零工驿站"]
    gigs = (await client.get("/api/v1/stations", params={"kind": "gig_station"})).json()["items"]
    assert [i["id"] for i in gigs] == [str(gig.id)]


async def test_location_needs_both_coordinates(client: httpx.AsyncClient, clock: FakeClock) -> None:
    response = await client.get("/api/v1/stations", params={"lat": 39.8})
    assert response.status_code == 422
    assert response.json()["code"] == "station.location_incomplete"
    tampered = await client.get("/api/v1/stations", params={**HOME, "cursor": "bm90LWEtY3Vyc29y"})
    assert tampered.status_code == 422
    assert tampered.json()["code"] == "pagination.cursor_invalid"


async def test_open_now_around_midnight(
    client: httpx.AsyncClient, session: AsyncSession, clock: FakeClock
) -> None:
    office = await make_station(session, name="办公站")  # Mon–Fri 08:30–12:00, 14:30–17:30
    late = await make_station(session, name="晚间站", weekly_hours=LATE)

    async def open_now() -> dict[str, bool]:
        items = (await client.get("/api/v1/stations")).json()["items"]
        return {i["id"]: i["open_now"] for i in items}

    clock.set(local(2026, 11, 30, 23, 59))  # Monday 23:59 = 15:59 UTC
    assert await open_now() == {str(office.id): False, str(late.id): True}
    clock.set(local(2026, 12, 1, 0, 1))  # Tuesday 00:01 = Monday 16:01 UTC
    assert await open_now() == {str(office.id): False, str(late.id): False}
    clock.set(local(2026, 12, 1, 8, 0))
    assert await open_now() == {str(office.id): False, str(late.id): True}
    clock.set(local(2026, 12, 1, 8, 30))
    assert await open_now() == {str(office.id): True, str(late.id): True}


async def test_open_now_on_a_holiday_exception(
    client: httpx.AsyncClient, session: AsyncSession, clock: FakeClock
) -> None:
    station = await make_station(session)
    await close_day(session, station, date(2027, 1, 1), "元旦闭站")
    clock.set(local(2027, 1, 1, 10, 0))  # a Friday: open by the weekly hours
    body = (await client.get(f"/api/v1/stations/{station.id}")).json()
    assert body["open_now"] is False
    assert body["today_hours"] == []
    assert body["exceptions"][0] == {
        "day": "2027-01-01",
        "closed": True,
        "hours": [],
        "reason": "元旦闭站",
    }
    clock.set(local(2027, 1, 4, 10, 0))  # the Monday after
    body = (await client.get(f"/api/v1/stations/{station.id}")).json()
    assert body["open_now"] is True
    assert body["today_hours"] == ["08:30-12:00", "14:30-17:30"]


async def test_staff_create_update_and_set_exceptions_with_audit(
    client: httpx.AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    clock: FakeClock,
    service_items: dict[str, ServiceItem],
) -> None:
    staff = await make_staff(session, roles=("station",))
    headers = auth(app, staff)
    body = {
        "name": "新建服务站",
        "kind": "street_station",
        "area_code": "hantai",
        "address": "罕台镇政府一楼",
        "latitude": 39.9,
        "longitude": 109.87,
        "phone": "0477-8000000",
        "weekly_hours": [{"weekday": 1, "opens": "08:30", "closes": "12:00"}],
    }
    created = await client.post("/api/v1/admin/stations", json=body, headers=headers)
    assert created.status_code == 201, created.text
    station = created.json()
    assert station["area_name"] == "罕台镇"
    assert "career-guidance" in {s["code"] for s in station["services"]}
    assert "gig-job-matching" not in {s["code"] for s in station["services"]}

    patch = await client.put(
        f"/api/v1/admin/stations/{station['id']}",
        json={**body, "service_codes": ["career-guidance"], "phone": "0477-8000001"},
        headers=headers,
    )
    assert patch.status_code == 200, patch.text
    assert [s["code"] for s in patch.json()["services"]] == ["career-guidance"]

    exception = await client.put(
        f"/api/v1/admin/stations/{station['id']}/exceptions/2026-12-07",
        json={
            "closed": False,
            "hours": [{"opens": "09:00", "closes": "11:00"}],
            "reason": "培训调整",
        },
        headers=headers,
    )
    assert exception.status_code == 200, exception.text
    deleted = await client.delete(
        f"/api/v1/admin/stations/{station['id']}/exceptions/2026-12-07", headers=headers
    )
    assert deleted.status_code == 204

    actions = (
        await session.scalars(
            select(AuditRecord.action)
            .where(AuditRecord.subject_id == station["id"])
            .order_by(AuditRecord.created_at)
        )
    ).all()
    assert set(actions) == {
        "station.create",
        "station.update",
        "station.exception_set",
        "station.exception_delete",
    }


async def test_station_input_is_checked(
    client: httpx.AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    clock: FakeClock,
    service_items: dict[str, ServiceItem],
) -> None:
    headers = auth(app, await make_staff(session, roles=("station",)))
    base = {
        "name": "新建服务站",
        "kind": "street_station",
        "area_code": "jiaotong",
        "address": "地址",
        "latitude": 39.8,
        "longitude": 109.9,
    }
    cases = [
        ({**base, "area_code": "nowhere"}, "station.unknown_area"),
        ({**base, "service_codes": ["no-such-item"]}, "service_item.unknown_codes"),
        (
            {
                **base,
                "weekly_hours": [
                    {"weekday": 1, "opens": "08:00", "closes": "12:00"},
                    {"weekday": 1, "opens": "11:00", "closes": "13:00"},
                ],
            },
            "validation_error",
        ),
        (
            {**base, "weekly_hours": [{"weekday": 8, "opens": "08:00", "closes": "12:00"}]},
            "validation_error",
        ),
        ({**base, "id": "00000000-0000-0000-0000-000000000000"}, "validation_error"),
    ]
    for body, code in cases:
        response = await client.post("/api/v1/admin/stations", json=body, headers=headers)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["code"] == code
    closed_with_hours = await client.put(
        f"/api/v1/admin/stations/{(await make_station(session)).id}/exceptions/2026-12-07",
        json={"closed": True, "hours": [{"opens": "09:00", "closes": "11:00"}], "reason": "x"},
        headers=headers,
    )
    assert closed_with_hours.status_code == 422


async def test_only_station_staff_manage_stations(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    body = {
        "name": "x站点",
        "kind": "street_station",
        "area_code": "jiaotong",
        "address": "地址",
        "latitude": 39.8,
        "longitude": 109.9,
    }
    user = await make_user(session, app)
    reviewer = await make_staff(session, roles=("reviewer",))
    anonymous = await client.post("/api/v1/admin/stations", json=body)
    as_user = await client.post("/api/v1/admin/stations", json=body, headers=auth(app, user))
    as_reviewer = await client.post(
        "/api/v1/admin/stations", json=body, headers=auth(app, reviewer)
    )
    assert (anonymous.status_code, as_user.status_code, as_reviewer.status_code) == (401, 403, 403)


async def test_inactive_station_is_hidden(
    client: httpx.AsyncClient, session: AsyncSession, clock: FakeClock
) -> None:
    station = await make_station(session, is_active=False)
    assert (await client.get("/api/v1/stations")).json()["items"] == []
    assert (await client.get(f"/api/v1/stations/{station.id}")).status_code == 404


async def test_bad_input_is_a_422_never_a_500(
    client: httpx.AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    clock: FakeClock,
    service_items: dict[str, ServiceItem],
) -> None:
    headers = auth(app, await make_staff(session, roles=("station",)))
    station = await make_station(session)
    cases = [
        ("put", f"/api/v1/admin/stations/{station.id}", {"kind": None}),
        ("put", f"/api/v1/admin/stations/{station.id}", {"name": "站\x00名"}),
        (
            "put",
            f"/api/v1/admin/stations/{station.id}/exceptions/9999-12-31",
            {"closed": True, "reason": "x"},
        ),
        ("get", f"/api/v1/stations/{station.id}/slots?date=9999-12-31", None),
        ("get", "/api/v1/service-items/%00", None),
        ("get", "/api/v1/stations?area_code=%00", None),
    ]
    for method, url, body in cases:
        response = await client.request(method.upper(), url, json=body, headers=headers)
        assert response.status_code == 422, (url, body, response.text)
    await session.refresh(station)
    assert station.kind == "street_station"
