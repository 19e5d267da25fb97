"""What subsidy applicants are told at each step (written through the outbox).

The person who filed the application hears every step; for an organisation's application every
member of the employer account hears it too (the unit's money).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.employers.repository import member_ids
from app.notifications.kinds import NotificationKind
from app.notifications.outbox import Message, notify
from app.policies.catalogue import load_catalogue
from app.subsidies.models import SubsidyApplication
from app.taxonomy.pay import format_amount


def page_of(application_id: uuid.UUID) -> str:
    return f"pages/subsidies/detail?id={application_id}"


def _sentence(application: SubsidyApplication) -> tuple[str, str, dict[str, str]]:
    """(body tail, status phrase, extra keywords) for the application's current status."""
    status = application.status
    if status == "submitted":
        return "已提交，请耐心等待审核。", "已提交", {}
    if status == "under_review":
        return "已进入审核。", "审核中", {}
    if status == "returned":
        note = application.return_note or "请按要求补充材料"
        return f"需要补充材料：{note}。请在小程序中补正后重新提交。", "待补正", {"note": note}
    if status == "approved":
        amount = format_amount(application.approved_amount_fen or 0)
        return f"已审核通过，核定金额{amount}，将按规定拨付。", "已通过", {"amount": amount}
    if status == "rejected":
        reason = application.rejection_reason or "不符合申领条件"
        return f"未通过审核，原因：{reason}。", "未通过", {"note": reason}
    amount = format_amount(application.approved_amount_fen or 0)
    return f"补贴{amount}已拨付，请留意到账。", "已拨付", {"amount": amount}


async def status_changed(
    session: AsyncSession, now: datetime, application: SubsidyApplication
) -> None:
    """The applicant (and the unit's members) hear the application's new status."""
    title = load_catalogue().get(application.policy_code).title
    tail, phrase, extra = _sentence(application)
    recipients = [application.applicant_user_id]
    if application.employer_id is not None:
        recipients += await member_ids(session, application.employer_id)
    await notify(
        session,
        now,
        recipients,
        Message(
            kind=NotificationKind.SUBSIDY_STATUS,
            title="补贴申请进度",
            body=f"您申请的「{title}」{tail}",
            page=page_of(application.id),
            keywords={"subject": title, "status": phrase, **extra},
            # each occurrence is news: the transaction alone makes it told once
            dedupe_key=None,
        ),
    )
