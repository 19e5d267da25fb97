"""Reports of postings (fake job, discrimination, wage arrears) and how staff handle them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select, text, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.core.clock import Clock
from app.core.keyset import TIME_ID
from app.core.pagination import Page
from app.employers.models import Employer
from app.identity.models import StaffAccount, User
from app.jobs import errors, repository
from app.jobs.models import Job, JobReport
from app.jobs.schemas import ReportAdminRead, ReportCreate, ReportDecision, ReportRead


async def file_report(
    session: AsyncSession, user: User, job_id: uuid.UUID, body: ReportCreate
) -> ReportRead:
    """Report a published job; one open report per person and job."""
    if await repository.get_with_employer(session, job_id, None) is None:
        raise errors.JobNotFound()
    stmt = (
        insert(JobReport)
        .values(
            id=uuid.uuid4(),
            job_id=job_id,
            reporter_id=user.id,
            reason=body.reason,
            text=body.text.strip(),
            status="open",
        )
        .on_conflict_do_nothing(
            index_elements=["job_id", "reporter_id"],
            # Literal SQL: a bound parameter here stops PostgreSQL matching the partial index
            # once the prepared statement goes generic.
            index_where=text("status = 'open'"),
        )
        .returning(JobReport)
    )
    report = (await session.execute(stmt)).scalar_one_or_none()
    if report is None:
        raise errors.ReportAlreadyOpen()
    return ReportRead.model_validate(report)


def _admin_select() -> Select[*tuple[Any, ...]]:
    stmt: Select[*tuple[Any, ...]] = (
        select(
            JobReport,
            Job.title.label("job_title"),
            Job.employer_id,
            Employer.name.label("employer_name"),
        )
        .join(Job, Job.id == JobReport.job_id)
        .join(Employer, Employer.id == Job.employer_id)
    )
    return stmt


def _admin_read(row: Any) -> ReportAdminRead:
    report: JobReport = row[0]
    data = {name: getattr(report, name) for name in ReportRead.model_fields}
    data.update(
        reporter_id=report.reporter_id,
        handled_by=report.handled_by,
        job_title=row.job_title,
        employer_id=row.employer_id,
        employer_name=row.employer_name,
    )
    return ReportAdminRead.model_validate(data)


async def queue(
    session: AsyncSession, status: str, cursor: str | None, limit: int
) -> Page[ReportAdminRead]:
    """Reports in ``status``, oldest first."""
    after = TIME_ID.decode(cursor)
    stmt = (
        _admin_select()
        .where(JobReport.status == status)
        .order_by(JobReport.created_at, JobReport.id)
        .limit(limit + 1)
    )
    if after is not None:
        stmt = stmt.where(tuple_(JobReport.created_at, JobReport.id) > after)
    rows = list((await session.execute(stmt)).all())
    return TIME_ID.page(
        rows, limit, key=lambda row: (row[0].created_at, row[0].id), item=_admin_read
    )


async def handle(
    session: AsyncSession,
    clock: Clock,
    staff: StaffAccount,
    report_id: uuid.UUID,
    body: ReportDecision,
) -> ReportAdminRead:
    """Uphold (optionally closing the job) or dismiss an open report; audited."""
    report = (
        await session.execute(select(JobReport).where(JobReport.id == report_id).with_for_update())
    ).scalar_one_or_none()
    if report is None:
        raise errors.ReportNotFound()
    if report.status != "open":
        raise errors.ReportHandled(details={"status": report.status})
    now = clock()
    report.status = "upheld" if body.decision == "uphold" else "dismissed"
    report.handled_by = staff.id
    report.handled_at = now
    report.resolution = body.resolution.strip()
    job_closed = False
    if body.decision == "uphold" and body.close_job:
        job = await repository.get_for_update(session, report.job_id)
        if job is not None and job.status != "closed":
            job.status, job.closed_at, job_closed = "closed", now, True
    await session.flush()
    await audit.record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action=f"job_report.{body.decision}",
        subject_kind="job_report",
        subject_id=report.id,
        details={"job_id": str(report.job_id), "job_closed": job_closed},
    )
    row = (await session.execute(_admin_select().where(JobReport.id == report_id))).one()
    return _admin_read(row)
