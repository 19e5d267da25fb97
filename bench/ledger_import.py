"""Import a generated people ledger through the real worker and print rows per second.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dsjobs_bench \
        .venv/bin/python -m bench.ledger_import --rows 20000

Migrates the database, writes a workbook of ``--rows`` valid people shaped like the template
(every tenth row repeats an earlier ID number, so merging is exercised), deletes the ledger's
people left by an earlier run, queues the import as ``POST /imports`` does
(``app.people_ledger.service.start_import``: size, type and header checks, the sealed file, the
job in the same transaction), then runs ``app.worker.run_worker`` until the queue is empty while
sampling the import's progress once a second. ``--again`` imports the same file a second time
(everything ``unchanged``). Use a scratch database: the run deletes every ledger person.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import time
import uuid

from openpyxl import Workbook
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core import migrate
from app.core.config import get_settings
from app.core.db import create_engine
from app.core.security import Security, hash_password
from app.identity.idcard import check_character
from app.identity.models import StaffAccount
from app.people_ledger import service
from app.people_ledger.columns import COLUMNS
from app.people_ledger.models import LedgerImport, LedgerPerson
from app.worker import run_worker

CATEGORIES = ("离校未就业高校毕业生", "登记失业人员", "就业困难人员、登记失业人员", "退役军人")
AREAS = ("交通街道", "公园街道", "林荫街道", "罕台镇", "铜川镇")
OCCUPATIONS = ("快递员", "外卖骑手", "电工", "保安员", "收银员")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


def _id_number(n: int) -> str:
    """Distinct valid numbers for n < 420,000: the birth date cycles every 420, the sequence
    counts the cycles (adults of 26–40 on any day of 2025–2026)."""
    year, month, day = 1985 + n % 15, 1 + n % 12, 1 + n % 28
    body = f"150602{year}{month:02d}{day:02d}{n // 420 % 1000:03d}"
    return body + check_character(body)


def build_workbook(rows: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("人员清单")
    sheet.append([column.header for column in COLUMNS])
    for n in range(rows):
        person = n - 9 if n % 10 == 9 else n  # every tenth row repeats the row nine above
        name = SURNAMES[person % len(SURNAMES)] + GIVEN[person // 7 % len(GIVEN)]
        values = {
            "姓名": name,
            "身份证号码": _id_number(person),
            "手机号码": f"138{person:08d}",
            "人员类别": CATEGORIES[person % len(CATEGORIES)],
            "就业状态": "求职中",
            "所在镇街": AREAS[person % len(AREAS)],
            "求职意向": OCCUPATIONS[person % len(OCCUPATIONS)],
            "学历": "本科",
            "纳入台账日期": "2025-07-15",
        }
        sheet.append([values.get(column.header) for column in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def _queue(session: AsyncSession, security: Security, data: bytes) -> uuid.UUID:
    staff = await session.scalar(
        select(StaffAccount).where(StaffAccount.username == "bench.ledger")
    )
    if staff is None:
        staff = StaffAccount(
            username="bench.ledger",
            display_name="压测",
            password_hash=hash_password(uuid.uuid4().hex),
            roles=["admin"],
        )
        session.add(staff)
        await session.flush()
    job = await service.start_import(
        session, security, data=data, file_name="bench.xlsx", actor=staff
    )
    return job.id


async def _import(url: str, data: bytes) -> None:
    settings = get_settings()
    security = Security.from_settings(settings.security)
    engine = create_engine(settings, url)
    try:
        async with AsyncSession(engine) as session, session.begin():
            import_id = await _queue(session, security, data)
        started = time.perf_counter()
        worker = asyncio.create_task(run_worker(settings, url, concurrency=1, wait=False))
        while not worker.done():
            await asyncio.sleep(1)
            async with AsyncSession(engine) as session:
                job = await session.get(LedgerImport, import_id)
                assert job is not None
                print(
                    f"  {time.perf_counter() - started:6.1f} s  {job.status:9}"
                    f" read {job.read:>6} / {job.total}  written {job.processed:>6} / {job.total}"
                )
        await worker
        elapsed = time.perf_counter() - started
        async with AsyncSession(engine) as session:
            job = await session.get(LedgerImport, import_id)
            assert job is not None
        print(
            f"{job.status}: {job.total} rows in {elapsed:.1f} s = {job.total / elapsed:,.0f} rows/s"
            f" (created {job.created_count}, updated {job.updated_count},"
            f" unchanged {job.unchanged_count}, duplicates {job.duplicate_count},"
            f" rejected {job.rejected_count})"
        )
    finally:
        await engine.dispose()


async def _clear(url: str) -> None:
    engine = create_engine(get_settings(), url)
    try:
        async with AsyncSession(engine) as session, session.begin():
            await session.execute(delete(LedgerPerson))
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--again", action="store_true", help="import the same file twice")
    args = parser.parse_args()
    settings = get_settings()
    url = settings.database.url
    if not url:
        raise SystemExit("set DATABASE_URL to a scratch database")
    migrate.upgrade(url)
    began = time.perf_counter()
    data = build_workbook(args.rows)
    print(
        f"workbook: {args.rows} rows, {len(data) / 1e6:.1f} MB, {time.perf_counter() - began:.1f} s"
    )
    asyncio.run(_clear(url))
    asyncio.run(_import(url, data))
    if args.again:
        asyncio.run(_import(url, data))


if __name__ == "__main__":
    main()
