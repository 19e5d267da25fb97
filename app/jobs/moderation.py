"""Moderation before publishing: the law's rules on job ads, then WeChat's content check.

| outcome                                      | what happens                              |
|----------------------------------------------|-------------------------------------------|
| a ``refuse`` finding (e.g. "限男性")          | 422 ``job.content_refused`` with findings |
| WeChat ``risky``                             | 422 ``job.content_risky``                 |
| a ``review`` finding, WeChat ``review``      | stored as ``pending_review`` (staff queue) |
| WeChat unreachable                           | ``pending_review`` (never published blind) |
| nothing                                      | ``published``                             |
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.integrations.wechat.client import WeChatClient
from app.integrations.wechat.errors import WeChatError
from app.jobs import errors
from app.moderation.findings import Finding, Severity
from app.moderation.rules import check_posting
from app.taxonomy import PayUnit

log = logging.getLogger(__name__)

WECHAT_UNCHECKED = {
    "rule": "wechat.unchecked",
    "severity": "review",
    "message": "微信内容安全检测暂不可用，岗位将由工作人员审核后发布",
    "excerpt": None,
    "field": None,
}
WECHAT_REVIEW = {
    "rule": "wechat.review",
    "severity": "review",
    "message": "微信内容安全检测建议人工复核，岗位将由工作人员审核后发布",
    "excerpt": None,
    "field": None,
}


@dataclass(frozen=True, slots=True)
class Verdict:
    status: str  # published / pending_review
    record: dict[str, Any]  # the job's ``moderation`` column (see ModerationRead)


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": str(finding.severity),
        "message": finding.message,
        "excerpt": finding.excerpt or None,
        "field": finding.field,
    }


async def _wechat_suggest(
    wechat: WeChatClient, openid: str, title: str, description: str
) -> str | None:
    """WeChat's verdict on the text, or None when it could not be asked."""
    try:
        result = await wechat.msg_sec_check(description, openid=openid, title=title)
    except WeChatError as exc:
        log.warning("msg_sec_check failed, holding the job for review: %s", exc.code)
        return None
    return result.suggest


async def moderate(
    wechat: WeChatClient,
    openid: str,
    fields: dict[str, Any],
    *,
    previous: dict[str, Any] | None,
) -> Verdict:
    """Check a posting; raise for refusals, else say whether it publishes or waits for staff.

    ``previous`` is the last record when the text did not change: WeChat is not asked again.
    """
    findings = check_posting(
        fields["title"],
        fields["description"],
        occupation_code=fields["occupation_code"],
        pay_min_fen=fields["salary_min_fen"],
        pay_max_fen=fields["salary_max_fen"],
        pay_unit=PayUnit(fields["salary_unit"]),
    )
    refused = [_finding(f) for f in findings if f.severity == Severity.REFUSE]
    if refused:
        raise errors.ContentRefused(details={"findings": refused})
    if previous is not None and "wechat_suggest" in previous:
        suggest = previous["wechat_suggest"]
    else:
        suggest = await _wechat_suggest(wechat, openid, fields["title"], fields["description"])
    if suggest == "risky":
        raise errors.ContentRisky(details={"wechat_suggest": "risky"})
    held = [_finding(f) for f in findings]
    if suggest is None:
        held.append(WECHAT_UNCHECKED)
    elif suggest == "review":
        held.append(WECHAT_REVIEW)
    status = "pending_review" if held else "published"
    record = {
        "outcome": status,
        "findings": held,
        "wechat_suggest": suggest,
        "staff_reason": None,
        "checked_at": datetime.now(UTC).isoformat(),
    }
    return Verdict(status=status, record=record)
