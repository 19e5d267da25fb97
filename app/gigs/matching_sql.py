"""The candidate statements of matching: every hard rule in SQL, rows ranked by the score.

Workers for a gig read the gig's first required skill's entries of ``gig_worker_skill`` (or
every profile when the gig requires none); gigs for a worker read the open gigs whose required
skills the worker holds (GIN). Each statement applies every rule of docs/gig-matching.md,
section 1, and computes the five components and the score from the same term functions as
``app.gigs.scoring`` (evaluated over columns, compiled once into the text), so PostgreSQL keeps
only the best rows (a top-N sort) and joins what the page shows to those rows only.
``tests/gigs/test_match_equivalence.py`` checks the rules and the values against the Python
definitions on varied data.

The texts are fixed per shape (number of requirements, certificates, first or later page, batch
size and offset written into the text): the variable parts travel as parameters, and a shape's
plan is made once per connection (``app.gigs.matching_repository``). Every choice below
keeps that one plan good whatever the values: the worker statement is an index-only scan of one
skill's entries, the gig statement a bitmap scan of the GIN index on the required skills.
"""

from __future__ import annotations

import functools
import operator
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    TextClause,
    case,
    func,
    literal_column,
    text,
    type_coerce,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import DOUBLE_PRECISION

from app.core.geo import EARTH_RADIUS_KM
from app.gigs import scoring as s
from app.taxonomy import SkillLevel

EPSILON = 0.01  # a later page starts this far above its cursor's (rounded) score

# The components as the statements name them, in the order of a result's ``components``.
COMPONENTS = ("skill", "distance", "reliability", "rating", "pay")


def _distance(lat: str, lng: str, at_lat: str, at_lng: str) -> str:
    """Haversine distance in km, as app.core.geo.haversine_km computes it."""
    a = (
        f"power(sin(radians({lat} - {at_lat}) / 2), 2) + cos(radians({at_lat})) "
        f"* cos(radians({lat})) * power(sin(radians({lng} - {at_lng}) / 2), 2)"
    )
    return f"(2 * {EARTH_RADIUS_KM} * asin(least(1.0, sqrt({a}))))"


# The score's terms come from app.gigs.scoring, evaluated over columns instead of numbers.
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


def _record_parts(c: str) -> str:
    """The distance, reliability and rating components of row ``c`` (its counters)."""
    distance = _sql(s.distance_term(_real(f"{c}.distance_km"), SQL))
    reliability = _sql(
        s.reliability_term(
            _int(f"{c}.completed_count"),
            _int(f"{c}.cancelled_count"),
            _int(f"{c}.late_cancelled_count"),
            SQL,
        )
    )
    rating = _sql(s.rating_term(_int(f"{c}.rating_count"), _int(f"{c}.rating_sum"), SQL))
    return (
        f"{distance} AS distance_part, {reliability} AS reliability_part, {rating} AS rating_part"
    )


def _score(row: str) -> str:
    """The weighted sum of row ``row``'s components, in the order scoring.score_pair adds it."""
    w = s.WEIGHTS
    record = _sql(
        s.record_term(
            _real(f"{row}.distance_part"),
            _real(f"{row}.reliability_part"),
            _real(f"{row}.rating_part"),
        )
    )
    return f"{w['skill']} * {row}.skill_part + {record} + {w['pay']} * {row}.pay_part"


