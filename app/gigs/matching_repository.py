"""The candidate SQL of matching: every hard rule that indexes can serve, ordered by the score.

Workers for a gig: a bounding box on the indexed home latitude/longitude, skill containment on the
GIN-indexed ``skill_codes`` (and ``certified_skill_codes`` for certificates), the weekday bitmask,
days off, the worker's own travel radius, and no active booking at an overlapping time.
Gigs for a worker: the same rules seen from the other side, on open gigs that have not started.

Rows come ordered by ``sql_score``: the documented score of app.gigs.scoring written in SQL with
the same constants, so PostgreSQL keeps only the best rows (a top-N sort) and the caller reads a
short list. Python then recomputes the score — the source of truth — and checks the time windows;
``tests/gigs/test_matching.py`` checks that the two agree.

The statements are fixed texts whose variable parts (requirements, occurrences, bookings) travel
as arrays, so the driver prepares each once and no expression tree is built per request.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Row, TextClause, bindparam, select, text
from sqlalchemy.dialects.postgresql import ARRAY, INT4MULTIRANGE, INT4RANGE
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.geo import EARTH_RADIUS_KM, bounding_box
from app.gigs import scoring as s
from app.gigs.models import Gig, GigWorkerProfile
from app.gigs.rules import MAX_SHIFT_MINUTES
from app.gigs.scoring import Pay, Requirement
from app.taxonomy import SkillLevel, skills_by_code

MAX_TRAVEL_RADIUS_KM = 50.0
EPSILON = 0.01  # floating-point slack between SQL's and Python's arithmetic

Interval = tuple[datetime, datetime]


def _distance(lat: str, lng: str, at_lat: str, at_lng: str) -> str:
    """Haversine distance in km, as app.core.geo.haversine_km computes it."""
    a = (
        f"power(sin(radians({lat} - {at_lat}) / 2), 2) + cos(radians({at_lat})) "
        f"* cos(radians({lat})) * power(sin(radians({lng} - {at_lng}) / 2), 2)"
    )
    return f"(2 * {EARTH_RADIUS_KM} * asin(least(1.0, sqrt({a}))))"


def _track(c: str) -> str:
    """Reliability and rating parts from the counters of row ``c``."""
    weighted = (
        f"({c}.completed_count + ({c}.cancelled_count - {c}.late_cancelled_count) "
        f"+ {s.LATE_CANCEL_WEIGHT} * {c}.late_cancelled_count + {s.RELIABILITY_PRIOR_TOTAL})"
    )
    prior = s.RATING_PRIOR_MEAN * s.RATING_PRIOR_COUNT
    average = (
        f"(({c}.rating_sum + {prior}) / CAST({c}.rating_count + {s.RATING_PRIOR_COUNT} AS float8))"
    )
    return (
        f"{s.W_RELIABILITY} * ({c}.completed_count + {s.RELIABILITY_PRIOR_DONE}) "
        f"/ CAST({weighted} AS float8) + {s.W_RATING} * ({average} - 1) / 4"
    )


def _place(c: str) -> str:
    return f"{s.W_DISTANCE} * exp(-{c}.distance_km / {s.DISTANCE_SCALE_KM})"


_LEVEL, _CERT = s.LEVEL_SHARE, s.CERTIFICATE_SHARE


def _skill_terms(arity: int) -> str:
    """Skill fit of row ``c`` against ``arity`` requirements bound as :rc0, :rr0, :rl0, …

    Inline terms (one statement per arity, at most five) rather than a subquery per row.
    """
    if arity == 0:
        return "1.0"
    terms = [
        f"({_LEVEL} * least(1.0, coalesce(c.skill_ranks[array_position(c.skill_codes, "
        f"CAST(:rc{i} AS varchar))], 0) / CAST(:rr{i} AS float8)) + {_CERT} * CASE WHEN "
        f"NOT CAST(:rl{i} AS boolean) OR :rc{i} = ANY(c.certified_skill_codes) THEN 1 ELSE 0 END)"
        for i in range(arity)
    ]
    return f"(({' + '.join(terms)}) / {arity})"


@cache
def workers_sql(arity: int) -> TextClause:
    """Candidate workers for a gig with ``arity`` required skills."""
    return text(f"""
