"""Liaisons' progress per measure, the 月调度 and 季通报 reports, and their workbooks."""

from __future__ import annotations

from datetime import date

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditRecord
from app.bureau.plan import measures, units
from tests.bureau.conftest import make_course, make_event, make_liaison, read_workbook
from tests.support.clock import FakeClock, local
from tests.support.factories import auth, make_staff


async def test_admin_creates_liaisons_bound_to_a_plan_unit(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    admin = auth(app, await make_staff(session))
    body = {"username": "liaison.edu", "display_name": "教体局联络员", "password": "x" * 12}
    missing = await client.post(
        "/api/v1/admin/staff", json=body | {"roles": ["liaison"]}, headers=admin
    )
    assert (missing.status_code, missing.json()["code"]) == (422, "staff.unit_required")
    unknown = await client.post(
        "/api/v1/admin/staff", json=body | {"roles": ["liaison"], "unit": "火星局"}, headers=admin
    )
    assert (unknown.status_code, unknown.json()["code"]) == (422, "staff.unit_unknown")
    created = await client.post(
        "/api/v1/admin/staff", json=body | {"roles": ["liaison"], "unit": "区教体局"}, headers=admin
    )
    assert created.status_code == 201, created.text
    assert (created.json()["roles"], created.json()["unit"]) == (["liaison"], "区教体局")


async def test_liaisons_enter_progress_only_for_their_units_measures(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    edu = auth(app, await make_liaison(session, "区教体局"))
    url = "/api/v1/admin/measures/{no}/progress/{month}"
    led = await client.put(
        url.format(no=20, month="2025-06"), json={"summary": "订单班 3 个"}, headers=edu
    )
    assert led.status_code == 200, led.text
    assert (led.json()["unit"], led.json()["measure_no"]) == ("区教体局", 20)
    shared = await client.put(
        url.format(no=10, month="2025-05"), json={"summary": "座谈"}, headers=edu
    )
    assert shared.status_code == 200
    every_sector = await client.put(
        url.format(no=7, month="2025-06"), json={"summary": "推广"}, headers=edu
    )
    assert every_sector.status_code == 200
    foreign = await client.put(
        url.format(no=1, month="2025-06"), json={"summary": "x"}, headers=edu
    )
    assert (foreign.status_code, foreign.json()["code"]) == (403, "bureau.measure_not_of_unit")
    future = await client.put(
        url.format(no=20, month="2025-07"), json={"summary": "x"}, headers=edu
    )
    assert future.status_code == 422
    unknown = await client.put(
        url.format(no=24, month="2025-06"), json={"summary": "x"}, headers=edu
    )
    assert unknown.status_code == 404
    station = auth(app, await make_staff(session, roles=("station",)))
    refused = await client.put(
        url.format(no=20, month="2025-06"), json={"summary": "x"}, headers=station
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "auth.role_missing")
    corrected = await client.put(
        url.format(no=20, month="2025-06"), json={"summary": "订单班 4 个"}, headers=edu
    )
    assert corrected.json()["summary"] == "订单班 4 个"
    audits = (
        await session.scalars(
            select(AuditRecord)
            .where(AuditRecord.action == "bureau.progress_entered")
            .order_by(AuditRecord.created_at)
        )
    ).all()
    assert audits[-1].details == {"before": "订单班 3 个", "after": "订单班 4 个"}

    listed = (await client.get("/api/v1/admin/measures", headers=edu)).json()
    assert [m["no"] for m in listed["items"]] == list(range(1, 24))
    assert listed["items"][19]["lead"] == "区教体局"
    assert "区市场监督管理局" in listed["units"] and "区市场局" not in listed["units"]


async def test_monthly_report_and_its_workbook_agree(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    hrss = auth(app, await make_liaison(session, "区人社局"))
    edu = auth(app, await make_liaison(session, "区教体局"))
    url = "/api/v1/admin/measures/{no}/progress/2025-06"
    for headers, no in [(hrss, 6), (edu, 10), (hrss, 10), (hrss, 16)]:
        response = await client.put(
            url.format(no=no), json={"summary": f"第{no}项进展"}, headers=headers
        )
        assert response.status_code == 200
    # The first of June at 00:10 Beijing time is still 31 May in UTC: it counts for June.
    await make_event(session, local(2025, 6, 1, 0, 10))
    await make_event(session, local(2025, 5, 31, 23, 50))
    await make_course(session, date(2025, 6, 3))
    admin = auth(app, await make_staff(session))
    await client.put(
        "/api/v1/admin/targets/new_urban_employment/entries/2025-05",
        json={"value": 600},
        headers=admin,
    )

    report = (
        await client.get(
            "/api/v1/admin/reports/monthly", params={"month": "2025-06"}, headers=admin
        )
    ).json()
    rows = {r["no"]: r for r in report["measures"]}
    assert rows[10]["entry_count"] == 2
    assert [e["unit"] for e in rows[10]["entries"]] == ["区人社局", "区教体局"]
    assert "区财政局" in rows[10]["missing_units"] and "区教体局" not in rows[10]["missing_units"]
    assert report["entries_total"] == 4
    platform = {f["key"]: f["value"] for f in report["platform"]}
    assert platform["events_held"] == 1
    assert platform["trainings_started"] == 1
    assert {f["source"] for f in report["platform"]} == {"platform"}
    assert report["targets"]["through_month"] == "2025-06"

    xlsx = await client.get(
        "/api/v1/admin/reports/monthly.xlsx", params={"month": "2025-06"}, headers=admin
    )
    assert xlsx.status_code == 200
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = read_workbook(xlsx.content)
    sheet = book["措施进展"]
    total_row = sheet.max_row
    assert sheet.cell(total_row, 1).value == "合计"
    assert sheet.cell(total_row, 5).value == f"=SUM(E2:E{total_row - 1})"
    inputs = [sheet.cell(r, 5).value for r in range(2, total_row)]
    assert sum(inputs) == report["entries_total"]
    assert [sheet.cell(r, 1).value for r in range(2, total_row)] == [m.no for m in measures()]
    figures = book["平台数据"]
    assert [
        (figures.cell(r, 1).value, figures.cell(r, 2).value) for r in range(2, figures.max_row + 1)
    ] == [(f["label"], f["value"]) for f in report["platform"]]
    entered = book["城镇新增就业填报"]
    assert entered.cell(entered.max_row, 2).value == "=SUM(B2:B2)"
    assert entered.cell(2, 2).value == 600
    employment = report["targets"]["items"][0]
    assert employment["value"] == 600


async def test_quarterly_notice_compares_units_and_flags_measures(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    edu = auth(app, await make_liaison(session, "区教体局"))
    url = "/api/v1/admin/measures/{no}/progress/{month}"
    for no, month in [(20, "2025-04"), (20, "2025-05"), (10, "2025-06"), (7, "2025-06")]:
        response = await client.put(
            url.format(no=no, month=month), json={"summary": "进展"}, headers=edu
        )
        assert response.status_code == 200
    staff = auth(app, await make_staff(session, roles=("reviewer",)))
    report = (
        await client.get(
            "/api/v1/admin/reports/quarterly", params={"quarter": "2025-Q2"}, headers=staff
        )
    ).json()
    assert report["quarter"] == "2025-Q2"
    assert report["months"] == ["2025-04", "2025-05", "2025-06"]
    by_unit = {u["unit"]: u for u in report["units"]}
    edu_row = by_unit["区教体局"]
    named = [m for m in measures() if "区教体局" in m.named_units()]
    assert edu_row["measures_led"] == 1  # measure 20
    assert edu_row["measures_shared"] == len(named) - 1
    assert edu_row["entries"] == 4  # measure 7 counts as an entry (各行业部门) but was not expected
    assert edu_row["months_expected"] == 3 * len(named)
    assert edu_row["months_missing"] == 3 * len(named) - 3
    assert by_unit["区财政局"]["entries"] == 0
    assert [u["unit"] for u in report["units"]] == list(units())
    assert report["measures_without_progress"] == [
        m.no for m in measures() if m.no not in (7, 10, 20)
    ]
    totals = report["totals"]
    assert totals["entries"] == 4

    # The current quarter counts only the months that have begun (now: 15 June 2025).
    q3 = (
        await client.get(
            "/api/v1/admin/reports/quarterly", params={"quarter": "2025-Q3"}, headers=staff
        )
    ).json()
    assert q3["months"] == [] and q3["totals"]["months_expected"] == 0

    xlsx = await client.get(
        "/api/v1/admin/reports/quarterly.xlsx", params={"quarter": "2025-Q2"}, headers=staff
    )
    assert xlsx.status_code == 200
    sheet = read_workbook(xlsx.content)["单位对比"]
    last = sheet.max_row
    assert sheet.cell(last, 1).value == "合计"
    for column, key in [(4, "entries"), (5, "months_expected"), (6, "months_missing")]:
        letter = "DEF"[column - 4]
        assert sheet.cell(last, column).value == f"=SUM({letter}2:{letter}{last - 1})"
        assert sum(sheet.cell(r, column).value for r in range(2, last)) == totals[key]
    for quarter in ("2025-Q5", "0000-Q1", "2025Q1"):
        bad = await client.get(
            "/api/v1/admin/reports/quarterly", params={"quarter": quarter}, headers=staff
        )
        assert bad.status_code == 422
