"""Moderation of a gig posting: the same pipeline and rules as jobs, gig wording."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.gigs import errors
from app.integrations.wechat.client import WeChatClient
from app.moderation.pipeline import Posting, Verdict
from app.moderation.pipeline import moderate as moderate_posting
from app.taxonomy import PayUnit

__all__ = ["PostingText", "Verdict", "moderate"]


@dataclass(frozen=True, slots=True)
class PostingText:
    title: str
    description: str
    occupation_code: str | None
    pay_fen: int
    pay_unit: str


async def moderate(wechat: WeChatClient, openid: str, text: PostingText, now: datetime) -> Verdict:
    """Raise for refusals; else say whether the gig opens now or waits for staff."""
    posting = Posting(
        title=text.title,
        description=text.description,
        occupation_code=text.occupation_code,
        pay_min_fen=text.pay_fen,
        pay_max_fen=text.pay_fen,
        pay_unit=PayUnit(text.pay_unit),
        noun="零工",
    )
    return await moderate_posting(
        wechat,
        openid,
        posting,
        refused=errors.ContentRefused,
        risky=errors.ContentRisky,
        published_status="open",
        now=now,
    )
