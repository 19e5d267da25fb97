"""岗位清单 in the console: the API's list and groups, and follow-ups recorded from the page."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from tests.applications.helpers import make_employer
from tests.bureau.market import market_job
from tests.console.test_pages import _flash, _signed_in
from tests.support.clock import installed_clock, local
from tests.support.factories import auth, make_staff, make_user


async def test_a_station_clerk_follows_up_a_posting_nobody_fills(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    with installed_clock(app, local(2025, 6, 15, 10, 0)):
        owner = await make_user(session, app)
        employer = await make_employer(session, owner, name="示例电力公司")
        old = await market_job(session, employer, "electrician", 3, local(2025, 4, 1, 9, 0))
        quiet = await market_job(
            session, employer, "courier", 2, local(2025, 6, 10, 9, 0), area="gongyuan"
        )
        api_staff = auth(app, await make_staff(session, roles=("station",)))
        api = (await client.get("/api/v1/admin/vacancies", headers=api_staff)).json()
        csrf = await _signed_in(client, session, "station")

        page = await client.get("/console/vacancies")

        assert page.status_code == 200, page.text
        assert 'data-menu="vacancies"' in page.text
        assert f"data-total>{api['total']}<" in page.text
        listed = re.findall(r'data-vacancy="([^"]+)"', page.text)
        assert listed == [item["id"] for item in api["items"]] == [str(old.id), str(quiet.id)]
        assert "久未招满" in page.text and "投递少" in page.text

        refused = await client.post(
            f"/console/vacancies/job/{old.id}/follow-ups",
            data={"csrf_token": csrf, "action": "teleport"},
        )
        assert _flash(refused)["kind"] == "error"
        done = await client.post(
            f"/console/vacancies/job/{old.id}/follow-ups",
            data={"csrf_token": csrf, "action": "fair", "note": "推送到六月招聘会"},
        )
        assert done.status_code == 303
        flash = _flash(done)
        assert flash["kind"] == "ok" and "推送招聘会" in flash["text"] and flash["next"]
        recorded = (
            await client.get(f"/api/v1/admin/vacancies/job/{old.id}/follow-ups", headers=api_staff)
        ).json()["items"]
        assert [(f["action"], f["note"]) for f in recorded] == [("fair", "推送到六月招聘会")]
        again = await client.get("/console/vacancies", params={"kind": "job"})
        assert 'data-follow-ups="1"' in again.text and "最近：推送招聘会" in again.text


async def test_the_list_is_not_for_staff_without_a_field_role(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _signed_in(client, session, "liaison")
    page = await client.get("/console/vacancies")
    assert page.status_code == 403
    assert 'data-menu="vacancies"' not in page.text
