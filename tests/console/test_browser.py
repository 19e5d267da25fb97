"""The console in a real browser (headless Chromium over a live server with committed data).

Each test saves a screenshot under test-artefacts/ (the `page` fixture). Run in parallel under
xdist: every worker starts its own server on its own port and database.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from app.demo.subsidies import _graduate_body, sample_id_number
from app.events.models import RecruitmentEvent
from app.identity.models import StaffAccount, User
from app.service_desk.models import Appointment, AppointmentSlot, ServiceItem, Station
from tests.console.conftest import LiveServer, login, off_loop, png_bytes

_seq = itertools.count(960)  # each worker has its own server and database


def _applicant_with_material(server: LiveServer) -> tuple[str, str]:
    """A real-name user's submitted application with one PNG material: (token, application id)."""
    token = server.user_token(f"console-applicant-{uuid.uuid4().hex[:8]}")
    number = sample_id_number(next(_seq), "20020510")
    response = server.api(
        "PUT", "/api/v1/me/real-name", token, json={"name": "浏览器测试", "id_number": number}
    )
    assert response.status_code == 200, response.text
    upload = server.api(
        "POST",
        "/api/v1/files",
        token,
        files={"file": ("材料.png", png_bytes(), "image/png")},
        data={"purpose": "other"},
    )
    assert upload.status_code == 201, upload.text
    body = _graduate_body().model_dump(mode="json", exclude_none=True)
    body |= {"material_file_ids": [upload.json()["id"]], "note": "浏览器测试"}
    created = server.api("POST", "/api/v1/subsidy-applications", token, json=body)
    assert created.status_code == 201, created.text
    return token, str(created.json()["id"])


def test_reviewer_previews_material_and_approves(page, live_server: LiveServer) -> None:
    token, application_id = _applicant_with_material(live_server)
    login(page, "demo.reviewer")
    assert page.locator("[data-flash=ok]").is_visible()
    page.click("a.queue[href='/console/subsidies?status=submitted']")
    page.click(f"[data-application='{application_id}']")
    # The material is previewed in the page through its signed link (the image really loads).
    image = page.locator("[data-material='image/png'] img")
    image.wait_for()
    page.wait_for_function(
        "() => { const i = document.querySelector(\"[data-material='image/png'] img\");"
        " return i && i.complete && i.naturalWidth === 64; }"
    )
    assert page.locator("[data-trace] .check.pass").count() > 0  # the engine's trace in Chinese
    page.click("[data-action=start_review]")
    assert "已开始审核" in page.locator("[data-flash=ok]").inner_text()
    page.click("[data-action=approve]")
    flash = page.locator("[data-flash=ok]").inner_text()
    assert "已核准" in flash and "下一步" in flash
    assert page.locator("[data-status]").first.get_attribute("data-status") == "approved"
    # The applicant's own API shows the decision.
    response = live_server.api("GET", f"/api/v1/subsidy-applications/{application_id}", token)
    assert response.json()["status"] == "approved"
    assert response.json()["approved_amount_fen"] == response.json()["expected_amount_fen"]


async def _booked_today(url: str) -> tuple[str, str]:
    """An appointment booked for a slot starting now at a demo station: (station id, its id)."""
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            station_id = (await conn.execute(select(Station.id).limit(1))).scalar_one()
            item_id = (await conn.execute(select(ServiceItem.id).limit(1))).scalar_one()
            user_id = (
                await conn.execute(
                    User.__table__.insert()
                    .values(openid=f"console-visitor-{uuid.uuid4().hex[:8]}", nickname="来访者甲")
                    .returning(User.id)
                )
            ).scalar_one()
            now = datetime.now(UTC).replace(microsecond=0)
            slot_id = (
                await conn.execute(
                    AppointmentSlot.__table__.insert()
                    .values(
                        station_id=station_id,
                        service_item_id=item_id,
                        starts_at=now,
                        ends_at=now.replace(second=59),
                        capacity=1,
                        booked=1,
                    )
                    .returning(AppointmentSlot.id)
                )
            ).scalar_one()
            appointment_id = (
                await conn.execute(
                    Appointment.__table__.insert()
                    .values(slot_id=slot_id, user_id=user_id, status="booked")
                    .returning(Appointment.id)
                )
            ).scalar_one()
        return str(station_id), str(appointment_id)
    finally:
        await engine.dispose()