def _skill_terms(arity: int) -> str:
    """Skill fit of row ``c`` against ``arity`` requirements bound as :rc0, :rr0, :rl0, …

    Inline terms (one statement per arity, at most five) rather than a subquery per row.
    """
    if arity == 0:
        return "CAST(1.0 AS float8)"
    terms = [
        s.requirement_term(
            s.fit_term(
                _int(
                    f"coalesce(c.skill_ranks[array_position(c.skill_codes, "
                    f"CAST(:rc{i} AS varchar))], 0)"
                ),
                _int(f"CAST(:rr{i} AS int)"),
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


# A day's pay in float8 arithmetic, as Python divides: hour pay × minutes / 60.
_HOURLY_DAY = "CAST({fen} * {minutes} AS float8) / 60"


def _worker_pay_fit() -> str:
    """Pay fit of worker row ``c`` (what it expects) against the gig's pay (bound)."""
    expected_fen, expected_unit = _int("c.expected_pay_fen"), _text("c.expected_pay_unit")
    offered_day = _real("CAST(:offered_day AS float8)")
    hourly = _HOURLY_DAY.format(fen="c.expected_pay_fen", minutes="CAST(:minutes AS int)")
    return _sql(
        case(
            (expected_fen.is_(None), 1.0),
            (
                _text("CAST(:pay_unit AS varchar)") == "piece",
                case(
                    (
                        expected_unit == "piece",
                        s.fit_term(_real("CAST(:pay_fen AS float8)"), expected_fen, SQL),
                    ),
                    else_=s.NO_COMPARISON,
                ),
            ),
            (expected_unit == "day", s.fit_term(offered_day, expected_fen, SQL)),
            (expected_unit == "hour", s.fit_term(offered_day, _real(hourly), SQL)),
            else_=s.NO_COMPARISON,
        )
    )


def _gig_pay_fit() -> str:
    """Pay fit of gig row ``x`` (what it offers) against the worker's expectation (bound)."""
    expected_unit = _text("CAST(:exp_unit AS varchar)")
    offered_day = _real(
        "CASE x.pay_unit WHEN 'day' THEN CAST(x.pay_fen AS float8) ELSE "
        + _HOURLY_DAY.format(fen="x.pay_fen", minutes="x.minutes_per_day")
        + " END"
    )
    wanted_day = _real(
        "CASE CAST(:exp_unit AS varchar) WHEN 'day' THEN CAST(:exp_fen AS float8) ELSE "
        + _HOURLY_DAY.format(fen="CAST(:exp_fen AS int)", minutes="x.minutes_per_day")
        + " END"
    )
    return _sql(
        case(
            (_int("CAST(:exp_fen AS int)").is_(None), 1.0),
            (
                _text("x.pay_unit") == "piece",
                case(
                    (
                        expected_unit == "piece",
                        s.fit_term(_int("x.pay_fen"), _int("CAST(:exp_fen AS int)"), SQL),
                    ),
                    else_=s.NO_COMPARISON,
                ),
            ),
            (expected_unit == "piece", s.NO_COMPARISON),
            else_=s.fit_term(offered_day, wanted_day, SQL),
        )
    )


def _page(key: str, continuing: bool, size: int, offset: int) -> str:
    """The ranked rows of one batch: below the cursor's score on a later page."""
    below = f"WHERE sql_score <= CAST(:below AS float8) + {EPSILON}" if continuing else ""
    return f"""SELECT * FROM ranked {below}
    ORDER BY sql_score DESC, {key}
    LIMIT {int(size)} OFFSET {int(offset)}"""


# The page's own columns of a worker: the profile's skills (JSON as text, decoded for the page's
# rows only) and merged time windows, the user's name and phone (sealed), the worker's
# application to the gig.
WORKER_PAGE_COLUMNS = (
    "w.skills::text AS skills_json, w.week_windows, u.nickname, "
    "u.phone_encrypted, u.real_name_encrypted, a.id AS application_id, "
    "a.origin AS application_origin, a.status AS application_status"
)


# A worker with an active booking at a time overlapping the gig's (this gig's own booking
# included) is left out. Asked of the batch's rows only (an index probe of the worker's active
# bookings, most have none) rather than finding every busy worker of the day before ranking:
# the caller skips them, and a batch short of results is followed by the next one.
_BUSY = """EXISTS (
    SELECT 1 FROM gig_booking b
    JOIN gig_occurrence o ON o.gig_id = b.gig_id
    JOIN unnest(CAST(:occ_starts AS timestamptz[]), CAST(:occ_ends AS timestamptz[])) AS t(s, e)
        ON o.starts_at < t.e AND o.ends_at > t.s
    WHERE b.worker_id = x.user_id AND b.status IN ('booked', 'checked_in'))"""


# Without a required skill, every profile within the farthest travel radius of the gig (the
# index on the home coordinates); a skill's entries need no box: the district is compact and
# the exact distance test follows.
_HOME_BOX = """
      AND p.home_lat BETWEEN CAST(:min_lat AS float8) AND CAST(:max_lat AS float8)
      AND p.home_lng BETWEEN CAST(:min_lng AS float8) AND CAST(:max_lng AS float8)"""


@cache
def workers_sql(
    arity: int, certified: bool, continuing: bool, size: int, offset: int
) -> TextClause:
    """Candidate workers for a gig with ``arity`` required skills, best first, one batch.

    With a required skill the candidates are the index entries of its first one in
    ``gig_worker_skill`` whose weekday mask holds the gig's (an index-only scan over
    consecutive pages, ``:masks`` every superset of the gig's mask); without, every profile.
    The distance is computed once, for the rows that pass the other tests.
    """
    source = (
        "gig_worker_skill p WHERE p.skill_code = CAST(:rc0 AS varchar)\n"
        "      AND p.weekday_mask = ANY (CAST(:masks AS smallint[]))"
        if arity
        else "gig_worker_profile p\n"
        "    WHERE (p.weekday_mask & CAST(:mask AS smallint)) = CAST(:mask AS smallint)" + _HOME_BOX
    )
    more_skills = "AND p.skill_codes @> CAST(:req_codes AS varchar[])" if arity > 1 else ""
    certificates = (
        "AND p.certified_skill_codes @> CAST(:cert_codes AS varchar[])" if certified else ""
    )
    return text(f"""
WITH c AS (
    SELECT p.user_id, p.expected_pay_fen, p.expected_pay_unit, p.completed_count,
           p.cancelled_count, p.late_cancelled_count, p.rating_count, p.rating_sum,
           p.skill_codes, p.skill_ranks, p.certified_skill_codes, p.travel_radius_km,
           {_distance("p.home_lat", "p.home_lng", "CAST(:lat AS float8)", "CAST(:lng AS float8)")}
               AS distance_km
    FROM {source}
      AND p.week_windows @> ALL (CAST(:pieces AS int4range[]))
      AND (cardinality(p.dates_off) = 0 OR NOT (p.dates_off && CAST(:dates AS date[])))
      {more_skills} {certificates}
      AND p.user_id <> CAST(:poster AS uuid)
      AND (p.accepts_same_day OR NOT CAST(:starts_today AS boolean))
    OFFSET 0
),
scored AS (
    SELECT c.user_id, c.distance_km, c.expected_pay_fen, c.expected_pay_unit,
           c.completed_count, c.cancelled_count, c.late_cancelled_count, c.rating_count,
           c.rating_sum, {_skill_terms(arity)} AS skill_part, {_record_parts("c")},
           {_worker_pay_fit()} AS pay_part
    FROM c
    WHERE c.distance_km <= c.travel_radius_km
    OFFSET 0
),
ranked AS (
    SELECT scored.*, {_score("scored")} AS sql_score FROM scored
)
SELECT x.*, {WORKER_PAGE_COLUMNS}, {_BUSY} AS busy
FROM ({_page("user_id", continuing, size, offset)}) x
JOIN gig_worker_profile w ON w.user_id = x.user_id
JOIN "user" u ON u.id = x.user_id
LEFT JOIN gig_application a ON a.gig_id = CAST(:gig AS uuid) AND a.worker_id = x.user_id
ORDER BY x.sql_score DESC, x.user_id
""")


# The columns of a gig list item (app.gigs.views.gig_list_item) not already among the candidates'.
LIST_ITEM_COLUMNS = (
    "status", "title", "starts_at", "ends_at", "area_code", "address", "latitude", "longitude",
    "headcount", "booked_count", "settlement", "employer_id", "created_at",
)  # fmt: skip


# A ranked gig row's own columns (``required_skills`` aside).
GIG_ROW_COLUMNS = (
    "id", "poster_id", "pay_fen", "pay_unit", "minutes_per_day", "work_dates", "start_minute",
    "end_minute", "distance_km", "completed_count", "cancelled_count", "late_cancelled_count",
    "rating_count", "rating_sum", "skill_part", "distance_part", "reliability_part",
    "rating_part", "pay_part", "sql_score",
)  # fmt: skip


@cache
def gigs_sql(continuing: bool, size: int, offset: int) -> TextClause:
    """Open gigs that have not started for a worker, best first, one batch.

    The candidates come from the GIN index on the required skills (the gigs whose every
    required skill the worker holds); the distance is computed for those only, so no bounding
    box is needed (one on the indexed coordinates would tempt a plan made without the values
    into scanning every gig in a box that, in a compact district, holds most of them).
    """
    return text(f"""
WITH c AS (
    SELECT g.id, g.poster_id, g.required_skills, g.pay_fen, g.pay_unit, g.minutes_per_day,
           g.work_dates, g.start_minute, g.end_minute,
           {_distance("g.latitude", "g.longitude", "CAST(:lat AS float8)", "CAST(:lng AS float8)")}
               AS distance_km
    FROM gig g
    WHERE g.status = 'open' AND g.required_skill_codes <@ CAST(:codes AS varchar[])
      AND (g.weekday_mask & CAST(:not_mask AS smallint)) = 0
      AND g.starts_at > CAST(:now AS timestamptz)
      AND CAST(:windows AS int4multirange) @> ALL (g.week_pieces)
      AND g.certificate_skill_codes <@ CAST(:certified AS varchar[])
      AND NOT (g.local_dates && CAST(:dates_off AS date[]))
      AND g.poster_id <> CAST(:me AS uuid)
      AND (CAST(:same_day AS boolean) OR g.work_dates[1] > CAST(:today AS date))
      AND NOT EXISTS (
          SELECT 1 FROM gig_occurrence o
          JOIN unnest(CAST(:busy_starts AS timestamptz[]), CAST(:busy_ends AS timestamptz[]))
              AS t(s, e) ON o.starts_at < t.e AND o.ends_at > t.s
          WHERE o.gig_id = g.id)
    OFFSET 0
),
scored AS (
    SELECT x.*, {_gig_skill_fit()} AS skill_part, {_record_parts("x")},
           {_gig_pay_fit()} AS pay_part
    FROM (
        SELECT c.*, coalesce(st.completed_count, 0) AS completed_count,
               coalesce(st.cancelled_count, 0) AS cancelled_count,
               coalesce(st.late_cancelled_count, 0) AS late_cancelled_count,
               coalesce(st.rating_count, 0) AS rating_count,
               coalesce(st.rating_sum, 0) AS rating_sum
        FROM c LEFT JOIN gig_poster_stats st ON st.user_id = c.poster_id
        WHERE c.distance_km <= CAST(:radius AS float8)
    ) x
    OFFSET 0
),
ranked AS (
    SELECT scored.*, {_score("scored")} AS sql_score FROM scored
)
-- The page is chosen on narrow rows; only its rows fetch what a list item shows. The required
-- skills travel as text: the page decodes each distinct list once.
SELECT {", ".join(f"x.{c}" for c in GIG_ROW_COLUMNS)},
       x.required_skills::text AS required_skills_json,
       {", ".join(f"w.{c}" for c in LIST_ITEM_COLUMNS)}
FROM ({_page("id", continuing, size, offset)}) x
JOIN gig w ON w.id = x.id
ORDER BY x.sql_score DESC, x.id
""")
