"""The real worker imports a committed upload (procrastinate on the test database)."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.core.config import Settings
from app.people_ledger import tasks
from app.people_ledger.models import LedgerPerson
from app.worker import run_worker
from tests.identity.helpers import id_number
from tests.people_ledger.helpers import person, upload, workbook
from tests.support.factories import auth, make_staff


async def test_the_worker_imports_in_committed_batches(
    committing_client: httpx.AsyncClient,
    app: FastAPI,
    engine: AsyncEngine,
    settings: Settings,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tasks, "BATCH_ROWS", 7)
    async with AsyncSession(engine) as session, session.begin():
        headers = auth(app, await make_staff(session, roles=("admin",)))
    rows = [
        person(
            f"人员{chr(0x4E00 + n)}", id_number(birth="19950101", seq=f"{n:02d}3"), "登记失业人员"
        )
        for n in range(30)
    ]
    accepted = await upload(committing_client, headers, workbook(rows))
    assert accepted.status_code == 202, accepted.text
    url = f"/api/v1/admin/people-ledger/imports/{accepted.json()['id']}"
    assert (await committing_client.get(url, headers=headers)).json()["status"] == "queued"

    await run_worker(settings, database_url, concurrency=1, wait=False)

    report = (await committing_client.get(url, headers=headers)).json()
    assert (report["status"], report["total"], report["processed"], report["created"]) == (
        "completed",
        30,
        30,
        30,
    )
    assert report["started_at"] and report["finished_at"]
    async with AsyncSession(engine) as session:
        assert await session.scalar(select(func.count()).select_from(LedgerPerson)) == 30
