"""急需紧缺职业目录 in the console: an admin drafts by the rule, reviews and publishes; the
mini-program's API then shows it; a reviewer reads without the forms."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bureau.market import build_market
from tests.console.test_pages import _flash, _signed_in
from tests.support.clock import installed_clock, local


async def test_an_admin_drafts_reviews_and_publishes_the_catalogue(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    with installed_clock(app, local(2025, 6, 20, 10, 0)):
        await build_market(session, app)
        csrf = await _signed_in(client, session, "admin")
        listing = await client.get("/console/statistics/shortage")
        assert listing.status_code == 200 and 'value="2025-05"' in listing.text  # last month

        future = await client.post(
            "/console/statistics/shortage/drafts", data={"csrf_token": csrf, "month": "2025-09"}
        )
        assert _flash(future)["kind"] == "error"
        drafted = await client.post(
            "/console/statistics/shortage/drafts", data={"csrf_token": csrf, "month": "2025-06"}
        )
        assert drafted.status_code == 303 and "共 2 个职业" in _flash(drafted)["text"]
        path = drafted.headers["location"]
        page = await client.get(path)
        assert re.findall(r'data-item="([^"]+)"', page.text) == ["welder", "electrician"]
        assert 'name="keep:welder"' in page.text

        reviewed = await client.post(
            f"{path}/items", data={"csrf_token": csrf, "keep:electrician": "on"}
        )
        assert "保留 1 个职业" in _flash(reviewed)["text"]
        published = await client.post(f"{path}/publish", data={"csrf_token": csrf})
        assert _flash(published)["kind"] == "ok"
        again = await client.post(f"{path}/publish", data={"csrf_token": csrf})
        assert _flash(again)["kind"] == "error"  # only a draft is published

        public = (await client.get("/api/v1/shortage-occupations")).json()
        assert public["status"] == "published" and public["month"] == "2025-06"
        assert [i["code"] for i in public["items"]] == ["electrician"]
        after = await client.get(path)
        assert 'data-status="published"' in after.text and "keep:" not in after.text


async def test_a_reviewer_reads_the_catalogues_without_the_forms(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    csrf = await _signed_in(client, session, "reviewer")
    page = await client.get("/console/statistics/shortage")
    assert page.status_code == 200
    assert 'data-action="draft"' not in page.text and "由管理员操作" in page.text
    missing = await client.get("/console/statistics/shortage/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404 and "未找到" in missing.text
    refused = await client.post(
        "/console/statistics/shortage/drafts", data={"csrf_token": csrf, "month": "2025-05"}
    )
    assert refused.status_code == 403
