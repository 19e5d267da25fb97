"""Importing the ledger from Excel: the exact report, merging, idempotency, refused uploads."""

from __future__ import annotations

import io
from dataclasses import replace

import httpx
import pytest
from fastapi import FastAPI
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.queue import TaskRuntime
from app.people_ledger import tasks, views
from app.people_ledger.columns import MAX_FILE_BYTES
from app.people_ledger.models import LedgerImport, LedgerPerson
from app.people_ledger.tasks import FILE_CONTEXT
from tests.identity.helpers import id_number
from tests.people_ledger.helpers import (
    GRADUATE_ID,
    HEADERS,
    OLDER_ID,
    VETERAN_ID,
    XLSX,
    import_file,
    person,
    upload,
    workbook,
)
from tests.support.clock import FakeClock
from tests.support.factories import auth, make_staff
from tests.support.queue import run_jobs

BAD_CHECK_DIGIT = GRADUATE_ID[:17] + ("0" if GRADUATE_ID[17] != "0" else "1")

MIXED = workbook(
    [
        person(
            "张三",
            GRADUATE_ID,
            "离校未就业高校毕业生",
            手机号码="13800000001",
            所在镇街="交通街道",
            求职意向="快递员",
            学历="本科",
            毕业院校="内蒙古大学",
            毕业时间="2025-06-30",
            纳入台账日期="2025/7/15",
        ),
        person("李四", VETERAN_ID, "退役军人、登记失业人员", 就业状态="求职中"),
        person("王五", BAD_CHECK_DIGIT, "登记失业人员", 手机号码="1234"),
        person("张三", GRADUATE_ID, "16—24岁青年", 手机号码="13800000009"),
        None,
        person("李四四", VETERAN_ID, "退役军人"),
        person("赵六", id_number(birth="19850101", seq="451"), "青年、火星人"),
        {"身份证号码": OLDER_ID},
        person("孙七", 150602199001011234, "登记失业人员"),
    ]
)

MIXED_ERRORS = [
    {"row": 4, "column": "身份证号码", "message": "身份证号码校验位不正确，请核对后重新输入"},
    {"row": 4, "column": "手机号码", "message": "手机号码应为以1开头的11位数字"},
    {"row": 7, "column": "姓名", "message": "与第 3 行身份证号码相同，但姓名不同"},
    {"row": 8, "column": "人员类别", "message": "人员类别“火星人”不在可选范围内"},
    {
        "row": 8,
        "column": "人员类别",
        "message": "按身份证出生日期，纳入台账时40岁，不属于16—24岁青年",
    },
    {"row": 9, "column": "姓名", "message": "姓名不能为空"},
    {"row": 9, "column": "人员类别", "message": "人员类别不能为空"},
    {
        "row": 10,
        "column": "身份证号码",
        "message": "身份证号码被存成了数字（后几位已丢失），请把该列设为文本格式后重新填写",
    },
]


def _counts(report: dict[str, object]) -> dict[str, object]:
    keys = ("status", "total", "processed", "created", "updated", "unchanged", "duplicates")
    return {key: report[key] for key in (*keys, "rejected")}


