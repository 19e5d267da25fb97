"""Moderation of a gig posting: the same rules as jobs, then WeChat's content check.

| outcome                                       | what happens                               |
|-----------------------------------------------|--------------------------------------------|
| a ``refuse`` finding (e.g. "限男性", "押金")   | 422 ``gig.content_refused`` with findings  |
| WeChat ``risky``                              | 422 ``gig.content_risky``                  |
| a ``review`` finding, WeChat ``review``       | stored as ``pending_review`` (staff queue) |
| WeChat unreachable                            | ``pending_review`` (never published blind) |
| nothing                                       | ``open``                                   |
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.gigs import errors
from app.integrations.wechat.client import WeChatClient
from app.integrations.wechat.errors import WeChatError
from app.moderation.findings import Finding, Severity
from app.moderation.rules import check_posting
from app.taxonomy import PayUnit

log = logging.getLogger(__name__)

WECHAT_UNCHECKED = {
    "rule": "wechat.unchecked",
    "severity": "review",
    "message": "微信内容安全检测暂不可用，零工将由工作人员审核后发布",
    "excerpt": None,
}
WECHAT_REVIEW = {
    "rule": "wechat.review",
    "severity": "review",
    "message": "微信内容安全检测建议人工复核，零工将由工作人员审核后发布",
    "excerpt": None,
}


@dataclass(frozen=True, slots=True)
class Verdict:
    status: str  # open / pending_review
    record: dict[str, Any]  # the gig's ``moderation`` column


@dataclass(frozen=True, slots=True)
class PostingText:
    title: str
    description: str
    occupation_code: str | None
    pay_fen: int
    pay_unit: str


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": str(finding.severity),
        "message": finding.message,
        "excerpt": finding.excerpt or None,
    }


async def _wechat_suggest(wechat: WeChatClient, openid: str, text: PostingText) -> str | None:
    try:
        result = await wechat.msg_sec_check(text.description, openid=openid, title=text.title)
    except WeChatError as exc:
        log.warning("msg_sec_check failed, holding the gig for review: %s", exc.code)
        return None
    return result.suggest


async def moderate(wechat: WeChatClient, openid: str, text: PostingText) -> Verdict:
    """Raise for refusals; else say whether the gig opens now or waits for staff."""
    findings = check_posting(
        text.title,
        text.description,
        occupation_code=text.occupation_code,
        pay_min_fen=text.pay_fen,
        pay_max_fen=text.pay_fen,
        pay_unit=PayUnit(text.pay_unit),
    )
    refused = [_finding(f) for f in findings if f.severity == Severity.REFUSE]
    if refused:
        raise errors.ContentRefused(details={"findings": refused})
    suggest = await _wechat_suggest(wechat, openid, text)
    if suggest == "risky":
        raise errors.ContentRisky(details={"wechat_suggest": "risky"})
    held = [_finding(f) for f in findings]
    if suggest is None:
        held.append(WECHAT_UNCHECKED)
    elif suggest == "review":
        held.append(WECHAT_REVIEW)
    status = "pending_review" if held else "open"
    record = {
        "outcome": status,
        "findings": held,
        "wechat_suggest": suggest,
        "staff_reason": None,
        "checked_at": datetime.now(UTC).isoformat(),
    }
    return Verdict(status=status, record=record)
