"""The ledger's worker task (namespace ``people_ledger``, see ``app.worker``): run an import.

The workbook is read in a thread (openpyxl is synchronous), every row validated, rows merged by
ID number, then applied in batches: each batch commits with the import's progress, so staff
polling ``GET …/imports/{id}`` see ``processed`` grow. Imports run one at a time (the job's
``lock``), so two files naming the same person never race.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import anyio
import procrastinate
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.clock import local_date
from app.core.queue import JobSpec, TaskRuntime, runtime_of
from app.core.security import Security
from app.core.text import scrub
from app.people_ledger import importer
from app.people_ledger.models import LedgerImport
from app.people_ledger.rows import CellError, LedgerRow, parse_row
from app.people_ledger.workbook import ReadProgress, WorkbookRefused, read_rows

log = logging.getLogger(__name__)

blueprint = procrastinate.Blueprint()

IMPORT_TASK = "people_ledger:import_people"
IMPORT_LOCK = "people_ledger:import"
BATCH_ROWS = 1000
MAX_REPORTED_ERRORS = 1000
READ_REPORT_SECONDS = 1.0
FILE_CONTEXT = "ledger_import_file"
INTERRUPTED = "导入过程中发生错误，已导入的行保留；请重新上传该文件（重复导入不会产生重复人员）"


def import_job(import_id: uuid.UUID) -> JobSpec:
    return JobSpec(task=IMPORT_TASK, args={"import_id": str(import_id)}, lock=IMPORT_LOCK)


@blueprint.task(name="import_people", pass_context=True)
async def import_people(context: procrastinate.JobContext, import_id: str) -> dict[str, int]:
    """Run one import to the end; a rerun after a crash starts over (applying is idempotent)."""
    runtime = runtime_of(context)
    try:
        return await run_import(runtime, uuid.UUID(import_id))
    except Exception:
        log.exception("ledger import failed", extra={"import_id": import_id})
        await _fail(runtime.sessionmaker, runtime.clock(), uuid.UUID(import_id), INTERRUPTED)
        raise


async def run_import(runtime: TaskRuntime, import_id: uuid.UUID) -> dict[str, int]:
    security = Security.from_settings(runtime.settings.security)
    maker = runtime.sessionmaker
    data = await _start(maker, runtime.clock(), security, import_id)
    if data is None:
        return {}
    today = local_date(runtime.clock())
    progress = ReadProgress()
    stop = asyncio.Event()
    reporter = asyncio.create_task(_report_reading(maker, import_id, progress, stop))
    try:
        rows, errors = await anyio.to_thread.run_sync(_parse, data, today, progress)
    except WorkbookRefused as refused:
        stop.set()
        await reporter
        await _fail(maker, runtime.clock(), import_id, refused.message)
        return {}
    stop.set()
    await reporter
    groups, merge_errors = importer.merge(security, rows)
    total = len(rows) + len({e.row for e in errors})
    errors = sorted(errors + merge_errors, key=lambda e: e.row)
    rejected = len({e.row for e in errors})
    tally = importer.Tally()
    async with maker() as session, session.begin():
        job = await _job(session, import_id)
        job.total = total
        job.read = total
        job.rejected_count = rejected
        job.error_count = len(errors)
        job.errors = [_error(e) for e in errors[:MAX_REPORTED_ERRORS]]
        job.processed = rejected
    for batch in _batches(groups):
        async with maker() as session, session.begin():
            now = runtime.clock()
            await importer.apply_batch(
                session, security, batch, tally, import_id=import_id, today=today, now=now
            )
            await _progress(session, import_id, tally, rejected)
    async with maker() as session, session.begin():
        job = await _job(session, import_id)
        job.status = "completed"
        job.finished_at = runtime.clock()
        job.file_sealed = None
    log.info("ledger import done", extra={"import_id": str(import_id), "rows": total})
    return {"created": tally.created, "updated": tally.updated, "unchanged": tally.unchanged}


async def _report_reading(
    maker: async_sessionmaker[AsyncSession],
    import_id: uuid.UUID,
    progress: ReadProgress,
    stop: asyncio.Event,
) -> None:
    """Every second while the file is read: the rows read so far and the size estimate."""
    while True:
        try:
            await asyncio.wait_for(stop.wait(), READ_REPORT_SECONDS)
            return
        except TimeoutError:
            pass
        async with maker() as session, session.begin():
            await session.execute(
                update(LedgerImport)
                .where(LedgerImport.id == import_id)
                .values(read=progress.read, total=max(progress.estimate, progress.read))
            )


def _parse(
    data: bytes, today: Any, progress: ReadProgress
) -> tuple[list[LedgerRow], list[CellError]]:
    rows: list[LedgerRow] = []
    errors: list[CellError] = []
    for number, cells in read_rows(data, progress):
        parsed = parse_row(number, cells, today=today)
        if isinstance(parsed, LedgerRow):
            rows.append(parsed)
        else:
            errors.extend(parsed)
    return rows, errors


def _batches(groups: Sequence[importer.Group]) -> list[list[importer.Group]]:
    batches: list[list[importer.Group]] = [[]]
    size = 0
    for group in groups:
        if size >= BATCH_ROWS:
            batches.append([])
            size = 0
        batches[-1].append(group)
        size += len(group.rows)
    return [batch for batch in batches if batch]


def _error(error: CellError) -> dict[str, Any]:
    # Messages quote cell text; whatever a cell held, the report stays storable and printable.
    return {"row": error.row, "column": error.column, "message": scrub(error.message)[:300]}


async def _job(session: AsyncSession, import_id: uuid.UUID) -> LedgerImport:
    job = await session.get(LedgerImport, import_id, with_for_update=True, populate_existing=True)
    if job is None:
        raise LookupError(f"ledger import {import_id} does not exist")
    return job


async def _start(
    maker: async_sessionmaker[AsyncSession],
    now: datetime,
    security: Security,
    import_id: uuid.UUID,
) -> bytes | None:
    """Mark the import running and open its file; None when there is nothing (left) to do."""
    async with maker() as session, session.begin():
        job = await session.get(LedgerImport, import_id, with_for_update=True)
        if job is None or job.status in ("completed", "failed") or job.file_sealed is None:
            return None
        job.status = "running"
        job.started_at = now
        for name in ("total", "read", "processed", "created_count", "updated_count"):
            setattr(job, name, 0)
        job.unchanged_count = job.duplicate_count = job.rejected_count = job.error_count = 0
        return security.cipher.open_bytes(job.file_sealed, context=FILE_CONTEXT)


async def _progress(
    session: AsyncSession, import_id: uuid.UUID, tally: importer.Tally, rejected: int
) -> None:
    job = await _job(session, import_id)
    job.processed = rejected + tally.processed
    job.created_count = tally.created
    job.updated_count = tally.updated
    job.unchanged_count = tally.unchanged
    job.duplicate_count = tally.duplicates


async def _fail(
    maker: async_sessionmaker[AsyncSession], now: datetime, import_id: uuid.UUID, message: str
) -> None:
    async with maker() as session, session.begin():
        job = await _job(session, import_id)
        job.status = "failed"
        job.failure = message
        job.finished_at = now
        job.file_sealed = None