def test_clerk_checks_a_visitor_in(page, live_server: LiveServer) -> None:
    station_id, appointment_id = off_loop(_booked_today(live_server.database_url))
    login(page, "demo.station")
    page.click("a[data-menu=stations]")
    page.click(f"[data-station='{station_id}']")
    row = page.locator(f"[data-appointment='{appointment_id}']")
    row.locator("[data-action=check-in]").click()
    assert "已签到" in page.locator("[data-flash=ok]").inner_text()
    row = page.locator(f"[data-appointment='{appointment_id}']")
    assert row.locator("[data-status]").get_attribute("data-status") == "checked_in"
    row.locator("select[name=result]").select_option("served")
    row.locator("[data-action=outcome]").click()
    assert "已登记办理结果" in page.locator("[data-flash=ok]").inner_text()
    row = page.locator(f"[data-appointment='{appointment_id}']")
    assert row.locator("[data-status]").get_attribute("data-status") == "completed"


def test_station_clerk_is_refused_the_subsidy_queue(page, live_server: LiveServer) -> None:
    login(page, "demo.station")
    assert page.locator("a[data-menu=stations]").is_visible()
    assert page.locator("a[data-menu=subsidies]").count() == 0  # never shown in the menu
    response = page.goto("/console/subsidies")
    assert response is not None and response.status == 403
    assert page.locator("[data-error-page]").is_visible()
    assert "没有权限" in page.locator("h1").inner_text()


def test_reviewer_reads_the_supply_demand_analysis(page, live_server: LiveServer) -> None:
    login(page, "demo.reviewer")
    page.click("a[data-menu=statistics]")
    page.click("a[href^='/console/statistics/supply-demand']")
    assert "人力资源市场供求分析" in page.locator("h1").inner_text()
    page.fill("input[name=months]", "3")
    page.click("form[action='/console/statistics/supply-demand'] button[type=submit]")
    page.wait_for_url("**/supply-demand?*months=3*")
    for table in ("occupations", "categories", "areas", "trend"):
        assert page.locator(f"table[data-table={table}]").is_visible()
    # The figures themselves are compared with the API in tests/console/test_statistics.py.
    assert page.locator("table[data-table=trend] thead th").count() == 1 + 3


def test_station_clerk_filters_the_vacancy_list(page, live_server: LiveServer) -> None:
    login(page, "demo.station")
    page.click("a[data-menu=vacancies]")
    assert "岗位清单" in page.locator("h1").inner_text()
    page.select_option("select[name=kind]", "gig")
    page.fill("input[name=unfilled_days]", "7")
    page.click("form[action='/console/vacancies'] button[type=submit]")
    page.wait_for_url("**/vacancies?*kind=gig*")
    assert page.locator("select[name=kind]").input_value() == "gig"
    assert page.locator("[data-total]").inner_text().isdigit()


def test_admin_drafts_a_shortage_catalogue(page, live_server: LiveServer) -> None:
    login(page, "demo.admin")
    page.click("a[data-menu=statistics]")
    page.click("a[href='/console/statistics/shortage']")
    page.click("[data-action=draft]")
    assert "目录草稿" in page.locator("[data-flash=ok]").inner_text()
    assert page.locator("h1 [data-status=draft]").is_visible()
    page.click("[data-action=publish]")
    assert "已发布" in page.locator("[data-flash=ok]").inner_text()
    assert page.locator("h1 [data-status=published]").is_visible()