WITH busy AS (
    SELECT b.worker_id
    FROM unnest(CAST(:occ_starts AS timestamptz[]), CAST(:occ_ends AS timestamptz[])) AS t(s, e)
    JOIN gig_occurrence o ON o.starts_at < t.e AND o.ends_at > t.s
        AND o.starts_at > t.s - make_interval(mins => {MAX_SHIFT_MINUTES})
    JOIN gig_booking b ON b.gig_id = o.gig_id AND b.status IN ('booked', 'checked_in')
),
c AS (
    SELECT p.user_id, p.expected_pay_fen, p.expected_pay_unit, p.completed_count,
           p.cancelled_count, p.late_cancelled_count, p.rating_count, p.rating_sum,
           p.skill_codes, p.skill_ranks, p.certified_skill_codes, p.travel_radius_km,
           {_distance("p.home_lat", "p.home_lng", ":lat", ":lng")} AS distance_km
    FROM gig_worker_profile p
    WHERE p.home_lat BETWEEN :min_lat AND :max_lat AND p.home_lng BETWEEN :min_lng AND :max_lng
      AND p.skill_codes @> CAST(:req_codes AS varchar[])
      AND p.certified_skill_codes @> CAST(:cert_codes AS varchar[])
      AND (p.weekday_mask & :mask) = :mask
      AND p.week_windows @> ALL (CAST(:pieces AS int4range[]))
      AND NOT (p.dates_off && CAST(:dates AS date[]))
      AND p.user_id <> :poster
      AND (p.accepts_same_day OR NOT :starts_today)
      AND p.user_id NOT IN (SELECT worker_id FROM busy)
),
scored AS (
    SELECT c.*, {s.W_SKILL} * {_skill_terms(arity)}
        + {_place("c")} + {_track("c")}
        + {s.W_PAY} * CASE
            WHEN c.expected_pay_fen IS NULL THEN 1.0
            WHEN :pay_unit = 'piece' THEN CASE WHEN c.expected_pay_unit = 'piece'
                THEN least(1.0, :pay_fen / CAST(c.expected_pay_fen AS float8)) ELSE 0.5 END
            WHEN c.expected_pay_unit = 'day'
                THEN least(1.0, :offered_day / CAST(c.expected_pay_fen AS float8))
            WHEN c.expected_pay_unit = 'hour'
                THEN least(1.0, :offered_day / (c.expected_pay_fen * :minutes / 60.0))
            ELSE 0.5 END AS sql_score
    FROM c
    WHERE c.distance_km <= c.travel_radius_km
)
-- The page is chosen on narrow rows; only its rows fetch the JSON the Python check needs.
SELECT x.*, w.skills, w.availability, w.dates_off
FROM (
    SELECT * FROM scored
    WHERE CAST(:below AS float8) IS NULL OR sql_score <= CAST(:below AS float8) + {EPSILON}
    ORDER BY sql_score DESC, user_id
    LIMIT :limit OFFSET :offset
) x
JOIN gig_worker_profile w ON w.user_id = x.user_id
ORDER BY x.sql_score DESC, x.user_id
""").bindparams(bindparam("pieces", type_=ARRAY(INT4RANGE)))


GIGS_SQL = text(f"""
WITH c AS (
    SELECT g.id, g.poster_id, g.required_skills, g.pay_fen, g.pay_unit, g.minutes_per_day,
           g.work_dates, g.start_minute, g.end_minute,
           {_distance("g.latitude", "g.longitude", ":lat", ":lng")} AS distance_km
    FROM gig g
    WHERE g.status = 'open' AND g.starts_at > :now
      AND g.latitude BETWEEN :min_lat AND :max_lat AND g.longitude BETWEEN :min_lng AND :max_lng
      AND g.required_skill_codes <@ CAST(:codes AS varchar[])
      AND g.certificate_skill_codes <@ CAST(:certified AS varchar[])
      AND (g.weekday_mask & :not_mask) = 0
      AND CAST(:windows AS int4multirange) @> ALL (g.week_pieces)
      AND NOT (g.local_dates && CAST(:dates_off AS date[]))
      AND g.poster_id <> :me
      AND (:same_day OR g.work_dates[1] > :today)
      AND NOT EXISTS (
          SELECT 1 FROM gig_occurrence o
          JOIN unnest(CAST(:busy_starts AS timestamptz[]), CAST(:busy_ends AS timestamptz[]))
              AS t(s, e) ON o.starts_at < t.e AND o.ends_at > t.s
          WHERE o.gig_id = g.id)
),
scored AS (
    SELECT c.*, coalesce(st.completed_count, 0) AS completed_count,
           coalesce(st.cancelled_count, 0) AS cancelled_count,
           coalesce(st.late_cancelled_count, 0) AS late_cancelled_count,
           coalesce(st.rating_count, 0) AS rating_count, coalesce(st.rating_sum, 0) AS rating_sum
    FROM c LEFT JOIN gig_poster_stats st ON st.user_id = c.poster_id
    WHERE c.distance_km <= :radius
),
ranked AS (
    SELECT x.*, {s.W_SKILL} * (
            SELECT coalesce(avg(
                {_LEVEL} * least(1.0, coalesce((CAST(:ranks AS int[]))[
                    array_position(CAST(:codes AS varchar[]), CAST(r.skill AS varchar))], 0)
                    / CAST(CASE r.min_level WHEN 'intermediate' THEN 2 WHEN 'senior' THEN 3
                                ELSE 1 END AS float8))
                + {_CERT} * CASE WHEN r.skill = ANY(CAST(:cert_ok AS varchar[])) THEN 1 ELSE 0 END
                ), 1.0)
            FROM jsonb_to_recordset(x.required_skills) AS r(skill text, min_level text))
        + {_place("x")} + {_track("x")}
        + {s.W_PAY} * CASE
            WHEN CAST(:exp_fen AS int) IS NULL THEN 1.0
            WHEN x.pay_unit = 'piece' THEN CASE WHEN :exp_unit = 'piece'
                THEN least(1.0, x.pay_fen / CAST(:exp_fen AS float8)) ELSE 0.5 END
            WHEN :exp_unit = 'piece' THEN 0.5
            ELSE least(1.0,
                CAST(CASE x.pay_unit WHEN 'day' THEN x.pay_fen
                     ELSE x.pay_fen * x.minutes_per_day / 60.0 END AS float8)
                / CAST(CASE :exp_unit WHEN 'day' THEN CAST(:exp_fen AS numeric)
                       ELSE :exp_fen * x.minutes_per_day / 60.0 END AS float8))
            END AS sql_score
    FROM scored x
)
SELECT * FROM ranked
WHERE CAST(:below AS float8) IS NULL OR sql_score <= CAST(:below AS float8) + {EPSILON}
ORDER BY sql_score DESC, id
LIMIT :limit OFFSET :offset
""").bindparams(bindparam("windows", type_=INT4MULTIRANGE))


async def plan_each_time(session: AsyncSession) -> None:
    """Plan the candidate queries for their actual values, never with a generic plan.

    The driver prepares statements, and after a few runs PostgreSQL may switch to a generic
    plan that cannot see how selective a skill or a bounding box is (and scans every profile).
    """
    await session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def _box(lat: float, lng: float, radius: float) -> dict[str, float]:
    min_lat, max_lat, min_lng, max_lng = bounding_box(lat, lng, radius)
    return {"lat": lat, "lng": lng, "min_lat": min_lat, "max_lat": max_lat,
            "min_lng": min_lng, "max_lng": max_lng}  # fmt: skip


def worker_params(
    gig: Gig, reqs: Sequence[Requirement], occurrences: Sequence[Interval], starts_today: bool
) -> dict[str, Any]:
    """The parameters of ``WORKERS_SQL`` for one gig."""
    pay = Pay(gig.pay_fen, gig.pay_unit, gig.minutes_per_day)
    offered = {"day": float(pay.fen), "hour": pay.fen * pay.minutes_per_day / 60}.get(pay.unit)
    catalogue = skills_by_code()
    terms: dict[str, Any] = {}
    for i, r in enumerate(reqs):
        terms[f"rc{i}"] = r.skill
        terms[f"rr{i}"] = SkillLevel(r.min_level).rank if r.min_level else 1
        terms[f"rl{i}"] = bool(catalogue[r.skill].certificates)
    return {
        **_box(gig.latitude, gig.longitude, MAX_TRAVEL_RADIUS_KM),
        **terms,
        "occ_starts": [start for start, _ in occurrences],
        "occ_ends": [end for _, end in occurrences],
        "req_codes": [r.skill for r in reqs],
        "cert_codes": list(gig.certificate_skill_codes),
        "mask": gig.weekday_mask,
        "pieces": list(gig.week_pieces),
        "dates": list(gig.local_dates),
        "poster": gig.poster_id,
        "starts_today": starts_today,
        "pay_unit": pay.unit,
        "pay_fen": float(pay.fen),
        "offered_day": offered,
        "minutes": pay.minutes_per_day,
    }


def gig_params(
    profile: GigWorkerProfile, busy: Sequence[Interval], now: datetime, today: date
) -> dict[str, Any]:
    """The parameters of ``GIGS_SQL`` for one worker."""
    without_certificates = [code for code, sk in skills_by_code().items() if not sk.certificates]
    return {
        **_box(profile.home_lat, profile.home_lng, profile.travel_radius_km),
        "radius": profile.travel_radius_km,
        "now": now,
        "codes": list(profile.skill_codes),
        "ranks": list(profile.skill_ranks),
        "certified": list(profile.certified_skill_codes),
        "cert_ok": [*profile.certified_skill_codes, *without_certificates],
        "not_mask": 0x7F ^ profile.weekday_mask,
        "windows": list(profile.week_windows),
        "dates_off": list(profile.dates_off),
        "me": profile.user_id,
        "same_day": profile.accepts_same_day,
        "today": today,
        "busy_starts": [start for start, _ in busy],
        "busy_ends": [end for _, end in busy],
        "exp_fen": profile.expected_pay_fen,
        "exp_unit": profile.expected_pay_unit,
    }


async def candidates(
    session: AsyncSession,
    statement: Any,
    params: dict[str, Any],
    below: float | None,
    limit: int,
    offset: int,
) -> Sequence[Row[Any]]:
    """One batch of candidates, best ``sql_score`` first, starting ``offset`` rows in."""
    values = {**params, "below": below, "limit": limit, "offset": offset}
    return (await session.execute(statement, values)).all()


async def gigs_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Gig]:
    rows = await session.execute(select(Gig).where(Gig.id.in_(ids)))
    return {g.id: g for g in rows.scalars()}
