"""Arrange the gig market in tests: workers with profiles, posters, gigs, and time travel."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import SHANGHAI
from app.gigs import repository
from app.gigs.profile_service import profile_values
from app.gigs.schemas import GigProfileUpdate
from app.identity.models import User
from tests.support.factories import auth, make_user

# A reference point in 交通街道, 东胜; one degree of latitude is about 111.2 km.
BASE_LAT, BASE_LNG = 39.816, 109.987
KM_PER_DEG_LAT = 111.195
_phones = itertools.count(13900000000)
_ids = itertools.count(1)


def today() -> date:
    return datetime.now(SHANGHAI).date()


def next_weekday(isoweekday: int, at_least_days: int = 3) -> date:
    """The first date at least ``at_least_days`` ahead falling on ``isoweekday`` (1 = Monday)."""
    day = today() + timedelta(days=at_least_days)
    while day.isoweekday() != isoweekday:
        day += timedelta(days=1)
    return day


def north_of_base(km: float) -> tuple[float, float]:
    return BASE_LAT + km / KM_PER_DEG_LAT, BASE_LNG


def id_number() -> str:
    """A distinct ID number of the right shape (the factory does not check the check digit)."""
    n = next(_ids)
    born = date(1970, 1, 1) + timedelta(days=n % 12000)
    return f"150602{born:%Y%m%d}{n // 12000 % 1000:03d}X"


async def make_poster(session: AsyncSession, app: FastAPI, name: str = "王老板") -> User:
    return await make_user(
        session,
        app,
        nickname=name,
        phone=str(next(_phones)),
        real_name=(name, id_number()),
    )


def profile_body(**overrides: Any) -> dict[str, Any]:
    lat, lng = north_of_base(2)
    body: dict[str, Any] = {
        "skills": [{"code": "moving", "level": "intermediate", "certificates": []}],
        "availability": [{"weekday": d, "start": "06:00", "end": "22:00"} for d in range(1, 8)],
        "dates_off": [],
        "home_lat": lat,
        "home_lng": lng,
        "area_code": "jiaotong",
        "travel_radius_km": 10,
        "expected_pay_fen": 20000,
        "expected_pay_unit": "day",
        "accepts_same_day": True,
    }
    body.update(overrides)
    return body


async def make_worker(
    session: AsyncSession, app: FastAPI, name: str = "李师傅", **profile: Any
) -> User:
    """A user with a bound phone and a real name, and a gig profile (written directly)."""
    user = await make_user(
        session,
        app,
        nickname=name,
        phone=str(next(_phones)),
        real_name=(name, id_number()),
    )
    body = GigProfileUpdate.model_validate(profile_body(**profile))
    await repository.upsert_profile(session, user.id, profile_values(body, today()))
    return user


def gig_body(day: date | None = None, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "周末仓库装卸工",
        "description": "东胜区物流园装卸货物，按件计量，中午管饭。",
        "required_skills": [{"skill": "moving", "min_level": "junior"}],
        "dates": [(day or next_weekday(6)).isoformat()],
        "start_time": "08:00",
        "end_time": "17:00",
        "latitude": BASE_LAT,
        "longitude": BASE_LNG,
        "area_code": "jiaotong",
        "address": "东胜区示例物流园 3 号库",
        "headcount": 3,
        "pay_fen": 25000,
        "pay_unit": "day",
        "settlement": "same_day",
        "contact_name": "王老板",
        "contact_phone": "13812345678",
    }
    body.update(overrides)
    return body


async def post_gig(
    client: httpx.AsyncClient, app: FastAPI, poster: User, **overrides: Any
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/gigs", json=gig_body(**overrides), headers=auth(app, poster)
    )
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


async def shift_gig(session: AsyncSession, gig_id: str | uuid.UUID, starts_in: timedelta) -> None:
    """Move a gig (and its occurrences) so that it starts ``starts_in`` from now (may be < 0)."""
    gid = uuid.UUID(str(gig_id))
    first = (
        await session.execute(text("SELECT starts_at FROM gig WHERE id = :id"), {"id": gid})
    ).scalar_one()
    delta = datetime.now(UTC) + starts_in - first
    params = {"id": gid, "delta": delta}
    await session.execute(
        text(
            "UPDATE gig SET starts_at = starts_at + :delta, ends_at = ends_at + :delta WHERE id = :id"
        ),
        params,
    )
    await session.execute(
        text(
            "UPDATE gig_occurrence SET starts_at = starts_at + :delta, ends_at = ends_at + :delta "
            "WHERE gig_id = :id"
        ),
        params,
    )