def test_station_clerk_opens_the_people_ledger(page, live_server: LiveServer) -> None:
    login(page, "demo.station")
    page.click("a[data-menu=ledger]")
    assert "人员清单" in page.locator("h1").inner_text()
    assert page.locator("[data-ledger-total]").inner_text().isdigit()
    page.select_option("select[name=status]", "seeking")
    page.click("form[action='/console/ledger'] button[type=submit]")
    page.wait_for_url("**/ledger?*status=seeking*")
    assert page.locator("select[name=status]").input_value() == "seeking"


def test_a_form_without_its_csrf_token_is_refused(page, live_server: LiveServer) -> None:
    _, application_id = _applicant_with_material(live_server)
    login(page, "demo.reviewer")
    page.goto(f"/console/subsidies/{application_id}")
    # A forged form: the same fields, no token.
    page.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach(e => e.remove())")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.click("[data-action=start_review]")
    assert posted.value.status == 403
    assert "表单已失效" in page.locator("h1").inner_text()
    page.goto(f"/console/subsidies/{application_id}")
    assert page.locator("[data-status]").first.get_attribute("data-status") == "submitted"


async def _fair_opening_soon(url: str) -> str:
    """A demo fair moved to start in 30 minutes (its doors are open for check-in)."""
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            now = datetime.now(UTC)
            event_id = (
                await conn.execute(
                    select(RecruitmentEvent.id)
                    .where(
                        RecruitmentEvent.online.is_(False),
                        RecruitmentEvent.status == "published",
                        RecruitmentEvent.registration_limit > RecruitmentEvent.registered_count,
                    )
                    .limit(1)
                )
            ).scalar_one()
            await conn.execute(
                RecruitmentEvent.__table__.update()
                .where(RecruitmentEvent.id == event_id)
                .values(starts_at=now + timedelta(minutes=30), ends_at=now + timedelta(hours=3))
            )
        return str(event_id)
    finally:
        await engine.dispose()


def test_a_clerk_checks_a_job_seeker_in_at_a_fair_by_scanning(
    page, live_server: LiveServer
) -> None:
    event_id = off_loop(_fair_opening_soon(live_server.database_url))
    token = live_server.user_token(f"console-seeker-{uuid.uuid4().hex[:8]}")
    registered = live_server.api("POST", f"/api/v1/events/{event_id}/registrations", token)
    assert registered.status_code == 201, registered.text
    code = registered.json()["check_in_code"]
    login(page, "demo.station")
    page.goto(f"/console/events/{event_id}/check-in")
    # A USB scanner is a keyboard: it types the payload and presses Enter.
    page.locator("[data-scan]").press_sequentially(code, delay=0)
    page.keyboard.press("Enter")
    flash = page.locator("[data-flash=ok]").inner_text()
    assert "已签到入场" in flash and "下一位" in flash
    assert page.locator("[data-scan]").evaluate("e => document.activeElement === e")
    page.locator("[data-scan]").fill(code)  # the same code again is refused, with the reason
    page.keyboard.press("Enter")
    assert "未能签到" in page.locator("[data-flash=error]").inner_text()


async def _staff(url: str, username: str) -> None:
    from app.core.security import hash_password

    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            exists = await conn.scalar(
                select(StaffAccount.id).where(StaffAccount.username == username)
            )
            if exists is None:
                await conn.execute(
                    StaffAccount.__table__.insert().values(
                        username=username,
                        display_name="锁定测试",
                        password_hash=hash_password("right-password-123"),
                        roles=["station"],
                    )
                )
    finally:
        await engine.dispose()


def test_login_is_locked_out_after_repeated_failures(page, live_server: LiveServer) -> None:
    username = f"lock.{uuid.uuid4().hex[:8]}"
    off_loop(_staff(live_server.database_url, username))
    for _ in range(4):
        login(page, username, "wrong-password")
        assert "用户名或密码错误" in page.locator("[data-error]").inner_text()
    login(page, username, "wrong-password")
    assert "锁定" in page.locator("[data-error]").inner_text()
    login(page, username, "right-password-123")  # the right password is refused while locked
    assert "锁定" in page.locator("[data-error]").inner_text()
    assert page.url.endswith("/console/login")
