"""The demo stations, service items and slots: labelled, one per street and town, idempotent."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.demo import service_desk as demo
from app.service_desk.catalogue import service_item_data
from app.service_desk.models import AppointmentSlot, Station, StationServiceItem
from app.taxonomy import areas


async def test_demo_stations_cover_every_street_and_town(session: AsyncSession) -> None:
    assert await demo.seed_service_items(session) == len(service_item_data())
    created = await demo.seed_stations(session)
    slots = await demo.seed_slots(session)

    stations = (await session.scalars(select(Station))).all()
    assert created == len(stations) == len(areas()) + len(demo.EXTRA_STATIONS)
    assert all(s.name.startswith("示例") and s.address.startswith("示例") for s in stations)
    street = [s for s in stations if s.kind == "street_station"]
    assert {s.area_code for s in street} == {a.code for a in areas()} and len(street) == 15
    assert {"market_station", "gig_station"} <= {s.kind for s in stations}
    offered = await session.scalar(select(func.count()).select_from(StationServiceItem))
    assert offered and offered > len(stations)
    assert slots > 0
    assert await session.scalar(select(func.count()).select_from(AppointmentSlot)) == slots

    # A second run adds nothing.
    assert await demo.seed_stations(session) == 0
    assert await demo.seed_slots(session) == 0


def test_service_items_link_known_policies() -> None:
    from app.policies.catalogue import load_catalogue

    catalogue = load_catalogue()
    codes = [i["policy_code"] for i in service_item_data() if i["policy_code"]]
    assert codes, "some service items link a policy"
    for code in codes:
        assert catalogue.get(code).code == code
