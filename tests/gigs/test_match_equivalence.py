"""The SQL that ranks matches obeys the Python definitions, on varied random data.

At run time PostgreSQL applies the hard rules and computes the components and the score
(app.gigs.matching_sql); ``app.gigs.schedule.covers`` and ``app.gigs.scoring.score_pair`` stay
the documented definitions. Here both lists are recomputed in Python from the stored profiles,
gigs, records and bookings — who is left out, the order, every component and score — and the
lists the API answers (paged with a tiny batch, so later batches, skipped busy workers and
cursors all take part) must be exactly those.
"""

from __future__ import annotations

import math
import random
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import local_date
from app.core.driver import driver_connection
from app.core.geo import haversine_km
from app.gigs import matching
from app.gigs.models import Gig, GigBooking, GigOccurrence, GigPosterStats, GigWorkerProfile
from app.gigs.schedule import (
    covers,
    format_hhmm,
    merge_windows,
    occurrence_segments,
    overlaps,
    parse_hhmm,
    windows_from_week,
)
from app.gigs.scoring import (
    WEIGHTS,
    Pair,
    Pay,
    distance_component,
    pay_fit,
    place_and_record,
    rating_component,
    reliability,
    score_pair,
    skill_fit,
)
from app.gigs.views import requirements, track_of, worker_skills
from app.identity.models import User
from tests.gigs.helpers import (
    BASE_LAT,
    BASE_LNG,
    KM_PER_DEG_LAT,
    make_poster,
    make_worker,
    post_gig,
    today,
)
from tests.support.factories import auth

SKILLS = ("moving", "welding", "home_cleaning")
CERTIFICATES = {"welding": "welding", "home_cleaning": "health"}
LEVELS = ("junior", "intermediate", "senior")
PAYS = ((None, None), (20000, "day"), (26000, "day"), (3000, "hour"), (500, "piece"))


def _place(rng: random.Random, max_km: float) -> tuple[float, float]:
    km, bearing = rng.uniform(0, max_km), rng.uniform(0, 2 * math.pi)
    lat = BASE_LAT + km * math.cos(bearing) / KM_PER_DEG_LAT
    lng = BASE_LNG + km * math.sin(bearing) / (KM_PER_DEG_LAT * math.cos(math.radians(BASE_LAT)))
    return lat, lng