async def test_a_mixed_workbook_gives_the_exact_report_and_a_reimport_changes_nothing(
    client: httpx.AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    task_runtime: TaskRuntime,
    clock: FakeClock,
) -> None:
    headers = auth(app, await make_staff(session, roles=("admin",)))
    report = await import_file(client, session, task_runtime, clock, headers, MIXED)
    assert _counts(report) == {
        "status": "completed",
        "total": 8,
        "processed": 8,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "duplicates": 1,
        "rejected": 5,
    }
    assert report["errors"] == MIXED_ERRORS
    assert (report["error_count"], report["errors_truncated"]) == (8, False)
    assert await session.scalar(select(func.count()).select_from(LedgerPerson)) == 2
    # The duplicate row merged into the first: categories united, the later phone kept.
    page = await client.get(
        "/api/v1/admin/people-ledger", params={"id_number": GRADUATE_ID}, headers=headers
    )
    (graduate,) = page.json()["items"]
    assert graduate["categories"] == ["unemployed_graduate", "youth"]
    assert graduate["category_names"] == ["离校未就业高校毕业生", "16—24岁青年"]
    assert graduate["phone_masked"] == "138****0009"
    assert graduate["registered_on"] == "2025-07-15"
    assert (graduate["area_name"], graduate["occupation_name"]) == ("交通街道", "快递员")
    # The file is not kept once read.
    sealed = await session.scalars(select(LedgerImport.file_sealed))
    assert list(sealed) == [None]

    again = await import_file(client, session, task_runtime, clock, headers, MIXED)
    assert _counts(again) == {
        "status": "completed",
        "total": 8,
        "processed": 8,
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "duplicates": 1,
        "rejected": 5,
    }
    assert again["errors"] == MIXED_ERRORS
    listed = await client.get("/api/v1/admin/people-ledger/imports", headers=headers)
    # (one test transaction: both have the same created_at, so only the set is certain)
    assert {item["id"] for item in listed.json()["items"]} == {again["id"], report["id"]}
    assert "errors" not in listed.json()["items"][0]


async def test_a_clean_file_imported_twice_is_unchanged_row_for_row_and_updates_merge(
    client: httpx.AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    task_runtime: TaskRuntime,
    clock: FakeClock,
) -> None:
    headers = auth(app, await make_staff(session, roles=("admin",)))
    clean = workbook(
        [
            person("张三", GRADUATE_ID, "离校未就业高校毕业生", 纳入台账日期="2025-07-15"),
            person("李四", VETERAN_ID, "退役军人"),
            person("周八", OLDER_ID, "超龄有就业意愿人员", 手机号码="139 0000 0003"),
        ]
    )
    first = await import_file(client, session, task_runtime, clock, headers, clean)
    assert (first["created"], first["errors"]) == (3, [])
    second = await import_file(client, session, task_runtime, clock, headers, clean)
    assert (second["unchanged"], second["created"], second["updated"]) == (3, 0, 0)
    # A later table for one of them: new phone and category, blank cells clear nothing.
    later = workbook([person("李四", VETERAN_ID, "就业困难人员", 手机号码="13700000004")])
    third = await import_file(client, session, task_runtime, clock, headers, later)
    assert (third["updated"], third["created"], third["unchanged"]) == (1, 0, 0)
    veteran = await session.scalar(
        select(LedgerPerson).where(LedgerPerson.categories.contains(["veteran"]))
    )
    assert veteran is not None
    assert veteran.categories == ["veteran", "hard_to_employ"]
    assert veteran.registered_on.isoformat() == "2025-12-01"  # the import day, unchanged
    assert await session.scalar(select(func.count()).select_from(LedgerPerson)) == 3


