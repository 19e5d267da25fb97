"""Notification errors: stable codes, Chinese messages."""

from __future__ import annotations

from app.core import errors


class UnknownTemplate(errors.ValidationFailed):
    code = "notification.template_unknown"
    message = "订阅消息模板不存在，请更新小程序后重试"


class UnknownKind(errors.ValidationFailed):
    code = "notification.kind_unknown"
    message = "通知类型不存在，请更新小程序后重试"


class NothingToMark(errors.ValidationFailed):
    code = "notification.read_target_missing"
    message = "请提供要标记为已读的通知 ids，或 all 为 true"
