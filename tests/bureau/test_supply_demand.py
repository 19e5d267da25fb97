"""Supply–demand on a constructed market, and the shortage rule that drafts the catalogue."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bureau.market import build_market
from tests.support.clock import FakeClock
from tests.support.factories import auth, make_staff


async def test_supply_demand_per_occupation_area_and_month(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    await build_market(session, app)
    staff = auth(app, await make_staff(session, roles=("reviewer",)))
    may = await client.get(
        "/api/v1/admin/supply-demand", params={"month": "2025-05", "months": 3}, headers=staff
    )
    assert may.status_code == 200, may.text
    body = may.json()
    rows = {r["code"]: r for r in body["occupations"]}
    assert "chef" not in rows  # published in June, Beijing time
    assert rows["electrician"]["openings"] == 12
    assert rows["electrician"]["postings"] == 2
    assert rows["electrician"]["seekers"] == 4
    assert rows["electrician"]["ratio"] == 3.0
    assert rows["electrician"]["median_monthly_pay_fen"] == 750000  # midpoints 700000, 800000
    assert rows["courier"]["ratio"] == 1.0
    assert (rows["welder"]["seekers"], rows["welder"]["ratio"]) == (0, None)
    assert rows["loader"]["seekers"] == 1
    assert body["ledger_included"] is True  # the people ledger is wired (no seekers in it here)
    assert body["as_of"] == "2025-06-01T00:00:00+08:00"
    areas = {r["code"]: r for r in body["areas"]}
    assert areas["jiaotong"]["openings"] == 12 + 20 + 15 + 9
    assert areas["gongyuan"]["seekers"] == 24
    categories = {r["code"]: r["openings"] for r in body["categories"]}
    assert sum(categories.values()) == sum(r["openings"] for r in body["occupations"])
    trend = {t["code"]: t["points"] for t in body["trend"]}
    assert [p["month"] for p in trend["welder"]] == ["2025-03", "2025-04", "2025-05"]
    assert [p["openings"] for p in trend["welder"]] == [0, 0, 15]
    assert [p["openings"] for p in trend["electrician"]] == [112, 12, 12]


async def test_shortage_rule_drafts_reviews_and_publishes(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, clock: FakeClock
) -> None:
    await build_market(session, app)
    admin = auth(app, await make_staff(session))
    none_yet = await client.get("/api/v1/shortage-occupations")
    assert (none_yet.status_code, none_yet.json()["code"]) == (404, "bureau.no_published_catalogue")

    may = await client.post(
        "/api/v1/admin/shortage-catalogue/drafts", json={"month": "2025-05"}, headers=admin
    )
    assert may.status_code == 201, may.text
    # Welders have one qualifying month only (from 10 May); couriers' ratio is 1; loaders < 10.
    assert [i["code"] for i in may.json()["items"]] == ["electrician"]
    assert may.json()["rule"]["ratio_min"] == 1.5

    june = await client.post(
        "/api/v1/admin/shortage-catalogue/drafts", json={"month": "2025-06"}, headers=admin
    )
    draft = june.json()
    # No seeker at all ranks first; chefs have June only.
    assert [i["code"] for i in draft["items"]] == ["welder", "electrician"]
    assert [p["month"] for p in draft["items"][0]["points"]] == ["2025-05", "2025-06"]

    bad = await client.put(
        f"/api/v1/admin/shortage-catalogue/drafts/{draft['id']}/items",
        json={"codes": ["chef"]},
        headers=admin,
    )
    assert bad.status_code == 422
    kept = await client.put(
        f"/api/v1/admin/shortage-catalogue/drafts/{draft['id']}/items",
        json={"codes": ["electrician"]},
        headers=admin,
    )
    assert [i["code"] for i in kept.json()["items"]] == ["electrician"]
    for catalogue_id in (may.json()["id"], draft["id"]):
        published = await client.post(
            f"/api/v1/admin/shortage-catalogue/drafts/{catalogue_id}/publish", headers=admin
        )
        assert published.status_code == 200, published.text
    again = await client.post(
        f"/api/v1/admin/shortage-catalogue/drafts/{draft['id']}/publish", headers=admin
    )
    assert again.status_code == 409
    public = (await client.get("/api/v1/shortage-occupations")).json()
    assert (public["id"], public["status"], public["month"]) == (
        draft["id"],
        "published",
        "2025-06",
    )
    assert [i["name"] for i in public["items"]] == ["电工"]
    listed = (await client.get("/api/v1/admin/shortage-catalogue/drafts", headers=admin)).json()
    assert {c["id"]: c["status"] for c in listed["items"]} == {
        may.json()["id"]: "superseded",
        draft["id"]: "published",
    }
    reviewer = auth(app, await make_staff(session, roles=("reviewer",)))
    refused = await client.post(
        "/api/v1/admin/shortage-catalogue/drafts", json={"month": "2025-05"}, headers=reviewer
    )
    assert refused.status_code == 403
