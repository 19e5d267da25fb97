"""Deliver one notification as a WeChat subscribe message (the ``notifications:deliver`` task).

Three steps, two short transactions, no lock held while WeChat is called:

1. **Claim** (transaction 1): lock the notification row; if it is still ``pending``, decide
   whether it may go (quiet hours, the person's switches, a template, a credit). A credit is
   spent with a conditional ``UPDATE … SET credits = credits - 1 WHERE credits > 0 RETURNING``
   and the row becomes ``sending`` in the same transaction: two workers never spend one credit
   twice, and only the worker that moved the row from ``pending`` to ``sending`` sends it.
2. **Send**: one call to ``send_subscribe_message`` (no database connection held).
3. **Settle** (transaction 2): ``sending`` → ``sent`` / ``refused`` / ``failed``, or back to
   ``pending`` with the credit given back when WeChat surely did not send (busy, quota, timeout),
   and the job retried later.

**At most once.** A run that finds its notification already ``sending`` knows an earlier run
stopped between claim and settle (the worker died, the database went away): WeChat may or may
not have sent it. It is marked ``unknown`` and never sent again — a duplicate push is worse than
a missing one, and the inbox holds every notification anyway. The one exception is a timeout:
WeChat answers in well under a second, so a call that ran into the client's deadline is treated
as not sent and retried (a duplicate is possible only if WeChat processed it and the answer was
lost).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.queue import JobSpec, TaskRuntime, defer
from app.identity.models import User
from app.integrations.wechat import WeChatClient, WeChatError
from app.integrations.wechat.errors import WeChatRateLimited, WeChatUnavailable
from app.notifications.kinds import NotificationKind
from app.notifications.models import Notification, NotificationPreference, SubscriptionCredit
from app.notifications.outbox import DELIVER_TASK, DELIVERY_QUEUE, wechat_send_time
from app.notifications.templates import Template, template_data, templates

log = logging.getLogger(__name__)

ERRCODE_USER_REFUSED = 43101  # the user has no (more) subscription for the template
ERRCODE_BAD_OPENID = 40003
ERRCODE_DAILY_QUOTA = 45009
ERRCODE_SYSTEM_BUSY = -1
_REFUSED = frozenset({ERRCODE_USER_REFUSED, ERRCODE_BAD_OPENID})
_TRANSIENT = frozenset({ERRCODE_DAILY_QUOTA, ERRCODE_SYSTEM_BUSY})


class RetryLater(Exception):
    """WeChat did not send it this time (busy, quota, timeout): the job is retried later."""

    def __init__(self, errcode: int | None, delay_seconds: float) -> None:
        super().__init__(f"wechat did not send (errcode {errcode}); retry in {delay_seconds}s")
        self.errcode = errcode
        self.delay_seconds = delay_seconds


@dataclass(frozen=True)
class Claim:
    """A notification moved to ``sending`` with one credit spent on ``template``."""

    notification_id: uuid.UUID
    user_id: uuid.UUID
    openid: str
    template: Template
    data: dict[str, str]
    page: str


def wechat_client(runtime: TaskRuntime) -> WeChatClient:
    client = runtime.adapters.get("wechat")
    if not isinstance(client, WeChatClient):
        raise RuntimeError("no WeChat client in the task runtime")
    return client


def retry_delay(settings_base: int, attempt: int) -> int:
    """Seconds before retry ``attempt`` (0-based): base, ×4 each time, at most an hour."""
    return int(min(3600, settings_base * 4**attempt))


async def deliver(runtime: TaskRuntime, notification_id: uuid.UUID, *, attempt: int = 0) -> str:
    """Deliver one notification; the state it ends in (``RetryLater`` when it should be retried).

    ``attempt`` is the number of earlier runs of this job (0 the first time).
    """
    config = runtime.settings.notifications
    now = runtime.clock()
    async with runtime.sessionmaker() as session, session.begin():
        claim = await _claim(session, runtime, notification_id, now)
    if isinstance(claim, str):
        return claim
    try:
        await wechat_client(runtime).send_subscribe_message(
            claim.openid,
            claim.template.template_id,
            claim.data,
            page=claim.page,
            state=config.miniprogram_state,
        )
    except WeChatError as error:
        last = attempt + 1 >= config.max_attempts
        state = _failure_state(error, last=last)
        async with runtime.sessionmaker() as session, session.begin():
            await _settle(session, claim, state, runtime.clock(), errcode=error.errcode)
        log.info(
            "subscribe message not sent",
            extra={
                "notification_id": str(notification_id),
                "state": state,
                "errcode": error.errcode,
                "attempt": attempt + 1,
            },
        )
        if state == "pending":
            raise RetryLater(
                error.errcode, retry_delay(config.retry_base_seconds, attempt)
            ) from error
        return state
    async with runtime.sessionmaker() as session, session.begin():
        await _settle(session, claim, "sent", runtime.clock())
    sent: dict[str, object] = {
        "notification_id": str(notification_id),
        "template_id": claim.template.template_id,
        "page": claim.page,
    }
    if runtime.settings.demo_mode:  # the demo's fake WeChat lives in the worker: show the send
        sent["data"] = claim.data
    log.info("subscribe message sent", extra=sent)
    return "sent"


def _failure_state(error: WeChatError, *, last: bool) -> str:
    if error.errcode in _REFUSED:
        return "refused"
    transient = (
        isinstance(error, WeChatUnavailable | WeChatRateLimited) or error.errcode in _TRANSIENT
    )
    if transient and not last:
        return "pending"
    return "failed"


async def _claim(
    session: AsyncSession, runtime: TaskRuntime, notification_id: uuid.UUID, now: datetime
) -> Claim | str:
    stmt = (
        select(
            Notification,
            User.openid,
            User.is_active,
            User.deleted_at,
            User.contact_preferences,
            NotificationPreference.disabled_kinds,
        )
        .join(User, User.id == Notification.user_id)
        .outerjoin(NotificationPreference, NotificationPreference.user_id == Notification.user_id)
        .where(Notification.id == notification_id)
        .with_for_update(of=Notification)
    )
    row = (await session.execute(stmt)).one_or_none()
    if row is None:
        return "gone"  # the person's account was erased with its notifications
    notification, openid, active, deleted_at, preferences, disabled = row
    if notification.wechat_state == "sending":
        # An earlier run stopped between claim and settle: maybe sent, never repeated.
        notification.wechat_state = "unknown"
        log.warning(
            "subscribe message left unsettled", extra={"notification_id": str(notification_id)}
        )
        return "unknown"
    if notification.wechat_state != "pending":
        return str(notification.wechat_state)  # a repeated job: already settled
    try:
        kind = NotificationKind(notification.kind)
    except ValueError:
        kind = None
    if kind is not None:
        send_at = wechat_send_time(kind, now)
        if send_at > now:  # a retry or a late job ran into the quiet night: wait for 08:00
            await defer(
                session,
                [
                    JobSpec(
                        task=DELIVER_TASK,
                        args={"notification_id": str(notification_id)},
                        queue=DELIVERY_QUEUE,
                        scheduled_at=send_at,
                    )
                ],
            )
            return "deferred"
    template = templates(runtime.settings).get(kind) if kind is not None else None
    allowed = (preferences or {}).get("allow_subscribe_messages", True) is not False
    if not active or deleted_at is not None or not allowed or notification.kind in (disabled or []):
        state = "opted_out"
    elif template is None:
        state = "no_template"
    elif not openid or not await _spend_credit(session, notification.user_id, template, now):
        state = "no_credit"
    else:
        notification.wechat_state = "sending"
        notification.wechat_template_id = template.template_id
        notification.wechat_attempts += 1
        return Claim(
            notification_id=notification.id,
            user_id=notification.user_id,
            openid=openid,
            template=template,
            data=template_data(
                template,
                notification.keywords,
                title=notification.title,
                body=notification.body,
                created_at=notification.created_at,
            ),
            page=notification.page,
        )
    notification.wechat_state = state
    return state


async def _spend_credit(
    session: AsyncSession, user_id: uuid.UUID, template: Template, now: datetime
) -> bool:
    """Spend one credit for ``template``; False when there is none (the row lock serialises)."""
    stmt = (
        update(SubscriptionCredit)
        .where(
            SubscriptionCredit.user_id == user_id,
            SubscriptionCredit.template_id == template.template_id,
            SubscriptionCredit.credits > 0,
        )
        .values(credits=SubscriptionCredit.credits - 1, updated_at=now)
        .returning(SubscriptionCredit.credits)
    )
    return (await session.execute(stmt)).first() is not None


async def _settle(
    session: AsyncSession, claim: Claim, state: str, now: datetime, *, errcode: int | None = None
) -> None:
    """``sending`` → ``state``; the credit back when WeChat did not send, all of them dropped
    when WeChat says the person holds none (43101) or is unknown (40003)."""
    values: dict[str, object] = {"wechat_state": state, "wechat_errcode": errcode}
    if state == "sent":
        values["wechat_sent_at"] = now
    moved = await session.execute(
        update(Notification)
        .where(Notification.id == claim.notification_id, Notification.wechat_state == "sending")
        .values(**values)
        .returning(Notification.id)
    )
    if moved.first() is None:
        return  # another run marked it unknown meanwhile: leave the credits alone
    credit = (
        update(SubscriptionCredit)
        .where(
            SubscriptionCredit.user_id == claim.user_id,
            SubscriptionCredit.template_id == claim.template.template_id,
        )
        .values(updated_at=now)
    )
    if state in ("pending", "failed"):
        await session.execute(credit.values(credits=SubscriptionCredit.credits + 1))
    elif state == "refused":
        await session.execute(credit.values(credits=0))
