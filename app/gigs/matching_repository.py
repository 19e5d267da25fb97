"""The candidate SQL of matching: every hard rule that indexes can serve, ordered by the score.

Workers for a gig: a bounding box on the indexed home latitude/longitude, skill containment on the
GIN-indexed ``skill_codes`` (and ``certified_skill_codes`` for certificates), the weekday bitmask,
days off, the worker's own travel radius, and no active booking at an overlapping time.
Gigs for a worker: the same rules seen from the other side, on open gigs that have not started.

Rows come ordered by ``sql_score``: the documented score built from the same weights and term
functions as app.gigs.scoring (evaluated over columns, compiled once), so PostgreSQL keeps only the
best rows (a top-N sort) and the caller reads a short list. Python then recomputes the score and
checks the time windows; ``tests/gigs/test_matching.py`` checks that the two agree.

The statements are fixed texts whose variable parts (requirements, occurrences, bookings) travel
as arrays, so the driver prepares each once and no expression tree is built per request.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Sequence
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Row,
    String,
    TextClause,
    bindparam,
    case,
    func,
    literal_column,
    text,
    type_coerce,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import ARRAY, DOUBLE_PRECISION, INT4MULTIRANGE, INT4RANGE
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


# The score's terms come from app.gigs.scoring, evaluated over columns instead of numbers, and are
# compiled once into the fixed statement texts below (constants inlined).
SQL = s.Maths(
    exp=func.exp, least=func.least, real=lambda value: type_coerce(value, DOUBLE_PRECISION)
)


def _sql(expression: ColumnElement[Any]) -> str:
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    compiled = expression.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
    return f"({compiled})"


def _int(sql: str) -> ColumnElement[Any]:
    return literal_column(sql, Integer)


def _real(sql: str) -> ColumnElement[Any]:
    return literal_column(sql, DOUBLE_PRECISION)


def _text(sql: str) -> ColumnElement[Any]:
    return literal_column(sql, String)


def _place_and_record(c: str) -> str:
    """Distance, reliability and rating parts from the counters of row ``c``."""
    return _sql(
        s.place_and_record_term(
            _real(f"{c}.distance_km"),
            _int(f"{c}.completed_count"),
            _int(f"{c}.cancelled_count"),
            _int(f"{c}.late_cancelled_count"),
            _int(f"{c}.rating_count"),
            _int(f"{c}.rating_sum"),
            SQL,
        )
    )


def _skill_terms(arity: int) -> str:
    """Skill fit of row ``c`` against ``arity`` requirements bound as :rc0, :rr0, :rl0, …

    Inline terms (one statement per arity, at most five) rather than a subquery per row.
    """
    if arity == 0:
        return "1.0"
    terms = [
        s.requirement_term(
            s.fit_term(
                _int(
                    f"coalesce(c.skill_ranks[array_position(c.skill_codes, "
                    f"CAST(:rc{i} AS varchar))], 0)"
                ),
                _int(f":rr{i}"),
                SQL,
            ),
            _int(
                f"CASE WHEN NOT CAST(:rl{i} AS boolean) OR :rc{i} = ANY(c.certified_skill_codes) "
                "THEN 1 ELSE 0 END"
            ),
        )
        for i in range(arity)
    ]
    return _sql(functools.reduce(operator.add, terms) / arity)


def _gig_skill_fit() -> str:
    """Skill fit of gig row ``x``'s required skills against the worker's (bound arrays)."""
    held_rank = _int(
        "coalesce((CAST(:ranks AS int[]))[array_position(CAST(:codes AS varchar[]), "
        "CAST(r.skill AS varchar))], 0)"
    )
    wanted_rank = case(
        {level.value: level.rank for level in SkillLevel if level.rank > 1},
        value=_text("r.min_level"),
        else_=1,
    )
    certificate = _int("CASE WHEN r.skill = ANY(CAST(:cert_ok AS varchar[])) THEN 1 ELSE 0 END")
    term = s.requirement_term(s.fit_term(held_rank, wanted_rank, SQL), certificate)
    return (
        f"(SELECT coalesce(avg({_sql(term)}), 1.0) "
        "FROM jsonb_to_recordset(x.required_skills) AS r(skill text, min_level text))"
    )


def _worker_pay_fit() -> str:
    """Pay fit of worker row ``c`` (what it expects) against the gig's pay (bound)."""
    expected_fen, expected_unit = _int("c.expected_pay_fen"), _text("c.expected_pay_unit")
    offered_day = _real(":offered_day")
    return _sql(
        case(
            (expected_fen.is_(None), 1.0),
            (
                _text(":pay_unit") == "piece",
                case(
                    (expected_unit == "piece", s.fit_term(_real(":pay_fen"), expected_fen, SQL)),
                    else_=s.NO_COMPARISON,
                ),
            ),
            (expected_unit == "day", s.fit_term(offered_day, expected_fen, SQL)),
            (
                expected_unit == "hour",
                s.fit_term(offered_day, _real("c.expected_pay_fen * :minutes / 60.0"), SQL),
            ),
            else_=s.NO_COMPARISON,
        )
    )


