"""人员清单 in the console: the masked list with the year's figures, one person, and a follow-up
recorded by a station clerk (the same functions as the API); a reviewer reads without the form."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.queue import TaskRuntime
from app.people_ledger.models import LedgerPerson
from tests.console.test_pages import _flash, _signed_in
from tests.people_ledger.helpers import GRADUATE_ID, VETERAN_ID, imported_ledger, person
from tests.support.clock import FakeClock

BASE = "/api/v1/admin/people-ledger"


async def test_a_station_clerk_reads_the_ledger_and_records_a_follow_up(
    client: httpx.AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    task_runtime: TaskRuntime,
    clock: FakeClock,
) -> None:
    rows = [
        person("张三丰", GRADUATE_ID, "离校未就业高校毕业生", 手机号码="13812345678"),
        person("李四", VETERAN_ID, "退役军人"),
    ]
    admin = await imported_ledger(client, session, app, task_runtime, clock, rows)
    stats = (await client.get(f"{BASE}/stats", headers=admin)).json()
    csrf = await _signed_in(client, session, "station")

    page = await client.get("/console/ledger")

    assert page.status_code == 200, page.text
    assert f"data-ledger-total>{stats['total']}<" in page.text
    assert len(re.findall(r'data-person="', page.text)) == 2
    assert "张**" in page.text and "张三丰" not in page.text and GRADUATE_ID not in page.text
    graduates = await client.get("/console/ledger", params={"category": "unemployed_graduate"})
    assert len(re.findall(r'data-person="', graduates.text)) == 1
    everyone = await client.get("/console/ledger", params={"category": "", "status": ""})
    assert len(re.findall(r'data-person="', everyone.text)) == 2

    person_id = await session.scalar(
        select(LedgerPerson.id).where(
            LedgerPerson.id_number_hash
            == app.state.security.hasher.digest(GRADUATE_ID, purpose="id_number")
        )
    )
    path = f"/console/ledger/{person_id}"
    empty = await client.post(f"{path}/follow-ups", data={"csrf_token": csrf, "kind": "hired"})
    assert _flash(empty)["kind"] == "error"  # what was done is required
    done = await client.post(
        f"{path}/follow-ups",
        data={"csrf_token": csrf, "kind": "hired", "note": "经推荐入职示例物流公司"},
    )
    assert done.status_code == 303 and "已就业" in _flash(done)["text"]
    detail = (await client.get(f"{BASE}/{person_id}", headers=admin)).json()
    assert detail["status"] == "employed"
    assert [f["note"] for f in detail["follow_ups"]] == ["经推荐入职示例物流公司"]
    shown = await client.get(path)
    assert "经推荐入职示例物流公司" in shown.text and 'data-status="employed"' in shown.text


async def test_a_reviewer_reads_without_the_form_and_a_liaison_not_at_all(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    csrf = await _signed_in(client, session, "reviewer")
    assert (await client.get("/console/ledger")).status_code == 200
    missing = await client.get("/console/ledger/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404 and "未找到" in missing.text
    refused = await client.post(
        "/console/ledger/00000000-0000-4000-8000-000000000000/follow-ups",
        data={"csrf_token": csrf, "kind": "contact", "note": "x"},
    )
    assert refused.status_code == 403
    client.cookies.clear()
    await _signed_in(client, session, "liaison")
    assert (await client.get("/console/ledger")).status_code == 403
