"""Matching's reads, run on a pooled connection's asyncpg driver (``app.core.driver``).

A list costs two round trips: the *head* (the viewer, and the gig or the worker's profile with
everything the candidate statement needs) and one batch of ranked candidates with the page's own
columns (``app.gigs.matching_sql``). The statements are planned once per connection and shape
(``plan_cache_mode = force_generic_plan``), not on every request: planning them cost about as
much as running them, and each shape's plan is the same whatever the values. The lean routes
read on the pool whose connections are set so (``app.core.db.create_generic_plan_engine``);
inside a transaction (the documented routes' sessions) the head sets it for the rest of it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import TextClause, text

from app.core.driver import Row, arguments
from app.core.geo import bounding_box
from app.gigs.scoring import Pay, Requirement
from app.taxonomy import SkillLevel, skills_by_code

MAX_TRAVEL_RADIUS_KM = 50.0

Interval = tuple[datetime, datetime]


# What a poster's list needs before ranking, in one round trip: whether the token's user may
# still act, their gig (none when it is someone else's: 404, existence not leaked) and its
# working periods. Inside a transaction (the documented routes' sessions) ``set_config`` makes
# the rest of it plan each statement once, as the lean routes' pool always does.
POSTER_HEAD = text("""
SELECT u.is_active AND u.deleted_at IS NULL AS usable,
       set_config('plan_cache_mode', 'force_generic_plan', true) AS plan_mode,
       g.id AS gig_id, g.poster_id, g.required_skills, g.certificate_skill_codes,
       g.weekday_mask, g.week_pieces, g.local_dates, g.latitude, g.longitude, g.pay_fen,
       g.pay_unit, g.minutes_per_day, g.starts_at,
       ARRAY(SELECT o.starts_at FROM gig_occurrence o WHERE o.gig_id = g.id
             ORDER BY o.starts_at, o.ends_at) AS occ_starts,
       ARRAY(SELECT o.ends_at FROM gig_occurrence o WHERE o.gig_id = g.id
             ORDER BY o.starts_at, o.ends_at) AS occ_ends
FROM "user" u
LEFT JOIN gig g ON g.id = CAST(:gig AS uuid) AND g.poster_id = u.id
WHERE u.id = CAST(:user AS uuid)
""")

# The same for a worker's list: the user, their profile (none: 409) and their booked periods.
WORKER_HEAD = text("""
SELECT u.is_active AND u.deleted_at IS NULL AS usable,
       set_config('plan_cache_mode', 'force_generic_plan', true) AS plan_mode,
       p.user_id AS profile_user_id, p.skills, p.skill_codes, p.skill_ranks,
       p.certified_skill_codes, p.week_windows, p.weekday_mask, p.dates_off, p.home_lat,
       p.home_lng, p.travel_radius_km, p.expected_pay_fen, p.expected_pay_unit,
       p.accepts_same_day,
       ARRAY(SELECT o.starts_at FROM gig_booking b JOIN gig_occurrence o ON o.gig_id = b.gig_id
             WHERE b.worker_id = u.id AND b.status IN ('booked', 'checked_in')
               AND o.ends_at > CAST(:now AS timestamptz)
             ORDER BY o.starts_at, o.ends_at) AS busy_starts,
       ARRAY(SELECT o.ends_at FROM gig_booking b JOIN gig_occurrence o ON o.gig_id = b.gig_id
             WHERE b.worker_id = u.id AND b.status IN ('booked', 'checked_in')
               AND o.ends_at > CAST(:now AS timestamptz)
             ORDER BY o.starts_at, o.ends_at) AS busy_ends
