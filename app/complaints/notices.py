"""What complainants are told when staff answer (written through the outbox)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.complaints.models import Complaint
from app.notifications.kinds import NotificationKind
from app.notifications.outbox import Message, notify

STATUS_WORDS = {"handling": "处理中", "resolved": "已办结", "transferred": "已转办"}


async def replied(session: AsyncSession, now: datetime, complaint: Complaint) -> None:
    """The complainant reads the staff reply (each new reply is news; a repeat is not)."""
    assert complaint.reply is not None
    status = STATUS_WORDS.get(complaint.status, "处理中")
    await notify(
        session,
        now,
        [complaint.complainant_id],
        Message(
            kind=NotificationKind.COMPLAINT_REPLY,
            title="投诉回复",
            body=f"您的投诉{status}，工作人员回复：{complaint.reply}",
            page=f"pages/complaints/detail?id={complaint.id}",
            keywords={"subject": "投诉处理", "status": status, "note": complaint.reply},
            # each occurrence is news: the transaction alone makes it told once
            dedupe_key=None,
        ),
    )