def _gig_pay_fit() -> str:
    """Pay fit of gig row ``x`` (what it offers) against the worker's expectation (bound)."""
    expected_unit = _text(":exp_unit")
    offered_day = _real(
        "CASE x.pay_unit WHEN 'day' THEN x.pay_fen ELSE x.pay_fen * x.minutes_per_day / 60.0 END"
    )
    wanted_day = _real(
        "CASE :exp_unit WHEN 'day' THEN CAST(:exp_fen AS numeric) "
        "ELSE :exp_fen * x.minutes_per_day / 60.0 END"
    )
    return _sql(
        case(
            (_int("CAST(:exp_fen AS int)").is_(None), 1.0),
            (
                _text("x.pay_unit") == "piece",
                case(
                    (
                        expected_unit == "piece",
                        s.fit_term(_int("x.pay_fen"), _int(":exp_fen"), SQL),
                    ),
                    else_=s.NO_COMPARISON,
                ),
            ),
            (expected_unit == "piece", s.NO_COMPARISON),
            else_=s.fit_term(offered_day, wanted_day, SQL),
        )
    )


def _score(skill_fit: str, row: str, pay_fit: str) -> str:
    """The weighted sum, in the order app.gigs.scoring.score_pair adds it."""
    w = s.WEIGHTS
    return f"{w['skill']} * {skill_fit} + {_place_and_record(row)} + {w['pay']} * {pay_fit}"


@cache
def workers_sql(arity: int) -> TextClause:
    """Candidate workers for a gig with ``arity`` required skills.

    With a required skill, the candidates are the index entries of its first one in
    ``gig_worker_skill`` (an index-only scan over consecutive pages); without, every profile.
    """
    source = (
        "gig_worker_skill p WHERE p.skill_code = CAST(:rc0 AS varchar) AND"
        if arity
        else "gig_worker_profile p WHERE"
    )
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
    FROM {source}
      p.home_lat BETWEEN :min_lat AND :max_lat AND p.home_lng BETWEEN :min_lng AND :max_lng
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
    SELECT c.*, {_score(_skill_terms(arity), "c", _worker_pay_fit())} AS sql_score
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


# The columns of a gig list item (app.gigs.views.gig_list_item) not already among the candidates'.
LIST_ITEM_COLUMNS = (
    "status", "title", "starts_at", "ends_at", "area_code", "address", "latitude", "longitude",
    "headcount", "booked_count", "settlement", "employer_id", "created_at",
)  # fmt: skip

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
    SELECT x.*, {_score(_gig_skill_fit(), "x", _gig_pay_fit())} AS sql_score
    FROM scored x
)
-- The page is chosen on narrow rows; only its rows fetch what a list item shows.
SELECT x.*, {", ".join(f"w.{c}" for c in LIST_ITEM_COLUMNS)}
FROM (
    SELECT * FROM ranked
    WHERE CAST(:below AS float8) IS NULL OR sql_score <= CAST(:below AS float8) + {EPSILON}
    ORDER BY sql_score DESC, id
    LIMIT :limit OFFSET :offset
) x
JOIN gig w ON w.id = x.id
ORDER BY x.sql_score DESC, x.id
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
