"""Fixtures of the job tests: two verified employers with a member each, and a seeker."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.employers.models import Employer
from app.identity.models import User
from app.integrations.wechat.fake import FakeWeChatState
from tests.employers.factories import make_employer
from tests.support.factories import make_user


@dataclass
class Employers:
    owner_a: User
    owner_b: User
    employer_a: Employer
    employer_b: Employer
    seeker: User


@pytest.fixture
async def employers(session: AsyncSession, app: FastAPI) -> Employers:
    owner_a = await make_user(session, app, nickname="甲公司招聘")
    owner_b = await make_user(session, app, nickname="乙公司招聘")
    return Employers(
        owner_a=owner_a,
        owner_b=owner_b,
        employer_a=await make_employer(session, owner_a, name="示例甲物流有限公司"),
        employer_b=await make_employer(session, owner_b, name="示例乙家政服务有限公司"),
        seeker=await make_user(session, app, nickname="求职者"),
    )


@pytest.fixture
def fake_wechat(app: FastAPI) -> Iterator[FakeWeChatState]:
    """The in-process fake WeChat, with its counters and injections reset after the test."""
    fake: FakeWeChatState = app.state.fake_wechat
    yield fake
    fake.reset()
