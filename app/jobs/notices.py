"""What employers and applicants are told about postings (written through the outbox)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import column, select, table
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.asyncio import AsyncSession

from app.employers.repository import member_ids
from app.jobs.models import Job
from app.notifications.kinds import NotificationKind
from app.notifications.outbox import Message, notify

# The applications of a job, read by name: app.applications imports app.jobs, so app.jobs may
# not import it back (tests/core/test_import_graph.py); these three columns are all we need.
_applications = table(
    "job_application",
    column("job_id", UUID(as_uuid=True)),
    column("user_id", UUID(as_uuid=True)),
    column("status"),
)
# The open stages of the pipeline (app.applications.pipeline.OPEN).
IN_PROCESS = ("submitted", "viewed", "interview", "offered")


def employer_job_page(job_id: uuid.UUID) -> str:
    return f"pages/employer/jobs/detail?id={job_id}"


async def _applicants_in_process(session: AsyncSession, job_id: uuid.UUID) -> list[uuid.UUID]:
    stmt = select(_applications.c.user_id).where(
        _applications.c.job_id == job_id, _applications.c.status.in_(IN_PROCESS)
    )
    return list((await session.execute(stmt)).scalars())


async def job_closed(session: AsyncSession, now: datetime, job: Job) -> None:
    """Applicants still in process hear that the posting closed (their application stays)."""
    await notify(
        session,
        now,
        await _applicants_in_process(session, job.id),
        Message(
            kind=NotificationKind.JOB_CLOSED,
            title="岗位已关闭",
            body=f"您投递的「{job.title}」已停止招聘，可以看看其他合适的岗位。",
            page="pages/applications/index",
            keywords={"subject": job.title, "status": "已关闭"},
            dedupe_key=f"job:{job.id}:closed",
        ),
    )


async def job_moderated(session: AsyncSession, now: datetime, job: Job, reason: str | None) -> None:
    """Every member of the employer hears the staff decision on a held posting."""
    published = job.status == "published"
    if published:
        body = f"您发布的「{job.title}」已通过审核，现已对求职者展示。"
    else:
        body = f"您发布的「{job.title}」未通过审核，原因：{reason}。修改后可重新提交。"
    keywords = {"subject": job.title, "status": "已通过" if published else "未通过"}
    if reason:
        keywords["note"] = reason
    await notify(
        session,
        now,
        await member_ids(session, job.employer_id),
        Message(
            kind=NotificationKind.JOB_MODERATED,
            title="岗位审核结果",
            body=body,
            page=employer_job_page(job.id),
            keywords=keywords,
            # each occurrence is news: the transaction alone makes it told once
            dedupe_key=None,
        ),
    )
