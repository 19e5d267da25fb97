"""Moderation of a job posting before it is published (the shared pipeline, job wording)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.integrations.wechat.client import WeChatClient
from app.jobs import errors
from app.moderation.pipeline import Posting, Verdict
from app.moderation.pipeline import moderate as moderate_posting
from app.taxonomy import PayUnit

__all__ = ["Verdict", "moderate"]


async def moderate(
    wechat: WeChatClient,
    openid: str,
    fields: dict[str, Any],
    *,
    previous: dict[str, Any] | None,
    now: datetime,
) -> Verdict:
    """Check a job; raise for refusals, else say whether it publishes or waits for staff."""
    posting = Posting(
        title=fields["title"],
        description=fields["description"],
        occupation_code=fields["occupation_code"],
        pay_min_fen=fields["salary_min_fen"],
        pay_max_fen=fields["salary_max_fen"],
        pay_unit=PayUnit(fields["salary_unit"]),
        noun="岗位",
    )
    return await moderate_posting(
        wechat,
        openid,
        posting,
        refused=errors.ContentRefused,
        risky=errors.ContentRisky,
        published_status="published",
        now=now,
        previous=previous,
    )
