"""Moderation before publishing, shared by job and gig postings.

| outcome                                       | what happens                                |
|-----------------------------------------------|---------------------------------------------|
| a ``refuse`` finding (e.g. "限男性", "押金")   | the caller's ``refused`` error (422)        |
| WeChat ``risky``                              | the caller's ``risky`` error (422)          |
| a ``review`` finding, WeChat ``review``       | ``pending_review`` (staff queue)            |
| WeChat unreachable                            | ``pending_review`` (never published blind)  |
| nothing                                       | the caller's published status               |
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.core.errors import AppError
from app.integrations.wechat.client import WeChatClient
from app.integrations.wechat.errors import WeChatError
from app.moderation.findings import Finding, Severity
from app.moderation.rules import check_posting
from app.taxonomy import PayUnit

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Posting:
    """The text and pay of a posting, and what to call it in messages (岗位, 零工)."""

    title: str
    description: str
    occupation_code: str | None
    pay_min_fen: int
    pay_max_fen: int
    pay_unit: PayUnit
    noun: str


@dataclass(frozen=True, slots=True)
class Verdict:
    status: str  # the published status, or pending_review
    record: dict[str, Any]  # the posting's ``moderation`` column


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": str(finding.severity),
        "message": finding.message,
        "excerpt": finding.excerpt or None,
        "field": finding.field,
    }


def _wechat_note(rule: str, message: str) -> dict[str, Any]:
    return {"rule": rule, "severity": "review", "message": message, "excerpt": None, "field": None}


async def _wechat_suggest(wechat: WeChatClient, openid: str, posting: Posting) -> str | None:
    """WeChat's verdict on the text, or None when it could not be asked."""
    try:
        result = await wechat.msg_sec_check(posting.description, openid=openid, title=posting.title)
    except WeChatError as exc:
        log.warning("msg_sec_check failed, holding the posting for review: %s", exc.code)
        return None
    return result.suggest


async def moderate(
    wechat: WeChatClient,
    openid: str,
    posting: Posting,
    *,
    refused: type[AppError],
    risky: type[AppError],
    published_status: str,
    now: datetime,
    previous: dict[str, Any] | None = None,
) -> Verdict:
    """Raise for refusals; else say whether the posting publishes now or waits for staff.

    ``previous`` is the last record when the text did not change: WeChat is not asked again.
    ``now`` stamps the record (``checked_at``).
    """
    findings = check_posting(
        posting.title,
        posting.description,
        occupation_code=posting.occupation_code,
        pay_min_fen=posting.pay_min_fen,
        pay_max_fen=posting.pay_max_fen,
        pay_unit=posting.pay_unit,
    )
    refusals = [_finding(f) for f in findings if f.severity == Severity.REFUSE]
    if refusals:
        raise refused(details={"findings": refusals})
    if previous is not None and "wechat_suggest" in previous:
        suggest = previous["wechat_suggest"]
    else:
        suggest = await _wechat_suggest(wechat, openid, posting)
    if suggest == "risky":
        raise risky(details={"wechat_suggest": "risky"})
    held = [_finding(f) for f in findings]
    if suggest is None:
        held.append(
            _wechat_note(
                "wechat.unchecked",
                f"微信内容安全检测暂不可用，{posting.noun}将由工作人员审核后发布",
            )
        )
    elif suggest == "review":
        held.append(
            _wechat_note(
                "wechat.review",
                f"微信内容安全检测建议人工复核，{posting.noun}将由工作人员审核后发布",
            )
        )
    status = "pending_review" if held else published_status
    record = {
        "outcome": status,
        "findings": held,
        "wechat_suggest": suggest,
        "staff_reason": None,
        "checked_at": now.isoformat(),
    }
    return Verdict(status=status, record=record)