FROM "user" u
LEFT JOIN gig_worker_profile p ON p.user_id = u.id
WHERE u.id = CAST(:user AS uuid)
""")


async def _row(driver: Any, statement: TextClause, params: dict[str, Any]) -> Any:
    sql, values = arguments(statement, params)
    return await driver.fetchrow(sql, *values, record_class=Row)


async def poster_head(driver: Any, user_id: uuid.UUID, gig_id: uuid.UUID) -> Any:
    """The viewer's standing and their gig (``gig_id`` None when it is not theirs); None when
    the user does not exist."""
    return await _row(driver, POSTER_HEAD, {"user": user_id, "gig": gig_id})


async def worker_head(driver: Any, user_id: uuid.UUID, now: datetime) -> Any:
    """The viewer's standing, profile (``profile_user_id`` None without one) and booked periods;
    None when the user does not exist."""
    return await _row(driver, WORKER_HEAD, {"user": user_id, "now": now})


async def candidates(
    driver: Any, statement: TextClause, params: dict[str, Any], below: float | None
) -> list[Any]:
    """One batch of candidates, best ``sql_score`` first."""
    sql, values = arguments(statement, {**params, "below": below})
    rows: list[Any] = await driver.fetch(sql, *values, record_class=Row)
    return rows


def _box(lat: float, lng: float, radius: float) -> dict[str, float]:
    min_lat, max_lat, min_lng, max_lng = bounding_box(lat, lng, radius)
    return {"lat": lat, "lng": lng, "min_lat": min_lat, "max_lat": max_lat,
            "min_lng": min_lng, "max_lng": max_lng}  # fmt: skip


def supersets(mask: int) -> list[int]:
    """Every weekday mask (7 bits) that holds all the weekdays of ``mask``."""
    return [m for m in range(128) if m & mask == mask]


def offered_per_day(pay: Pay) -> float | None:
    """A day's pay of an hour or day gig, as scoring.pay_fit computes it; None for piece work."""
    return {"day": float(pay.fen), "hour": pay.fen * pay.minutes_per_day / 60}.get(pay.unit)


def worker_params(
    head: Any, reqs: Sequence[Requirement], occurrences: Sequence[Interval], starts_today: bool
) -> dict[str, Any]:
    """The parameters of ``workers_sql`` for the gig of a poster's head row."""
    pay = Pay(head.pay_fen, head.pay_unit, head.minutes_per_day)
    catalogue = skills_by_code()
    terms: dict[str, Any] = {}
    for i, r in enumerate(reqs):
        terms[f"rc{i}"] = r.skill
        terms[f"rr{i}"] = SkillLevel(r.min_level).rank if r.min_level else 1
        terms[f"rl{i}"] = bool(catalogue[r.skill].certificates)
    return {
        **_box(head.latitude, head.longitude, MAX_TRAVEL_RADIUS_KM),
        **terms,
        "gig": head.gig_id,
        "occ_starts": [start for start, _ in occurrences],
        "occ_ends": [end for _, end in occurrences],
        "req_codes": [r.skill for r in reqs],
        "cert_codes": list(head.certificate_skill_codes),
        "mask": head.weekday_mask,
        "masks": supersets(head.weekday_mask),
        "pieces": list(head.week_pieces),
        "dates": list(head.local_dates),
        "poster": head.poster_id,
        "starts_today": starts_today,
        "pay_unit": pay.unit,
        "pay_fen": float(pay.fen),
        "offered_day": offered_per_day(pay),
        "minutes": pay.minutes_per_day,
    }


def gig_params(head: Any, now: datetime, today: date) -> dict[str, Any]:
    """The parameters of ``gigs_sql`` for the profile of a worker's head row."""
    without_certificates = [code for code, sk in skills_by_code().items() if not sk.certificates]
    return {
        "lat": head.home_lat,
        "lng": head.home_lng,
        "radius": head.travel_radius_km,
        "now": now,
        "codes": list(head.skill_codes),
        "ranks": list(head.skill_ranks),
        "certified": list(head.certified_skill_codes),
        "cert_ok": [*head.certified_skill_codes, *without_certificates],
        "not_mask": 0x7F ^ head.weekday_mask,
        "windows": list(head.week_windows),
        "dates_off": list(head.dates_off),
        "me": head.profile_user_id,
        "same_day": head.accepts_same_day,
        "today": today,
        "busy_starts": list(head.busy_starts),
        "busy_ends": list(head.busy_ends),
        "exp_fen": head.expected_pay_fen,
        "exp_unit": head.expected_pay_unit,
    }
