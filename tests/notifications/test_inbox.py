"""The person's side: inbox, mark read, unread count, subscriptions, per-kind switches."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.notifications.kinds import KINDS, NotificationKind
from app.notifications.models import NotificationPreference
from app.notifications.outbox import Message, notify
from app.notifications.templates import DEMO_TEMPLATES
from tests.support.clock import local
from tests.support.factories import auth, make_user

INBOX = "/api/v1/me/notifications"
READ = "/api/v1/me/notifications/read"
SUBSCRIBE = "/api/v1/me/subscriptions"
SETTINGS = "/api/v1/me/notification-settings"
TEMPLATE = DEMO_TEMPLATES[NotificationKind.APPLICATION_STATUS].template_id


def _message(n: int) -> Message:
    return Message(
        kind=NotificationKind.APPLICATION_STATUS,
        title=f"投递进度更新{n}",
        body=f"第{n}条",
        page=f"pages/applications/detail?id={n}",
        dedupe_key=f"k{n}",
    )


async def test_the_inbox_pages_newest_first_and_filters_unread(
    session: AsyncSession, app: FastAPI, client: httpx.AsyncClient
) -> None:
    user = await make_user(session, app)
    ids = [
        (await notify(session, local(2026, 12, 3, 9, n), [user.id], _message(n)))[0]
        for n in range(5)
    ]
    headers = auth(app, user)
    first = (await client.get(INBOX, params={"limit": 2}, headers=headers)).json()
    assert [item["title"] for item in first["items"]] == ["投递进度更新4", "投递进度更新3"]
    item = first["items"][0]
    assert set(item) == {"id", "kind", "title", "body", "page", "created_at", "read_at"}
    assert item["created_at"] == "2026-12-03T09:04:00+08:00" and item["read_at"] is None
    assert item["page"] == "pages/applications/detail?id=4"
    rest = (
        await client.get(
            INBOX, params={"limit": 10, "cursor": first["next_cursor"]}, headers=headers
        )
    ).json()
    assert [i["title"] for i in rest["items"]] == [f"投递进度更新{n}" for n in (2, 1, 0)]
    assert rest["next_cursor"] is None

    marked = await client.post(READ, json={"ids": [str(ids[4]), str(ids[4])]}, headers=headers)
    assert marked.status_code == 200, marked.text
    assert marked.json() == {"marked": 1, "unread_count": 4}
    again = await client.post(READ, json={"ids": [str(ids[4])]}, headers=headers)
    assert again.json() == {"marked": 0, "unread_count": 4}  # a retried request is harmless
    unread = (await client.get(INBOX, params={"unread_only": True}, headers=headers)).json()
    assert len(unread["items"]) == 4
    me = (await client.get("/api/v1/me", headers=headers)).json()
    assert me["unread_notifications"] == 4
    everything = await client.post(READ, json={"all": True}, headers=headers)
    assert everything.json() == {"marked": 4, "unread_count": 0}


async def test_nobody_reads_or_marks_someone_elses_notifications(
    session: AsyncSession, app: FastAPI, client: httpx.AsyncClient
) -> None:
    owner, other = await make_user(session, app), await make_user(session, app)
    [notification_id] = await notify(session, local(2026, 12, 3, 9, 0), [owner.id], _message(1))
    listed = (await client.get(INBOX, headers=auth(app, other))).json()
    assert listed["items"] == []
    marked = await client.post(READ, json={"ids": [str(notification_id)]}, headers=auth(app, other))
    assert marked.json() == {"marked": 0, "unread_count": 0}
    owners = (await client.get("/api/v1/me", headers=auth(app, owner))).json()
    assert owners["unread_notifications"] == 1


async def test_garbage_is_refused(
    session: AsyncSession, app: FastAPI, client: httpx.AsyncClient
) -> None:
    headers = auth(app, await make_user(session, app))
    assert (await client.get(INBOX)).status_code == 401
    for body in ({}, {"ids": []}, {"ids": ["nope"]}, {"all": "yes"}, {"ids": [], "x": 1}):
        answer = await client.post(READ, json=body, headers=headers)
        assert answer.status_code == 422, body
    assert (await client.post(READ, json={}, headers=headers)).json()["code"] == (
        "notification.read_target_missing"
    )
    bad_cursor = await client.get(INBOX, params={"cursor": "AAAA"}, headers=headers)
    assert bad_cursor.status_code == 422
    assert bad_cursor.json()["code"] == "pagination.cursor_invalid"


async def test_each_accept_is_one_credit_and_a_retry_counts_once(
    session: AsyncSession, app: FastAPI, client: httpx.AsyncClient
) -> None:
    headers = auth(app, await make_user(session, app))
    other = DEMO_TEMPLATES[NotificationKind.GIG_PAY].template_id
    answer = {"errMsg": "requestSubscribeMessage:ok", TEMPLATE: "accept", other: "reject"}
    first = await client.post(
        SUBSCRIBE, json=answer, headers={**headers, "Idempotency-Key": "subscribe-1"}
    )
    assert first.status_code == 200, first.text
    assert first.json()["items"] == [
        {"template_id": other, "answer": "reject", "credits": 0},
        {"template_id": TEMPLATE, "answer": "accept", "credits": 1},
    ]
    retried = await client.post(
        SUBSCRIBE, json=answer, headers={**headers, "Idempotency-Key": "subscribe-1"}
    )
    assert retried.json() == first.json()
    second = await client.post(SUBSCRIBE, json={TEMPLATE: "accept"}, headers=headers)
    assert second.json()["items"][0]["credits"] == 2

    unknown = await client.post(SUBSCRIBE, json={"tmpl-nope": "accept"}, headers=headers)
    assert unknown.status_code == 422
    assert unknown.json()["code"] == "notification.template_unknown"
    assert "模板" in unknown.json()["message"]
    wrong = await client.post(SUBSCRIBE, json={TEMPLATE: "maybe"}, headers=headers)
    assert wrong.status_code == 422
    assert (await client.post(SUBSCRIBE, json=["x"], headers=headers)).status_code == 422


async def test_kinds_are_switched_per_person(
    session: AsyncSession, app: FastAPI, client: httpx.AsyncClient
) -> None:
    user = await make_user(session, app)
    headers = auth(app, user)
    shown = (await client.get(SETTINGS, headers=headers)).json()
    assert shown["allow_subscribe_messages"] is True
    assert len(shown["kinds"]) == len(KINDS)
    viewed = next(k for k in shown["kinds"] if k["kind"] == "application_viewed")
    assert viewed == {
        "kind": "application_viewed",
        "label": "简历被查看",
        "enabled": True,
        "time_critical": False,
        "template_id": DEMO_TEMPLATES[NotificationKind.APPLICATION_VIEWED].template_id,
    }
    body = {"kinds": {"application_viewed": False, "job_closed": True}}
    changed = await client.put(SETTINGS, json=body, headers=headers)
    assert changed.status_code == 200, changed.text
    enabled = {k["kind"]: k["enabled"] for k in changed.json()["kinds"]}
    assert enabled["application_viewed"] is False and enabled["job_closed"] is True
    again = await client.put(SETTINGS, json=body, headers=headers)
    assert again.json() == changed.json()
    stored = await session.scalar(
        select(NotificationPreference.disabled_kinds).where(
            NotificationPreference.user_id == user.id
        )
    )
    assert stored == ["application_viewed"]
    unknown = await client.put(SETTINGS, json={"kinds": {"nope": False}}, headers=headers)
    assert unknown.status_code == 422 and unknown.json()["code"] == "notification.kind_unknown"
    assert (
        await client.put(SETTINGS, json={"kinds": {"job_closed": "no"}}, headers=headers)
    ).status_code == 422
