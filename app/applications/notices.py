"""What applicants and employers are told about applications (written through the outbox).

Pages: the applicant opens ``pages/applications/detail?id=…``; employer members open
``pages/employer/applications/detail?id=…`` (docs/notification-events.md lists them all).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.applications.models import JobApplication
from app.core.notices import moment_keyword, moment_text
from app.employers.repository import member_ids
from app.jobs.models import Job
from app.notifications.kinds import NotificationKind
from app.notifications.outbox import Message, notify

# What the applicant reads for each status an employer may set (and the WeChat phrase ≤ 5).
STATUS_WORDS: dict[str, tuple[str, str]] = {
    "viewed": ("已被招聘方查看", "已查看"),
    "interview": ("已进入面试环节", "面试"),
    "offered": ("已获得录用意向", "拟录用"),
    "hired": ("已确认入职", "已入职"),
    "rejected": ("未通过筛选，感谢您的关注", "未通过"),
}


def applicant_page(application_id: uuid.UUID) -> str:
    return f"pages/applications/detail?id={application_id}"


def employer_page(application_id: uuid.UUID) -> str:
    return f"pages/employer/applications/detail?id={application_id}"


async def application_received(
    session: AsyncSession, now: datetime, application: JobApplication, job: Job
) -> None:
    """Every member of the employer hears of a new (or renewed) application."""
    members = await member_ids(session, application.employer_id)
    await notify(
        session,
        now,
        members,
        Message(
            kind=NotificationKind.APPLICATION_RECEIVED,
            title="收到新投递",
            body=f"「{job.title}」收到一份新的投递，请及时查看简历。",
            page=employer_page(application.id),
            keywords={"subject": job.title, "status": "新投递", "time": moment_keyword(now)},
            # each occurrence is news: the transaction alone makes it told once
            dedupe_key=None,
        ),
    )


async def application_viewed(
    session: AsyncSession, now: datetime, application: JobApplication, job: Job
) -> None:
    """The applicant hears once that the employer looked (a later look tells nothing)."""
    await notify(
        session,
        now,
        [application.user_id],
        Message(
            kind=NotificationKind.APPLICATION_VIEWED,
            title="简历被查看",
            body=f"您投递的「{job.title}」简历已被招聘方查看。",
            page=applicant_page(application.id),
            keywords={"subject": job.title, "status": "已查看", "time": moment_keyword(now)},
            dedupe_key=f"application:{application.id}:viewed",
        ),
    )


async def status_changed(
    session: AsyncSession,
    now: datetime,
    application: JobApplication,
    job: Job,
    *,
    interview_at: datetime | None = None,
    interview_place: str | None = None,
    note: str | None = None,
) -> None:
    """The applicant hears of each step the employer takes (viewed is told once, as above)."""
    if application.status == "viewed":
        await application_viewed(session, now, application, job)
        return
    sentence, phrase = STATUS_WORDS[application.status]
    body = f"您投递的「{job.title}」{sentence}"
    keywords = {"subject": job.title, "status": phrase}
    if interview_at is not None:
        body += f"，面试时间{moment_text(interview_at)}"
        keywords["time"] = moment_keyword(interview_at)
    if interview_place:
        body += f"，地点{interview_place}"
        keywords["place"] = interview_place
    if note:
        body += f"。招聘方备注：{note}"
        keywords["note"] = note
    await notify(
        session,
        now,
        [application.user_id],
        Message(
            kind=NotificationKind.APPLICATION_STATUS,
            title="投递进度更新",
            body=body + "。",
            page=applicant_page(application.id),
            keywords=keywords,
            dedupe_key=f"application:{application.id}:status:{application.status}",
        ),
    )