def _windows(rng: random.Random) -> list[dict[str, Any]]:
    if rng.random() < 0.45:
        return [{"weekday": d, "start": "00:00", "end": "24:00"} for d in range(1, 8)]
    out = []
    for weekday in range(1, 8):
        for _ in range(rng.choice((0, 1, 1, 2))):
            start = rng.randrange(0, 46) * 30
            end = rng.randrange(start // 30 + 1, 49) * 30
            out.append({"weekday": weekday, "start": format_hhmm(start), "end": format_hhmm(end)})
    return out or [{"weekday": 6, "start": "08:00", "end": "18:00"}]


def _profile(rng: random.Random, days: list[date]) -> dict[str, Any]:
    skills = []
    for code in rng.sample(SKILLS, rng.choice((1, 2, 2, 3))):
        held = [CERTIFICATES[code]] if code in CERTIFICATES and rng.random() < 0.6 else []
        skills.append({"code": code, "level": rng.choice(LEVELS), "certificates": held})
    lat, lng = _place(rng, 12)
    fen, unit = rng.choice(PAYS)
    return {
        "skills": skills,
        "availability": _windows(rng),
        "dates_off": [rng.choice(days).isoformat()] if rng.random() < 0.2 else [],
        "home_lat": lat,
        "home_lng": lng,
        "travel_radius_km": float(rng.choice((3, 5, 8, 12, 20))),
        "expected_pay_fen": fen,
        "expected_pay_unit": unit,
        "accepts_same_day": rng.random() < 0.8,
    }


def _gig(rng: random.Random, days: list[date], **overrides: Any) -> dict[str, Any]:
    required = []
    for code in rng.sample(SKILLS, rng.choice((0, 1, 1, 2))):
        level = rng.choice((None, *LEVELS))
        wanted = code == "home_cleaning" and rng.random() < 0.5
        required.append({"skill": code, "min_level": level, "certificate_required": wanted})
    start = rng.randrange(0, 48) * 30
    end = (start + rng.randrange(2, 25) * 30) % (24 * 60) or 30  # overnight when end < start
    unit, fen = rng.choice((("day", 25000), ("day", 18000), ("hour", 3500), ("piece", 600)))
    lat, lng = _place(rng, 6)
    body = {
        "required_skills": required,
        "dates": [d.isoformat() for d in rng.sample(days, rng.choice((1, 1, 2, 3)))],
        "start_time": format_hhmm(start),
        "end_time": format_hhmm(end),
        "latitude": lat,
        "longitude": lng,
        "pay_unit": unit,
        "pay_fen": fen,
    }
    body.update(overrides)
    return body


async def _record(session: AsyncSession, rng: random.Random, table: str, user_id: Any) -> None:
    cancelled = rng.randrange(0, 5)
    ratings = rng.randrange(0, 15)
    values = {
        "id": user_id,
        "done": rng.randrange(0, 30),
        "cancelled": cancelled,
        "late": rng.randrange(0, cancelled + 1),
        "ratings": ratings,
        "stars": rng.randrange(ratings, 5 * ratings + 1),
    }
    columns = (
        "completed_count = :done, cancelled_count = :cancelled, late_cancelled_count = :late, "
        "rating_count = :ratings, rating_sum = :stars"
    )
    if table == "gig_poster_stats":
        await session.execute(
            text(
                "INSERT INTO gig_poster_stats (user_id, completed_count, cancelled_count, "
                "late_cancelled_count, rating_count, rating_sum) "
                "VALUES (:id, :done, :cancelled, :late, :ratings, :stars)"
            ),
            values,
        )
    else:
        await session.execute(text(f"UPDATE {table} SET {columns} WHERE user_id = :id"), values)


async def _book(
    client: httpx.AsyncClient, app: FastAPI, poster: User, gig_id: str, worker: User
) -> None:
    applied = await client.post(
        f"/api/v1/gigs/{gig_id}/applications", json={}, headers=auth(app, worker)
    )
    assert applied.status_code == 201, applied.text
    accepted = await client.post(
        f"/api/v1/gig-applications/{applied.json()['id']}/accept", headers=auth(app, poster)
    )
    assert accepted.status_code == 200, accepted.text


# --- the Python reference --------------------------------------------------------------------


async def _periods(session: AsyncSession) -> dict[uuid.UUID, list[tuple[datetime, datetime]]]:
    rows = await session.execute(select(GigOccurrence.gig_id, GigOccurrence.starts_at,
                                        GigOccurrence.ends_at))  # fmt: skip
    out: dict[uuid.UUID, list[tuple[datetime, datetime]]] = {}
    for gig_id, starts_at, ends_at in rows:
        out.setdefault(gig_id, []).append((starts_at, ends_at))
    return out


async def _booked(session: AsyncSession) -> dict[uuid.UUID, list[uuid.UUID]]:
    rows = await session.execute(
        select(GigBooking.worker_id, GigBooking.gig_id).where(
            GigBooking.status.in_(("booked", "checked_in"))
        )
    )
    out: dict[uuid.UUID, list[uuid.UUID]] = {}
    for worker_id, gig_id in rows:
        out.setdefault(worker_id, []).append(gig_id)
    return out


COMPONENTS = ("skill", "distance", "reliability", "rating", "pay")


def _merged(availability: list[dict[str, Any]]) -> dict[int, list[tuple[int, int]]]:
    """A profile's windows merged per weekday (the definition reasons and covers use)."""
    return merge_windows((w["weekday"], parse_hhmm(w["start"]), parse_hhmm(w["end"]))
                         for w in availability)  # fmt: skip


def _expected(pair: Pair) -> dict[str, Any] | None:
    """The unrounded components and total by the Python definitions, and score_pair's answer;
    None when the pair is left out."""
    match = score_pair(pair)
    fit = skill_fit(pair.requirements, pair.skills)
    if match is None or fit is None:
        return None
    pay = pay_fit(pair.pay, pair.expected_fen, pair.expected_unit)
    return {
        "skill": fit,
        "distance": distance_component(pair.distance_km),
        "reliability": reliability(pair.counterpart),
        "rating": rating_component(pair.counterpart),
        "pay": pay,
        # As score_pair adds it.
        "total": WEIGHTS["skill"] * fit
        + place_and_record(pair.distance_km, pair.counterpart)
        + WEIGHTS["pay"] * pay,
        "match": match,
    }


def _order(found: dict[str, dict[str, Any]]) -> list[str]:
    return sorted(found, key=lambda ident: (-round(found[ident]["total"], 2), ident))


class World:
    """Everything the reference needs, read back from the database."""

    def __init__(self, session: AsyncSession, now: datetime) -> None:
        self.session, self.now = session, now
        self.excluded: Counter[str] = Counter()

    async def load(self) -> None:
        s = self.session
        self.profiles = list((await s.execute(select(GigWorkerProfile))).scalars())
        for profile in self.profiles:  # what reasons read: the same windows as the form's
            assert windows_from_week(profile.week_windows) == _merged(profile.availability)
        self.gigs = list((await s.execute(select(Gig).where(Gig.status == "open"))).scalars())
        self.stats = {r.user_id: r for r in (await s.execute(select(GigPosterStats))).scalars()}
        self.periods = await _periods(s)
        self.booked = await _booked(s)

    def busy(self, worker_id: uuid.UUID, gig: Gig) -> bool:
        mine = self.periods[gig.id]
        return any(overlaps(mine, self.periods[g]) for g in self.booked.get(worker_id, []))

    def allowed(self, profile: GigWorkerProfile, gig: Gig) -> float | None:
        """The distance when no rule but skills leaves the pair out, else None."""
        pieces = occurrence_segments(sorted(self.periods[gig.id]))
        km = haversine_km(profile.home_lat, profile.home_lng, gig.latitude, gig.longitude)
        same_day = local_date(gig.starts_at) == local_date(self.now)
        merged = _merged(profile.availability)
        rules = {
            "poster": profile.user_id == gig.poster_id,
            "radius": km > profile.travel_radius_km,
            "windows": not covers(merged, [], pieces),
            "day off": covers(merged, [], pieces) and not covers(merged, profile.dates_off, pieces),
            "same day": same_day and not profile.accepts_same_day,
            "busy": self.busy(profile.user_id, gig),
        }
        for rule, broken in rules.items():
            self.excluded[rule] += broken
        return None if any(rules.values()) else km

    def pair(self, profile: GigWorkerProfile, gig: Gig, km: float, for_poster: bool) -> Pair:
        return Pair(
            requirements(gig.required_skills),
            worker_skills(profile.skills),
            km,
            track_of(profile if for_poster else self.stats.get(gig.poster_id)),
            Pay(gig.pay_fen, gig.pay_unit, gig.minutes_per_day),
            profile.expected_pay_fen,
            profile.expected_pay_unit,
        )

    def workers_for(self, gig: Gig) -> dict[str, dict[str, Any]]:
        found = {}
        for profile in self.profiles:
            km = self.allowed(profile, gig)
            parts = None if km is None else _expected(self.pair(profile, gig, km, True))
            self.excluded["skills"] += km is not None and parts is None
            if parts is not None:
                found[str(profile.user_id)] = parts
        return found

    def gigs_for(self, profile: GigWorkerProfile) -> dict[str, dict[str, Any]]:
        found = {}
        for gig in self.gigs:
            if gig.starts_at <= self.now:
                continue
            km = self.allowed(profile, gig)
            parts = None if km is None else _expected(self.pair(profile, gig, km, False))
            if parts is not None:
                found[str(gig.id)] = parts
        return found


def _check_rows(ranked: list[matching.Ranked], expected: dict[str, dict[str, Any]]) -> None:
    """The SQL's rows: the expected ones, in order, each value equal to the Python one."""
    assert [r.sort_id for r in ranked] == _order(expected)[: len(ranked)]
    for r in ranked:
        want = expected[r.sort_id]
        assert abs(r.row.sql_score - want["total"]) < 1e-9
        for name in COMPONENTS:
            assert abs(r.row[f"{name}_part"] - want[name]) < 1e-12, name
        # What the lists show: the documented score_pair's rounded values.
        assert r.score == want["match"].score
        assert matching.components(r.row) == want["match"].components


async def _all_pages(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], limit: int
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        response = await client.get(path, params=params, headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


@pytest.mark.parametrize("seed", [7, 2026])
async def test_sql_lists_equal_the_python_definitions(
    client: httpx.AsyncClient,
    app: FastAPI,
    session: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
) -> None:
    rng = random.Random(seed)
    days = [today() + timedelta(days=n) for n in range(3, 12)]
    # The second poster also keeps a gig profile: never matched to their own gigs.
    posters = [
        await make_poster(session, app, "老板"),
        await make_worker(session, app, "兼职老板", **_profile(rng, days)),
    ]
    for poster in posters[:1]:
        await _record(session, rng, "gig_poster_stats", poster.id)
    workers = []
    for i in range(40):
        worker = await make_worker(session, app, f"工人{i}", **_profile(rng, days))
        await _record(session, rng, "gig_worker_profile", worker.id)
        workers.append(worker)
    # Gigs 1 and 3 (the second poster's, without requirements) get bookings: those workers are
    # busy for every gig overlapping them.
    gigs = []
    for i in range(8):
        body = _gig(rng, days, headcount=10, **({"required_skills": []} if i in (1, 3) else {}))
        gigs.append(await post_gig(client, app, posters[i % 2], **body))
    booked = rng.sample(workers, 5)
    for worker in booked[:4]:
        await _book(client, app, posters[1], gigs[1]["id"], worker)
    await _book(client, app, posters[1], gigs[3]["id"], booked[4])

    now = datetime.now(UTC)
    world = World(session, now)
    await world.load()
    checked = 0
    connection = await session.connection()
    async with driver_connection(connection) as driver:
        for gig in world.gigs:
            expected = world.workers_for(gig)
            _, ranked = await matching.workers_for_gig(driver, gig.poster_id, gig.id, None, 50, now)
            _check_rows(ranked, expected)
            checked += len(ranked)
        for profile in world.profiles:
            expected = world.gigs_for(profile)
            _, ranked = await matching.gigs_for_worker(driver, profile.user_id, None, 50, now)
            _check_rows(ranked, expected)
            checked += len(ranked)
    assert checked > 150
    # Every rule left someone out (the same day aside: no gig here starts today).
    assert all(
        world.excluded[rule]
        for rule in ("poster", "radius", "windows", "day off", "busy", "skills")
    ), world.excluded

    # Paged through the API with batches of limit + 1 rows: every later batch, cursor and busy
    # worker skipped in a batch gives the same list.
    monkeypatch.setattr(matching, "SLACK", 0)
    for gig in world.gigs[:4]:
        poster = next(p for p in posters if p.id == gig.poster_id)
        path = f"/api/v1/gigs/{gig.id}/matches"
        items = await _all_pages(client, path, auth(app, poster), limit=2)
        assert [m["worker_id"] for m in items] == _order(world.workers_for(gig))
    for profile in world.profiles[:3]:
        user = next(w for w in [*workers, *posters] if w.id == profile.user_id)
        items = await _all_pages(client, "/api/v1/me/gig-matches", auth(app, user), limit=1)
        assert [m["gig"]["id"] for m in items] == _order(world.gigs_for(profile))
