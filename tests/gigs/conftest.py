"""Fixtures of the gig tests: the fake WeChat, reset after each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from app.integrations.wechat.fake import FakeWeChatState


@pytest.fixture
def fake_wechat(app: FastAPI) -> Iterator[FakeWeChatState]:
    fake: FakeWeChatState = app.state.fake_wechat
    yield fake
    fake.reset()
