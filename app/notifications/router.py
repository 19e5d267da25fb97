"""The person's inbox, subscribe-message credits and per-kind notification switches."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body, Query, Request

from app.core.clock import ClockDep
from app.core.config import Settings
from app.core.db import SessionDep
from app.core.idempotency import IdempotencyKeyHeader, idempotent
from app.core.pagination import CursorParam, LimitParam, Page
from app.core.routing import APIRouter
from app.identity.dependencies import CurrentUser
from app.notifications import service
from app.notifications.schemas import (
    MarkRead,
    MarkReadResult,
    NotificationRead,
    NotificationSettingsRead,
    NotificationSettingsUpdate,
    SubscriptionsRead,
)

router = APIRouter(prefix="/api/v1/me", tags=["notifications"])

MAX_TEMPLATES_PER_REQUEST = 20


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@router.get("/notifications", response_model=Page[NotificationRead], summary="我的消息")
async def list_notifications(
    user: CurrentUser,
    session: SessionDep,
    unread_only: Annotated[bool, Query(description="true：只看未读")] = False,
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Page[NotificationRead]:
    """Your notifications (the in-app inbox), newest first: every notification the service
    wrote for you, whether or not a WeChat subscribe message went out. Tap → `wx.navigateTo`
    to `page`. The unread count is `unread_notifications` in `GET /api/v1/me`."""
    return await service.inbox(
        session, user.id, unread_only=unread_only, cursor=cursor, limit=limit
    )


@router.post("/notifications/read", response_model=MarkReadResult, summary="标记消息已读")
async def mark_read(
    body: MarkRead, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> MarkReadResult:
    """Mark `ids` (at most 100) or, with `{"all": true}`, every notification read. Safe to
    repeat: ids already read, unknown or someone else's are skipped (`marked` counts the ones
    this call changed). Neither given → 422 `notification.read_target_missing`."""
    return await service.mark_read(session, user.id, body, clock())


@router.post("/subscriptions", response_model=SubscriptionsRead, summary="记录订阅消息授权")
async def record_subscriptions(
    user: CurrentUser,
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    answers: Annotated[
        dict[str, str],
        Body(
            max_length=MAX_TEMPLATES_PER_REQUEST,
            description="`wx.requestSubscribeMessage` 的 success 结果原样提交："
            '`{"<模板ID>": "accept" | "reject" | "ban" | "filter", "errMsg": "…"}`',
            examples=[{"DEMO-progress-0000000000000000000000000000": "accept"}],
        ),
    ],
    key: IdempotencyKeyHeader = None,
) -> SubscriptionsRead:
    """Record what the user answered to `wx.requestSubscribeMessage`. Pass its success result as
    is (`errMsg` is ignored). Each `accept` is one WeChat message we may send with that template
    (one-time subscription); `reject`, `ban` and `filter` add none. Ask for the template ids of
    `GET /api/v1/meta` (`subscribe_templates`, at most 3 per call on WeChat's side) at moments
    the user acts (after applying, booking…). A template id not configured → 422
    `notification.template_unknown`. Send an `Idempotency-Key` (a retried request must not count
    an accept twice)."""

    async def produce() -> SubscriptionsRead:
        return await service.record_subscriptions(
            session, _settings(request), user.id, answers, clock()
        )

    body: dict[str, Any] = dict(answers)
    return await idempotent(
        session,
        key,
        scope=f"user:{user.id}:subscriptions",
        body=body,
        produce=produce,
        response_model=SubscriptionsRead,
    )


@router.get(
    "/notification-settings", response_model=NotificationSettingsRead, summary="消息提醒设置"
)
async def get_notification_settings(
    user: CurrentUser, request: Request, session: SessionDep
) -> NotificationSettingsRead:
    """Every notification kind with its Chinese label, whether you receive its WeChat subscribe
    messages (`enabled`), whether it may come at night (`time_critical`) and its template id.
    Turning a kind off stops its WeChat messages only: the inbox still lists it."""
    return await service.read_settings(
        session, _settings(request), user.id, user.contact_preferences
    )


@router.put(
    "/notification-settings", response_model=NotificationSettingsRead, summary="修改消息提醒设置"
)
async def put_notification_settings(
    body: NotificationSettingsUpdate,
    user: CurrentUser,
    request: Request,
    session: SessionDep,
    clock: ClockDep,
) -> NotificationSettingsRead:
    """Replace the per-kind switches: `{"kinds": {"application_viewed": false}}` (PUT: a kind
    left out is on; repeating the call changes nothing). An unknown kind → 422
    `notification.kind_unknown`. The master switch is `allow_subscribe_messages` in
    `PUT /api/v1/me`."""
    await service.replace_settings(session, user.id, body, clock())
    return await service.read_settings(
        session, _settings(request), user.id, user.contact_preferences
    )
