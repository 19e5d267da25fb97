"""Delivery of WeChat subscribe messages: credits, switches, quiet hours, WeChat's errors."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import system_clock
from app.core.config import DEMO_SECRET, Settings
from app.core.queue import TaskRuntime
from app.integrations.wechat import WeChatClient
from app.integrations.wechat.errors import WeChatUnavailable, WeChatUpstreamError
from app.integrations.wechat.fake import FakeWeChatState
from app.notifications.delivery import _failure_state
from app.notifications.kinds import NotificationKind
from app.notifications.models import Notification, NotificationPreference, SubscriptionCredit
from app.notifications.outbox import Message, notify
from app.notifications.templates import DEMO_TEMPLATES, keyword_value, template_data, templates
from tests.support.clock import FakeClock, local
from tests.support.factories import make_user
from tests.support.queue import run_jobs

SEND = "cgi-bin/message/subscribe/send"
MORNING = local(2026, 12, 3, 10, 0)
STATUS = Message(
    kind=NotificationKind.APPLICATION_STATUS,
    title="投递进度更新",
    body="您投递的「鄂尔多斯市东胜区某某物流有限公司快递员」已进入面试环节",
    page="pages/applications/detail?id=1",
    keywords={
        "subject": "鄂尔多斯市东胜区某某物流有限公司快递员（长期招聘）",
        "status": "面试 interview",
        "time": "2026-12-05 09:30",
    },
)
TEMPLATE = DEMO_TEMPLATES[NotificationKind.APPLICATION_STATUS].template_id


@pytest.fixture
def fake(app: FastAPI) -> FakeWeChatState:
    state: FakeWeChatState = app.state.fake_wechat
    state.reset()
    return state


@pytest.fixture
def runtime(task_runtime: TaskRuntime) -> TaskRuntime:
    return replace(task_runtime, clock=FakeClock(MORNING))


def _later() -> object:
    """Past every retry the jobs may have scheduled (they use the real clock)."""
    return system_clock() + timedelta(days=2)


async def _credit(session: AsyncSession, user_id: uuid.UUID, credits: int = 1) -> None:
    session.add(
        SubscriptionCredit(
            user_id=user_id,
            template_id=TEMPLATE,
            credits=credits,
            last_answer="accept",
            updated_at=MORNING,
        )
    )
    await session.flush()


async def _credits(session: AsyncSession, user_id: uuid.UUID) -> int | None:
    return await session.scalar(
        select(SubscriptionCredit.credits).where(SubscriptionCredit.user_id == user_id)
    )


async def _state(session: AsyncSession, notification_id: uuid.UUID) -> str:
    row = await session.get(Notification, notification_id, populate_existing=True)
    assert row is not None
    return row.wechat_state


async def test_an_accepted_subscription_sends_one_message(
    session: AsyncSession, app: FastAPI, runtime: TaskRuntime, fake: FakeWeChatState
) -> None:
    user = await make_user(session, app)
    await _credit(session, user.id)
    [notification_id] = await notify(session, MORNING, [user.id], STATUS)
    ran = await run_jobs(session, runtime)
    assert [job.result for job in ran] == ["sent"]
    assert await _state(session, notification_id) == "sent"
    assert await _credits(session, user.id) == 0
    [message] = fake.sent_messages
    assert message["touser"] == user.openid and message["template_id"] == TEMPLATE
    assert message["page"] == "pages/applications/detail?id=1"
    assert message["miniprogram_state"] == "formal"
    data = {key: value["value"] for key, value in message["data"].items()}
    assert data["thing1"] == "鄂尔多斯市东胜区某某物流有限公司快递员…"
    assert len(data["thing1"]) == 20
    assert data["phrase2"] == "面试"
    assert data["time3"] == "2026-12-05 09:30"
    assert data["thing4"].startswith("您投递的")  # note: the body when the message gave none
    # A repeated job changes nothing and sends nothing.
    await session.execute(text("UPDATE procrastinate_jobs SET status = 'todo'"))
    assert [job.result for job in await run_jobs(session, runtime)] == ["sent"]
    assert len(fake.sent_messages) == 1


async def test_without_a_credit_only_the_inbox_has_it(
    session: AsyncSession, app: FastAPI, runtime: TaskRuntime, fake: FakeWeChatState
) -> None:
    user = await make_user(session, app)
    [notification_id] = await notify(session, MORNING, [user.id], STATUS)
    await run_jobs(session, runtime)
    assert await _state(session, notification_id) == "no_credit"
    assert fake.sent_messages == []


async def test_a_kind_turned_off_or_the_master_switch_sends_nothing(
    session: AsyncSession, app: FastAPI, runtime: TaskRuntime, fake: FakeWeChatState
) -> None:
    off_kind, off_all = await make_user(session, app), await make_user(session, app)
    session.add(
        NotificationPreference(
            user_id=off_kind.id, disabled_kinds=["application_status"], updated_at=MORNING
        )
    )
    off_all.contact_preferences = {"allow_subscribe_messages": False}
    for user in (off_kind, off_all):
        await _credit(session, user.id)
    ids = await notify(session, MORNING, [off_kind.id, off_all.id], STATUS)
    await run_jobs(session, runtime)
    assert [await _state(session, i) for i in ids] == ["opted_out", "opted_out"]
    assert fake.sent_messages == []
    assert await _credits(session, off_kind.id) == 1


async def test_quiet_hours_hold_the_message_until_eight(
    session: AsyncSession, app: FastAPI, task_runtime: TaskRuntime, fake: FakeWeChatState
) -> None:
    user = await make_user(session, app)
    await _credit(session, user.id, 2)
    clock = FakeClock(local(2026, 12, 3, 23, 0))
    runtime = replace(task_runtime, clock=clock)
    [held] = await notify(session, clock(), [user.id], STATUS)
    assert await run_jobs(session, runtime) == []
    # A message whose job runs late into the night (a backlog, a retry) waits too.
    [late] = await notify(
        session, local(2026, 12, 3, 21, 59), [user.id], replace(STATUS, dedupe_key="x")
    )
    assert [job.result for job in await run_jobs(session, runtime)] == ["deferred"]
    assert await _state(session, late) == "pending"
    clock.set(local(2026, 12, 4, 8, 0))
    results = [job.result for job in await run_jobs(session, runtime)]
    assert results == ["sent", "sent"]
    assert await _state(session, held) == "sent"
    assert len(fake.sent_messages) == 2


async def test_time_critical_kinds_go_at_night(
    session: AsyncSession, app: FastAPI, task_runtime: TaskRuntime, fake: FakeWeChatState
) -> None:
    user = await make_user(session, app)
    session.add(
        SubscriptionCredit(
            user_id=user.id,
            template_id=DEMO_TEMPLATES[NotificationKind.EVENT_CANCELLED].template_id,
            credits=1,
            last_answer="accept",
            updated_at=MORNING,
        )
    )
    night = local(2026, 12, 3, 23, 30)
    message = Message(
        kind=NotificationKind.EVENT_CANCELLED, title="活动取消", body="明早的招聘会取消", page="p"
    )
    await notify(session, night, [user.id], message)
    ran = await run_jobs(session, replace(task_runtime, clock=FakeClock(night)))
    assert [job.result for job in ran] == ["sent"]


@pytest.mark.parametrize("errcode", [43101, 40003])
async def test_a_refusal_drops_the_credits(
    session: AsyncSession,
    app: FastAPI,
    runtime: TaskRuntime,
    fake: FakeWeChatState,
    errcode: int,
) -> None:
    user = await make_user(session, app)
    await _credit(session, user.id, 3)
    [notification_id] = await notify(session, MORNING, [user.id], STATUS)
    fake.inject(SEND, errcode=errcode)
    ran = await run_jobs(session, runtime)
    assert [job.result for job in ran] == ["refused"]
    assert await _state(session, notification_id) == "refused"
    assert await _credits(session, user.id) == 0
    assert fake.sent_messages == []


async def test_a_busy_wechat_is_retried_with_the_credit_kept(
    session: AsyncSession, app: FastAPI, runtime: TaskRuntime, fake: FakeWeChatState
) -> None:
    user = await make_user(session, app)
    await _credit(session, user.id, 1)
    [notification_id] = await notify(session, MORNING, [user.id], STATUS)
    fake.inject(SEND, errcode=45009)
    [first] = await run_jobs(session, runtime)
    assert first.error is not None  # RetryLater: the job is due again later
    assert await _state(session, notification_id) == "pending"
    assert await _credits(session, user.id) == 1  # given back: WeChat did not send
    status, scheduled = (
        await session.execute(text("SELECT status::text, scheduled_at FROM procrastinate_jobs"))
    ).one()
    assert status == "todo" and scheduled > system_clock()
    [second] = await run_jobs(session, runtime, until=_later())
    assert second.result == "sent"
    assert await _credits(session, user.id) == 0
    assert len(fake.sent_messages) == 1


async def test_retries_end_in_failed(
    session: AsyncSession,
    app: FastAPI,
    runtime: TaskRuntime,
    fake: FakeWeChatState,
    settings: Settings,
) -> None:
    config = settings.notifications.model_copy(update={"max_attempts": 3})
    runtime = replace(runtime, settings=settings.model_copy(update={"notifications": config}))
    user = await make_user(session, app)
    await _credit(session, user.id, 1)
    [notification_id] = await notify(session, MORNING, [user.id], STATUS)
    fake.inject(SEND, errcode=45009, times=-1)
    ran = await run_jobs(session, runtime, until=_later())
    ran += await run_jobs(session, runtime, until=_later() + timedelta(days=1))
    assert [job.result for job in ran] == [None, None, "failed"]
    assert await _state(session, notification_id) == "failed"
    assert await _credits(session, user.id) == 1
    assert fake.calls[SEND] == 3


async def test_a_run_that_died_mid_call_is_never_repeated(
    session: AsyncSession, app: FastAPI, runtime: TaskRuntime, fake: FakeWeChatState
) -> None:
    user = await make_user(session, app)
    [notification_id] = await notify(session, MORNING, [user.id], STATUS)
    row = await session.get(Notification, notification_id)
    assert row is not None
    row.wechat_state = "sending"  # claimed by a worker that then died
    await session.flush()
    assert [job.result for job in await run_jobs(session, runtime)] == ["unknown"]
    assert fake.sent_messages == []


def test_failures_are_sorted_into_refused_retry_and_failed() -> None:
    busy = WeChatUnavailable()  # -1 after the client's own retries, a timeout, HTTP 5xx
    assert _failure_state(busy, last=False) == "pending"
    assert _failure_state(busy, last=True) == "failed"
    bad_data = WeChatUpstreamError()
    bad_data.errcode = 47003
    assert _failure_state(bad_data, last=False) == "failed"


def test_keyword_values_follow_wechat_rules() -> None:
    assert (
        keyword_value("thing1", "一二三四五六七八九十一二三四五六七八九十")
        == "一二三四五六七八九十一二三四五六七八九十"
    )
    assert len(keyword_value("thing1", "x" * 30)) == 20
    assert keyword_value("phrase3", "已录用了呀啊哈") == "已录用了呀"
    assert keyword_value("phrase3", "OK") == "有更新"
    assert keyword_value("name2", "鄂尔多斯市东胜区人力资源和社会保障局") == "鄂尔多斯市东胜区人力"
    assert keyword_value("amount2", "3,000元") == "3000元"
    assert keyword_value("thing4", "第一行\n第二行") == "第一行第二行"
    assert keyword_value("thing4", "") == "-"


def test_every_kind_has_a_demo_template_of_known_fields() -> None:
    assert set(DEMO_TEMPLATES) == set(NotificationKind)
    data = template_data(
        DEMO_TEMPLATES[NotificationKind.GIG_PAY], {}, title="报酬", body="b", created_at=MORNING
    )
    assert data == {
        "thing1": "报酬",
        "amount2": "0元",
        "phrase3": "有更新",
        "time4": "2026-12-03 10:00",
    }


def test_templates_come_from_settings_outside_demo_mode(settings: Settings) -> None:
    configured = settings.model_copy(
        update={
            "wechat": settings.wechat.model_copy(update={"appid": "wx0123456789abcdef"}),
            "notifications": settings.notifications.model_copy(
                update={
                    "subscribe_templates": {
                        "application_status": "T-status",
                        "job_closed": "T-closed",  # no keyword mapping: inbox only
                        "no_such_kind": "T-x",
                        "gig_pay": "T-pay",  # a field outside the vocabulary: inbox only
                    },
                    "template_keywords": {
                        "application_status": {"thing1": "subject", "phrase2": "status"},
                        "gig_pay": {"amount1": "money"},
                    },
                }
            ),
        }
    )
    found = templates(configured)
    assert list(found) == [NotificationKind.APPLICATION_STATUS]
    assert found[NotificationKind.APPLICATION_STATUS].template_id == "T-status"
    unset = settings.model_copy(
        update={"wechat": settings.wechat.model_copy(update={"appid": "wx0123456789abcdef"})}
    )
    assert templates(unset) == {}


async def test_a_timeout_is_retried(
    session: AsyncSession, app: FastAPI, runtime: TaskRuntime, fake: FakeWeChatState
) -> None:
    shared: WeChatClient = app.state.wechat
    impatient = WeChatClient(
        shared.appid,
        DEMO_SECRET,
        api_base=shared.api_base,
        http=shared._http,
        token_cache=shared.token_cache,
        retries=0,
        timeout_seconds=0.3,
    )
    runtime = replace(runtime, adapters={**runtime.adapters, "wechat": impatient})
    user = await make_user(session, app)
    await _credit(session, user.id, 1)
    [notification_id] = await notify(session, MORNING, [user.id], STATUS)
    fake.inject(SEND, latency_ms=1500)
    [first] = await run_jobs(session, runtime)
    assert first.error is not None
    assert await _state(session, notification_id) == "pending"
    assert await _credits(session, user.id) == 1
    [second] = await run_jobs(session, runtime, until=_later())
    assert second.result == "sent"
    assert len(fake.sent_messages) == 1
