"""Workbooks, people and uploads for the people-ledger tests."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import httpx
from fastapi import FastAPI
from openpyxl import Workbook
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.queue import TaskRuntime
from app.people_ledger.columns import COLUMNS
from tests.identity.helpers import id_number
from tests.support.clock import FakeClock
from tests.support.factories import auth, make_staff
from tests.support.queue import run_jobs

HEADERS = [column.header for column in COLUMNS]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# People of the tests (150602 = 东胜区). Ages are on 2025-07-15.
GRADUATE_ID = id_number(birth="20010315", seq="121")  # 24, a man
VETERAN_ID = id_number(birth="19850620", seq="232")  # 40, a woman
OLDER_ID = id_number(birth="19600101", seq="341")  # 65, a man


def workbook(rows: Sequence[dict[str, Any] | None], *, headers: Sequence[str] = HEADERS) -> bytes:
    """A workbook shaped like the template; ``None`` is a blank row."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "人员清单"
    sheet.append(list(headers))
    for row in rows:
        sheet.append([None if row is None else row.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def person(name: str, number: str, categories: str, **cells: Any) -> dict[str, Any]:
    return {"姓名": name, "身份证号码": number, "人员类别": categories, **cells}


async def upload(
    client: httpx.AsyncClient, headers: dict[str, str], data: bytes, name: str = "台账.xlsx"
) -> httpx.Response:
    return await client.post(
        "/api/v1/admin/people-ledger/imports",
        files={"file": (name, data, XLSX)},
        headers=headers,
    )


async def import_file(
    client: httpx.AsyncClient,
    session: AsyncSession,
    runtime: TaskRuntime,
    clock: FakeClock,
    headers: dict[str, str],
    data: bytes,
) -> dict[str, Any]:
    """Upload, run the worker's job in-process, and answer the import's report."""
    accepted = await upload(client, headers, data)
    assert accepted.status_code == 202, accepted.text
    assert accepted.json()["status"] == "queued"
    ran = await run_jobs(
        session, replace(runtime, clock=clock), tasks=["people_ledger:import_people"]
    )
    assert [job.error for job in ran] == [None]
    report = await client.get(
        f"/api/v1/admin/people-ledger/imports/{accepted.json()['id']}", headers=headers
    )
    assert report.status_code == 200, report.text
    body: dict[str, Any] = report.json()
    return body


async def ledger_ids(
    client: httpx.AsyncClient, headers: dict[str, str], **params: Any
) -> list[str]:
    page = await client.get("/api/v1/admin/people-ledger", params=params, headers=headers)
    assert page.status_code == 200, page.text
    return [item["id"] for item in page.json()["items"]]


async def imported_ledger(
    client: httpx.AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    runtime: TaskRuntime,
    clock: FakeClock,
    rows: list[dict[str, object]],
) -> dict[str, str]:
    """``rows`` imported by a new admin without a rejected row; the admin's headers."""
    headers = auth(app, await make_staff(session, roles=("admin",)))
    report = await import_file(client, session, runtime, clock, headers, workbook(rows))
    assert report["rejected"] == 0, report["errors"]
    return headers
