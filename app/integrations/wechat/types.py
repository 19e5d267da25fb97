"""What the WeChat client returns: small immutable values, no HTTP types."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Literal

SecSuggest = Literal["pass", "review", "risky"]
MiniProgramState = Literal["formal", "trial", "developer"]
EnvVersion = Literal["release", "trial", "develop"]


@dataclass(frozen=True, slots=True)
class Code2Session:
    """The result of ``sns/jscode2session``; ``session_key`` must never leave the server."""

    openid: str
    unionid: str | None
    session_key: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class PhoneInfo:
    """A verified phone number; ``phone_number`` carries the country code for foreign numbers."""

    phone_number: str
    pure_phone_number: str
    country_code: str


@dataclass(frozen=True, slots=True)
class SecCheckResult:
    """``msg_sec_check`` v2 verdict: publish on ``pass``, hold for staff on ``review``."""

    suggest: SecSuggest
    label: int
    trace_id: str | None

    @property
    def passed(self) -> bool:
        return self.suggest == "pass"


class SecCheckScene(IntEnum):
    """``msg_sec_check`` scenes: 1 资料, 2 评论, 3 论坛, 4 社交日志."""

    PROFILE = 1
    COMMENT = 2
    FORUM = 3
    SOCIAL_LOG = 4


@dataclass(frozen=True, slots=True)
class TokenGrant:
    """An access token as ``stable_token`` hands it out."""

    access_token: str = field(repr=False)
    expires_in: int
