"""What employer members are told about their employer account (written through the outbox)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.employers.models import Employer
from app.employers.repository import member_ids
from app.notifications.kinds import NotificationKind
from app.notifications.outbox import Message, notify


async def verification_decided(session: AsyncSession, now: datetime, employer: Employer) -> None:
    """Every member hears whether the unit was verified, and why not."""
    verified = employer.status == "verified"
    if verified:
        body = f"「{employer.name}」已通过单位认证，现在可以发布岗位。"
    else:
        reason = employer.review_reason
        body = f"「{employer.name}」未通过单位认证，原因：{reason}。请补充材料后重新提交。"
    keywords = {"name": employer.name, "status": "已通过" if verified else "未通过"}
    if employer.review_reason:
        keywords["note"] = employer.review_reason
    await notify(
        session,
        now,
        await member_ids(session, employer.id),
        Message(
            kind=NotificationKind.EMPLOYER_VERIFIED,
            title="单位认证结果",
            body=body,
            page=f"pages/employer/detail?id={employer.id}",
            keywords=keywords,
            # each occurrence is news: the transaction alone makes it told once
            dedupe_key=None,
        ),
    )
