"""Events: staff publish fairs and live streams; everyone lists them by date, kind and group."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditRecord
from tests.events.conftest import make_event
from tests.support.clock import FakeClock, local
from tests.support.factories import auth, make_staff, make_user

FAIR = {
    "kind": "special_fair",
    "title": "小精专招聘会·物流专场",
    "starts_at": "2026-12-05T09:00:00+08:00",
    "ends_at": "2026-12-05T12:00:00+08:00",
    "address": "东胜区人力资源市场",
    "area_code": "jiaotong",
    "organiser": "东胜区人力资源和社会保障局",
    "target_groups": ["graduate", "youth"],
    "booth_limit": 30,
    "registration_limit": 500,
}
LIVESTREAM = {
    "kind": "livestream",
    "title": "暖城·暖岗 直播带岗第 12 期",
    "brand": "暖城·暖岗",
    "starts_at": "2026-12-03T19:30:00+08:00",
    "ends_at": "2026-12-03T21:00:00+08:00",
    "online": True,
    "organiser": "东胜区公共就业服务中心",
    "host": "小暖",
    "platform": "wechat_channels",
    "channel_name": "东胜就业",
    "channel_id": "sphABCDEF",
}


async def test_staff_publish_a_fair_and_a_livestream(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    staff = await make_staff(session, roles=("station",))
    fair = await client.post("/api/v1/admin/events", json=FAIR, headers=auth(app, staff))
    live = await client.post("/api/v1/admin/events", json=LIVESTREAM, headers=auth(app, staff))
    assert fair.status_code == 201, fair.text
    assert live.status_code == 201, live.text
    assert live.json()["platform"] == "wechat_channels"
    assert live.json()["booth_limit"] == 0
    listed = (await client.get("/api/v1/events")).json()["items"]
    assert [e["title"] for e in listed] == [LIVESTREAM["title"], FAIR["title"]]
    audited = (
        await session.scalars(select(AuditRecord.action).where(AuditRecord.actor_id == staff.id))
    ).all()
    assert audited == ["event.create", "event.create"]


async def test_event_input_is_checked(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    headers = auth(app, await make_staff(session, roles=("station",)))
    bad = [
        {**FAIR, "ends_at": FAIR["starts_at"]},
        {**FAIR, "address": None},
        {**LIVESTREAM, "platform": None},
        {**LIVESTREAM, "booth_limit": 5},
        {**FAIR, "target_groups": ["everyone"]},
        {**FAIR, "starts_at": "2026-12-05T09:00:00"},
        {**FAIR, "registered_count": 3},
    ]
    for body in bad:
        response = await client.post("/api/v1/admin/events", json=body, headers=headers)
        assert response.status_code == 422, (body, response.text)
    unknown_area = await client.post(
        "/api/v1/admin/events", json={**FAIR, "area_code": "mars"}, headers=headers
    )
    assert unknown_area.json()["code"] == "event.unknown_area"
    user = await make_user(session, app)
    assert (
        await client.post("/api/v1/admin/events", json=FAIR, headers=auth(app, user))
    ).status_code == 403


async def test_list_by_dates_kind_and_target_group(
    client: httpx.AsyncClient, session: AsyncSession, clock: FakeClock
) -> None:
    early = await make_event(
        session, title="12 月 1 日", starts_at=local(2026, 12, 1, 9, 0), target_groups=["graduate"]
    )
    late_night = await make_event(
        session, title="跨夜", starts_at=local(2026, 12, 2, 23, 0), hours=2
    )
    live = await make_event(
        session, kind="livestream", title="直播", starts_at=local(2026, 12, 3, 19, 30)
    )
    await make_event(session, title="已取消", status="cancelled")

    async def titles(**params: str) -> list[str]:
        body = (await client.get("/api/v1/events", params=params)).json()
        return [e["title"] for e in body["items"]]

    assert await titles() == ["12 月 1 日", "跨夜", "直播"]
    assert await titles(**{"from": "2026-12-03", "to": "2026-12-03"}) == ["跨夜", "直播"]
    assert await titles(**{"to": "2026-12-01"}) == ["12 月 1 日"]
    assert await titles(kind="livestream") == ["直播"]
    assert await titles(target_group="graduate") == ["12 月 1 日"]
    page = (await client.get("/api/v1/events", params={"limit": 2})).json()
    rest = (
        await client.get("/api/v1/events", params={"limit": 2, "cursor": page["next_cursor"]})
    ).json()
    assert [e["id"] for e in page["items"] + rest["items"]] == [
        str(early.id),
        str(late_night.id),
        str(live.id),
    ]
    assert rest["next_cursor"] is None


def _put_body(event: Any, **changes: Any) -> dict[str, Any]:
    """The whole editable event as `PUT /admin/events/{id}` wants it, with ``changes``."""
    from app.events.schemas import EventUpdate

    body = {}
    for name in EventUpdate.model_fields:
        value = getattr(event, name)
        body[name] = value.isoformat() if isinstance(value, datetime) else value
    return {**body, **changes}


async def test_cancelled_events_are_hidden_and_limits_cannot_drop_below_counts(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    headers = auth(app, await make_staff(session, roles=("admin",)))
    event = await make_event(session, registration_limit=10, registered_count=4)
    below = await client.put(
        f"/api/v1/admin/events/{event.id}",
        json=_put_body(event, registration_limit=3),
        headers=headers,
    )
    assert below.status_code == 409
    assert below.json()["code"] == "event.limit_below_count"
    cancelled = await client.put(
        f"/api/v1/admin/events/{event.id}",
        json=_put_body(event, status="cancelled"),
        headers=headers,
    )
    assert cancelled.status_code == 200
    assert (await client.get(f"/api/v1/events/{event.id}")).status_code == 404
    assert (await client.get("/api/v1/events")).json()["items"] == []


async def test_updates_cannot_empty_required_fields(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    headers = auth(app, await make_staff(session, roles=("admin",)))
    event = await make_event(session)
    url = f"/api/v1/admin/events/{event.id}"
    for body in (
        {"title": None},
        {"starts_at": None},
        {"ends_at": "9999-12-31T23:00:00Z"},
        {"title": "a\x00b"},
    ):
        response = await client.put(url, json=_put_body(event, **body), headers=headers)
        assert response.status_code == 422, (body, response.text)
    partial = await client.put(url, json={"title": "只改标题"}, headers=headers)
    assert partial.status_code == 422  # PUT replaces the whole event
    no_address = await client.put(url, json=_put_body(event, address=None), headers=headers)
    assert no_address.json()["code"] == "event.address_required"
    backwards = await client.put(
        url, json=_put_body(event, ends_at="2026-12-05T08:00:00+08:00"), headers=headers
    )
    assert backwards.json()["code"] == "event.invalid_period"
    assert (await client.get("/api/v1/events", params={"to": "9999-12-31"})).status_code == 422
