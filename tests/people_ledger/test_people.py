"""Reading the ledger: masking, audited unmasking, roles, follow-ups, platform links, the
帮扶就业率 and recommendations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications.models import EmploymentEvent, JobApplication
from app.audit.models import AuditRecord
from app.core.queue import TaskRuntime
from app.people_ledger.figures import assistance_employment_rate
from app.people_ledger.models import LedgerPerson
from tests.applications.helpers import make_employer, make_job
from tests.identity.helpers import id_number
from tests.people_ledger.helpers import (
    GRADUATE_ID,
    VETERAN_ID,
    imported_ledger,
    ledger_ids,
    person,
)
from tests.support.clock import FakeClock
from tests.support.factories import auth, make_staff, make_user

BASE = "/api/v1/admin/people-ledger"


async def _id_of(session: AsyncSession, app: FastAPI, number: str) -> str:
    digest = app.state.security.hasher.digest(number, purpose="id_number")
    found = await session.scalar(
        select(LedgerPerson.id).where(LedgerPerson.id_number_hash == digest)
    )
    return str(found)


async def test_reads_are_masked_and_an_unmasked_read_is_audited(
    client: httpx.AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    task_runtime: TaskRuntime,
    clock: FakeClock,
) -> None:
    await imported_ledger(
        client,
        session,
        app,
        task_runtime,
        clock,
        [person("张三丰", GRADUATE_ID, "离校未就业高校毕业生", 手机号码="13812345678")],
    )
    station = await make_staff(session, roles=("station",))
    person_id = await _id_of(session, app, GRADUATE_ID)
    detail = (await client.get(f"{BASE}/{person_id}", headers=auth(app, station))).json()
    assert (detail["name_masked"], detail["phone_masked"]) == ("张**", "138****5678")
    assert detail["id_number_masked"] == GRADUATE_ID[:4] + "*" * 10 + GRADUATE_ID[-4:]
    assert "张三丰" not in str(detail) and GRADUATE_ID not in str(detail)
    # At rest: nothing readable.
    row = await session.scalar(select(LedgerPerson))
    assert row is not None
    assert "张三丰" not in row.name_encrypted and GRADUATE_ID not in row.id_number_encrypted
    assert not await session.scalar(select(AuditRecord).where(AuditRecord.subject_id == person_id))

    unmasked = await client.get(f"{BASE}/{person_id}/identity", headers=auth(app, station))
    assert unmasked.json() == {
        "person_id": person_id,
        "name": "张三丰",
        "id_number": GRADUATE_ID,
        "phone": "13812345678",
    }
    records = (
        await session.scalars(select(AuditRecord).where(AuditRecord.subject_id == person_id))
    ).all()
    assert [(r.action, r.actor_id, r.subject_kind) for r in records] == [
        ("people_ledger.read_unmasked", station.id, "ledger_person")
    ]


async def test_roles_decide_who_reads_writes_and_imports(
    client: httpx.AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    task_runtime: TaskRuntime,
    clock: FakeClock,
) -> None:
    await imported_ledger(
        client,
        session,
        app,
        task_runtime,
        clock,
        [person("张三", GRADUATE_ID, "离校未就业高校毕业生")],
    )
    person_id = await _id_of(session, app, GRADUATE_ID)
    reviewer = auth(app, await make_staff(session, roles=("reviewer",)))
    station = auth(app, await make_staff(session, roles=("station",)))
    user = auth(app, await make_user(session, app))
    follow_up = {"kind": "contact", "note": "电话联系，有意向做快递"}
    cases = [
        ("GET", BASE, reviewer, 200),
        ("GET", f"{BASE}/{person_id}", reviewer, 200),
        ("GET", f"{BASE}/stats", reviewer, 200),
        ("GET", f"{BASE}/{person_id}/identity", reviewer, 403),
        ("POST", f"{BASE}/{person_id}/follow-ups", reviewer, 403),
        ("POST", f"{BASE}/{person_id}/follow-ups", station, 201),
        ("GET", f"{BASE}/template.xlsx", station, 403),
        ("POST", f"{BASE}/imports", station, 403),
        ("GET", BASE, user, 403),
        ("GET", BASE, {}, 401),
    ]
    for method, url, headers, status in cases:
        body = follow_up if method == "POST" and url.endswith("follow-ups") else None
        files = {"file": ("a.xlsx", b"x")} if url.endswith("imports") else None
        response = await client.request(method, url, headers=headers, json=body, files=files)
        assert response.status_code == status, (method, url, response.text)


async def test_follow_ups_move_the_status_and_show_in_the_detail(
    client: httpx.AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    task_runtime: TaskRuntime,
    clock: FakeClock,
) -> None:
    await imported_ledger(
        client,
        session,
        app,
        task_runtime,
        clock,
        [person("张三", GRADUATE_ID, "离校未就业高校毕业生")],
    )
    person_id = await _id_of(session, app, GRADUATE_ID)
    staff = await make_staff(session, roles=("station",))
    headers = auth(app, staff)
    url = f"{BASE}/{person_id}/follow-ups"
    contact = await client.post(
        url,
        json={"kind": "contact", "note": "电话联系", "happened_at": "2025-12-01T07:00:00+08:00"},
        headers=headers,
    )
    assert contact.json()["status_after"] == "seeking"
    training = await client.post(
        url,
        json={
            "kind": "training",
            "note": "报名电工培训",
            "happened_at": "2025-12-01T08:00:00+08:00",
        },
        headers=headers,
    )
    assert (training.json()["status_before"], training.json()["status_after"]) == (
        "seeking",
        "in_training",
    )
    future = await client.post(
        url,
        json={"kind": "contact", "note": "明天联系", "happened_at": "2025-12-02T08:00:00+08:00"},
        headers=headers,
    )
    assert (future.status_code, future.json()["code"]) == (
        422,
        "people_ledger.follow_up_in_future",
    )
    unknown_job = await client.post(
        url,
        json={"kind": "hired", "note": "入职", "job_id": "00000000-0000-0000-0000-000000000000"},
        headers=headers,
    )
    assert (unknown_job.status_code, unknown_job.json()["code"]) == (
        422,
        "people_ledger.job_unknown",
    )
    once = {**headers, "Idempotency-Key": "follow-up-hired-1"}
    hired = await client.post(url, json={"kind": "hired", "note": "已入职某物流公司"}, headers=once)
    again = await client.post(url, json={"kind": "hired", "note": "已入职某物流公司"}, headers=once)
    assert again.json()["id"] == hired.json()["id"]
    assert hired.json()["status_after"] == "employed"
    assert hired.json()["staff_name"] == staff.display_name
    detail = (await client.get(f"{BASE}/{person_id}", headers=headers)).json()
    assert detail["status"] == "employed"
    assert [f["kind"] for f in detail["follow_ups"]] == ["hired", "training", "contact"]
    assert await ledger_ids(client, headers, status="employed") == [person_id]
    assert await ledger_ids(client, headers, status="seeking") == []


async def test_the_assistance_employment_rate_is_computed_from_a_known_set(
    client: httpx.AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    task_runtime: TaskRuntime,
    clock: FakeClock,
) -> None:
    ids = [id_number(birth="20020101", seq=f"{n:02d}1") for n in range(6)]
    rows = [
        # 2025's ledger graduates: 0 employed by status, 1 hired on the platform after entering
        # the ledger, 2 hired on the platform before it (does not count), 3 still seeking.
        person("甲", ids[0], "离校未就业高校毕业生", 就业状态="已就业", 纳入台账日期="2025-03-01"),
        person("乙", ids[1], "离校未就业高校毕业生", 纳入台账日期="2025-03-01"),
        person("丙", ids[2], "离校未就业高校毕业生", 纳入台账日期="2025-03-01"),
        person("丁", ids[3], "离校未就业高校毕业生、16—24岁青年", 纳入台账日期="2025-08-01"),
        # Not in the denominator: another year, another category.
        person("戊", ids[4], "离校未就业高校毕业生", 就业状态="已就业", 纳入台账日期="2024-09-01"),
        person("己", ids[5], "登记失业人员", 就业状态="已就业", 纳入台账日期="2025-03-01"),
    ]
    headers = await imported_ledger(client, session, app, task_runtime, clock, rows)
    owner = await make_user(session, app)
    employer = await make_employer(session, owner)
    for number, start in ((ids[1], date(2025, 5, 6)), (ids[2], date(2025, 1, 6))):
        user = await make_user(session, app, real_name=("某人", number))
        job = await make_job(session, employer)
        application = JobApplication(
            job_id=job.id,
            employer_id=employer.id,
            user_id=user.id,
            status="hired",
            resume_snapshot={},
        )
        session.add(application)
        await session.flush()
        session.add(
            EmploymentEvent(
                user_id=user.id,
                employer_id=employer.id,
                job_id=job.id,
                application_id=application.id,
                start_date=start,
                contract_type="open_ended",
            )
        )
    await session.flush()

    assert await assistance_employment_rate(session, 2025) == Decimal("0.5000")
    assert await assistance_employment_rate(session, 2024) == Decimal("1.0000")
    assert await assistance_employment_rate(session, 2023) is None
    stats = (await client.get(f"{BASE}/stats", params={"year": 2025}, headers=headers)).json()
    assert stats["assistance_employment_rate"] == {
        "year": 2025,
        "graduates": 4,
        "employed": 2,
        "rate": "0.5000",
    }
    assert stats["total"] == 5
    by_category = {c["code"]: c["count"] for c in stats["by_category"]}
    assert by_category == {
        "registered_unemployed": 1,
        "unemployed_graduate": 4,
        "youth": 1,
        "hard_to_employ": 0,
        "veteran": 0,
        "over_retirement_age": 0,
    }
    by_status = {s["code"]: s["count"] for s in stats["by_status"]}
    assert by_status == {"seeking": 3, "in_training": 0, "employed": 2, "not_seeking": 0}

    # The person's detail links the platform's own records (matched by the ID number's hash).
    detail = (
        await client.get(f"{BASE}/{await _id_of(session, app, ids[1])}", headers=headers)
    ).json()
    assert [h["start_date"] for h in detail["platform"]["hires"]] == ["2025-05-06"]
    assert [a["status"] for a in detail["platform"]["applications"]] == ["hired"]
    assert detail["platform"]["trainings"] == []
    other = (
        await client.get(f"{BASE}/{await _id_of(session, app, ids[3])}", headers=headers)
    ).json()
    assert other["platform"] is None


async def test_list_filters_and_cursor(
    client: httpx.AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    task_runtime: TaskRuntime,
    clock: FakeClock,
) -> None:
    ids = [id_number(birth="19900101", seq=f"{n:02d}2") for n in range(5)]
    rows = [
        person(f"人员{'甲乙丙丁戊'[n]}", ids[n], "登记失业人员", 所在镇街="罕台镇")
        for n in range(5)
    ]
    rows[0]["人员类别"] = "退役军人"
    headers = await imported_ledger(client, session, app, task_runtime, clock, rows)
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await client.get(BASE, params=params, headers=headers)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5
    assert len(await ledger_ids(client, headers, category="veteran")) == 1
    assert len(await ledger_ids(client, headers, area_code="hantai")) == 5
    assert len(await ledger_ids(client, headers, area_code="jiaotong")) == 0
    assert await ledger_ids(client, headers, id_number=ids[2]) == [
        await _id_of(session, app, ids[2])
    ]
    bad = await client.get(BASE, params={"id_number": ids[2][:17] + "0"}, headers=headers)
    if ids[2][17] != "0":
        assert (bad.status_code, bad.json()["code"]) == (422, "identity.id_number_invalid")


async def test_recommendations_come_from_live_postings(
    client: httpx.AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    task_runtime: TaskRuntime,
    clock: FakeClock,
) -> None:
    headers = await imported_ledger(
        client,
        session,
        app,
        task_runtime,
        clock,
        [
            person(
                "张三", GRADUATE_ID, "离校未就业高校毕业生", 求职意向="快递员", 所在镇街="交通街道"
            ),
            person("李四", VETERAN_ID, "退役军人", 求职意向="电工"),
        ],
    )
    owner = await make_user(session, app)
    employer = await make_employer(session, owner)
    job = await make_job(session, employer, title="快递员")
    await make_job(session, employer, title="已关闭的快递员", status="closed")
    graduate = await _id_of(session, app, GRADUATE_ID)
    found = (await client.get(f"{BASE}/{graduate}/recommendations", headers=headers)).json()
    assert [item["id"] for item in found["items"]] == [str(job.id)]
    assert found["basis"] == "求职意向：快递员；镇街：交通街道"
    veteran = await _id_of(session, app, VETERAN_ID)
    fallback = (await client.get(f"{BASE}/{veteran}/recommendations", headers=headers)).json()
    assert fallback["basis"] == "最新岗位"
    assert [item["id"] for item in fallback["items"]] == [str(job.id)]
