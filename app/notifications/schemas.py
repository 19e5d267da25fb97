"""Request and response bodies of the inbox, subscriptions and notification settings."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field, StrictBool

from app.core.schemas import Body, ReadSchema

SubscribeAnswer = Literal["accept", "reject", "ban", "filter"]


class NotificationRead(ReadSchema):
    id: uuid.UUID
    kind: str = Field(description="通知类型（中文名见 `GET /api/v1/meta` 的 notification_kinds）")
    title: str = Field(description="标题")
    body: str = Field(description="正文")
    page: str = Field(
        description="点击后打开的小程序页面（含参数），如 pages/applications/detail?id=…"
    )
    created_at: datetime
    read_at: datetime | None = Field(description="已读时间；未读为 null")


class MarkRead(Body):
    """Either `ids` (at most 100 of your notifications) or `all: true`."""

    ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=100, description="要标记已读的通知"
    )
    all: StrictBool = Field(default=False, description="true：全部标记为已读")


class MarkReadResult(ReadSchema):
    marked: int = Field(description="本次新标记为已读的条数（已读过的、别人的 id 不计）")
    unread_count: int = Field(description="剩余未读条数")


class SubscriptionResult(ReadSchema):
    template_id: str
    answer: SubscribeAnswer
    credits: int = Field(description="该模板剩余可发送的订阅消息条数")


class SubscriptionsRead(ReadSchema):
    items: list[SubscriptionResult]


class KindSetting(ReadSchema):
    kind: str
    label: str = Field(description="中文名称")
    enabled: bool = Field(description="是否接收该类通知的微信订阅消息")
    time_critical: bool = Field(description="夜间（22:00-08:00）也会发送的紧急提醒")
    template_id: str | None = Field(description="该类通知使用的订阅消息模板 ID；未配置为 null")


class NotificationSettingsRead(ReadSchema):
    allow_subscribe_messages: bool = Field(
        description="总开关（在 `PUT /api/v1/me` 的 contact_preferences 中修改）；"
        "关闭时不发任何订阅消息"
    )
    kinds: list[KindSetting]


class NotificationSettingsUpdate(Body):
    """The whole setting (PUT): a kind left out is on."""

    kinds: dict[str, StrictBool] = Field(
        default_factory=dict,
        description='每类通知是否接收订阅消息，如 {"application_viewed": false}；'
        "未列出的类型为开启",
        max_length=100,
    )
