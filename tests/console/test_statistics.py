"""统计报表 in the console: the targets dashboard and the printable monthly and quarterly reports
show the numbers the API answers, and the workbooks download from the console session."""

from __future__ import annotations

import io
import re

import httpx
from fastapi import FastAPI
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bureau.conftest import make_liaison
from tests.bureau.market import build_market
from tests.console.test_pages import _signed_in
from tests.support.clock import installed_clock, local
from tests.support.factories import auth, make_staff


async def test_dashboard_and_reports_agree_with_the_api(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    with installed_clock(app, local(2025, 6, 20, 10, 0)):
        admin = auth(app, await make_staff(session))
        hrss = auth(app, await make_liaison(session, "区人社局"))
        for month, value in [("2025-04", 500), ("2025-05", 600)]:
            entered = await client.put(
                f"/api/v1/admin/targets/new_urban_employment/entries/{month}",
                json={"value": value},
                headers=admin,
            )
            assert entered.status_code == 200, entered.text
        progress = await client.put(
            "/api/v1/admin/measures/6/progress/2025-06",
            json={"summary": "第6项进展：走访企业12家"},
            headers=hrss,
        )
        assert progress.status_code == 200, progress.text
        await _signed_in(client, session, "reviewer")

        page = await client.get("/console/statistics")
        assert page.status_code == 200, page.text
        assert 'data-menu="statistics"' in page.text and "（建设中）" not in page.text
        entered = re.search(r'data-value="new_urban_employment">([^<]+)<', page.text)
        assert entered and entered.group(1) == "1100"
        assert page.text.count('class="bar"') == 2  # the two entered months, drawn as SVG bars
        assert "<script" not in page.text.split("</head>")[1].split("console.js")[0]

        monthly = await client.get("/console/statistics/monthly", params={"month": "2025-06"})
        api = (
            await client.get(
                "/api/v1/admin/reports/monthly", params={"month": "2025-06"}, headers=admin
            )
        ).json()
        assert "第6项进展：走访企业12家" in monthly.text
        assert f"本月进展填报 {api['entries_total']} 条" in monthly.text
        for figure in api["platform"]:
            assert f'data-figure="{figure["key"]}">{figure["value"]}<' in monthly.text

        download = await client.get("/console/statistics/monthly.xlsx", params={"month": "2025-06"})
        assert download.status_code == 200
        assert download.headers["content-disposition"].startswith("attachment;")
        book = load_workbook(io.BytesIO(download.content))
        assert book.sheetnames

        quarterly = await client.get("/console/statistics/quarterly", params={"quarter": "2025-Q2"})
        api_q = (
            await client.get(
                "/api/v1/admin/reports/quarterly", params={"quarter": "2025-Q2"}, headers=admin
            )
        ).json()
        assert f'data-total="entries">{api_q["totals"]["entries"]}<' in quarterly.text
        flagged = set(re.findall(r'data-flagged="(\d+)"', quarterly.text))
        assert flagged == {str(n) for n in api_q["measures_without_progress"]}
        assert "6" not in flagged
        xlsx = await client.get("/console/statistics/quarterly.xlsx", params={"quarter": "2025-Q2"})
        assert xlsx.status_code == 200

        bad = await client.get("/console/statistics/monthly", params={"month": "2025-13"})
        assert bad.status_code in (400, 422)


async def test_a_station_clerk_is_refused_the_statistics(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _signed_in(client, session, "station")
    refused = await client.get("/console/statistics")
    assert refused.status_code == 403
    assert 'data-menu="statistics"' not in (await client.get("/console")).text


async def test_supply_demand_page_shows_the_api_figures(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    with installed_clock(app, local(2025, 6, 20, 10, 0)):
        await build_market(session, app)
        staff = auth(app, await make_staff(session, roles=("reviewer",)))
        params = {"month": "2025-05", "months": 3}
        api = (await client.get("/api/v1/admin/supply-demand", params=params, headers=staff)).json()
        await _signed_in(client, session, "reviewer")

        page = await client.get("/console/statistics/supply-demand", params=params)

        assert page.status_code == 200, page.text
        assert "人力资源市场供求分析 · 2025-05" in page.text
        for row in api["occupations"]:
            shown = re.search(rf'data-ratio="{row["code"]}">([^<]+)<', page.text)
            expected = "—" if row["ratio"] is None else f"{row['ratio']:.2f}"
            assert shown and shown.group(1) == expected, row["code"]
            assert f'data-openings="{row["code"]}">{row["openings"]}<' in page.text
        assert 'data-ratio="electrician">3.00<' in page.text
        assert 'data-ratio="welder">—<' in page.text  # no seeker at all
        trend = re.search(r'data-trend="welder">(.*?)</tr>', page.text)
        assert trend and trend.group(1).count("<td") == 1 + 3
        dashboard = await client.get("/console/statistics")
        assert "/console/statistics/supply-demand?month=2025-06" in dashboard.text

        bad = await client.get("/console/statistics/supply-demand", params={"months": 13})
        assert bad.status_code in (400, 422)