async def test_the_template_has_the_headers_notes_and_lists(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    headers = auth(app, await make_staff(session, roles=("admin",)))
    response = await client.get("/api/v1/admin/people-ledger/template.xlsx", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["人员清单", "代码表", "填写说明"]
    sheet = book["人员清单"]
    assert [cell.value for cell in sheet[1]] == HEADERS
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert len(lists) == 5
    assert book["代码表"].sheet_state == "hidden"
    assert "顿号" in str(book["填写说明"]["C7"].value)


async def test_garbage_uploads_are_refused_in_chinese(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    headers = auth(app, await make_staff(session, roles=("admin",)))
    cases = [
        (b"", 422, "people_ledger.file_empty"),
        ("name,id\n张三,1\n".encode(), 415, "people_ledger.file_type"),
        (b"PK\x03\x04 not really a zip", 422, "people_ledger.file_unreadable"),
        (b"PK\x03\x04" + b"\0" * MAX_FILE_BYTES, 413, "people_ledger.file_too_large"),
        (workbook([]), 422, "people_ledger.no_rows"),
        (workbook([None, None]), 422, "people_ledger.no_rows"),
        (
            workbook([{"姓名": "张三"}], headers=["姓名", "手机"]),
            422,
            "people_ledger.headers_missing",
        ),
    ]
    for data, status, code in cases:
        response = await upload(client, headers, data)
        body = response.json()
        assert (response.status_code, body["code"]) == (status, code), body
        assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])
    missing = await upload(client, headers, workbook([{"姓名": "张三"}], headers=["姓名"]))
    assert missing.json()["message"] == (
        "第 1 行缺少必填列：身份证号码、人员类别。请使用导入模板，不要修改列名"
    )
    assert await session.scalar(select(func.count()).select_from(LedgerImport)) == 0


async def test_too_many_rows_are_refused(
    client: httpx.AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import app.people_ledger.workbook as workbook_module

    headers = auth(app, await make_staff(session, roles=("admin",)))
    monkeypatch.setattr(workbook_module, "MAX_ROWS", 2)
    rows = [person("张三", GRADUATE_ID, "登记失业人员")] * 3
    response = await upload(client, headers, workbook(rows))
    assert (response.status_code, response.json()["code"]) == (422, "people_ledger.too_many_rows")
    assert "超过每次 2 行" in response.json()["message"]


async def test_the_upload_is_sealed_at_rest_and_a_worker_refusal_fails_the_import(
    client: httpx.AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    task_runtime: TaskRuntime,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import app.people_ledger.workbook as workbook_module

    headers = auth(app, await make_staff(session, roles=("admin",)))
    data = workbook([person("张三", GRADUATE_ID, "登记失业人员")] * 3)
    accepted = await upload(client, headers, data)
    sealed = await session.scalar(select(LedgerImport.file_sealed))
    assert sealed is not None and b"PK\x03\x04" not in sealed and "张三".encode() not in sealed
    assert app.state.security.cipher.open_bytes(sealed, context=FILE_CONTEXT) == data
    # Rows counted while reading (a file may carry no size record): over the cap, the import fails.
    monkeypatch.setattr(workbook_module, "MAX_ROWS", 2)
    await run_jobs(session, replace(task_runtime, clock=clock))
    url = f"/api/v1/admin/people-ledger/imports/{accepted.json()['id']}"
    report = (await client.get(url, headers=headers)).json()
    assert (report["status"], report["status_name"]) == ("failed", "导入失败")
    assert report["failure"] == "文件超过每次 2 行的上限，请拆分后导入"
    assert await session.scalar(select(LedgerImport.file_sealed)) is None
    assert await session.scalar(select(func.count()).select_from(LedgerPerson)) == 0


async def test_a_long_error_list_is_cut_and_says_so(
    client: httpx.AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    task_runtime: TaskRuntime,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tasks, "MAX_REPORTED_ERRORS", 3)
    monkeypatch.setattr(views, "MAX_REPORTED_ERRORS", 3)
    headers = auth(app, await make_staff(session, roles=("admin",)))
    rows = [person("张三", "123", "登记失业人员") for _ in range(5)]
    report = await import_file(client, session, task_runtime, clock, headers, workbook(rows))
    assert (report["rejected"], report["error_count"], len(report["errors"])) == (5, 5, 3)
    assert report["errors_truncated"] is True


async def test_a_hostile_file_name_is_scrubbed_not_stored(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    headers = auth(app, await make_staff(session, roles=("admin",)))
    data = workbook([person("张三", GRADUATE_ID, "登记失业人员")])
    accepted = await upload(client, headers, data, name="台账\x00\ufffe.xlsx")
    assert accepted.status_code == 202, accepted.text
    stored = await session.scalar(select(LedgerImport.file_name))
    assert stored == "台账%00\ufffd.xlsx"  # httpx percent-encodes the NUL itself
