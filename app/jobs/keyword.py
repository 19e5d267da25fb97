"""Relevance order for keyword searches, read from the postings (``job_term``) in O(limit).

The score of a job for a query of ``n`` terms, in days (higher first):

    publication day + TITLE_BONUS_DAYS × (terms found in the title or occupation) / n
                    − DAYS_PER_KM × distance          (only when the query has lat/lng)

then ``published_at``, then ``id`` (descending), the keyset ``[score, published_at, id]``.
Title beats description (by a month of freshness), fresher beats older, nearer beats farther.

Every posting stores its term's part of it (``score = day + bonus``), indexed per term in
descending order, so:

* one term, no location: the page is the first ``limit`` index entries (index-only scan);
* several terms or a location: the rarest term *drives* (its postings are walked best first,
  the others are looked up by primary key ``(job_id, term)``). A job's score is at most the
  mean of its postings' scores (equal without a location), so a two-phase threshold read is
  exact: phase 1 scores a sample of the driver's best postings and takes the page's last score
  ``kth`` among them; phase 2 reads only driver postings ≥ n·kth − Σ best score of the other
  terms (each one index entry) and sorts those few;
* filters: the common ones (category, area, job type, pay, education, graduates, posted within)
  are copied into the postings and checked in the index, so the walk stays index-only; the
  rest (occupation, industry) need the job row: the walk checks at most ``SCAN_CAP`` postings'
  rows, and when that does not fill the page the filter is selective and the same statement
  without the cap lets PostgreSQL start from the job indexes. ``employer_id`` (a few dozen
  jobs) always starts there.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    Float,
    Integer,
    Select,
    String,
    Uuid,
    and_,
    any_,
    bindparam,
    cast,
    func,
    literal,
    select,
    text,
    tuple_,
)

from app.employers.models import Employer
from app.jobs import search
from app.jobs.models import Job, JobTerm

# Keep in step with job_term_score() in migration 20261203_1400 (the stored posting score).
TITLE_BONUS_DAYS = 30.0
DAYS_PER_KM = 1.0
# Postings of the driving term read before a filtered search hands over to the job indexes.
SCAN_CAP = 500
# Phase 1 of a two-phase read samples this many pages' worth of the driver's postings.
SAMPLE_FACTOR = 4
# How long the term frequencies (pg_stats of job_term.term) are trusted, in seconds.
STATS_TTL = 600.0

# Filters the postings carry (checked in the index) and those that need the job row.
_POSTING_EQUAL = {
    "category": "occupation_category",
    "job_type": "job_type",
    "area_code": "area_code",
}
POSTING_FILTERS = (*_POSTING_EQUAL, "open_to_graduates", "salary_min_fen", "education")
JOB_FILTERS = ("occupation", "industry", "employer_id")


@dataclass(frozen=True, slots=True)
class Shape:
    """What decides the SQL text: the values travel as bind parameters."""

    terms: int
    near: bool
    filters: frozenset[str]  # conditions on the job row
    posting_filters: frozenset[str]  # conditions the postings carry
    posted_since: bool
    after: bool
    plan: str  # "postings" (walk the driver), "capped" (walk, checking job rows), "jobs"
    page: int  # the page size (LIMIT and OFFSET are written into the text: search.count)

    @property
    def exact(self) -> bool:
        """The stored score of the driver is the job's score: no second phase."""
        return self.terms == 1 and not self.near


def _bonus_slack(terms: int) -> float:
    """How far the title bonus can move a job's score from its driver posting's score."""
    return TITLE_BONUS_DAYS * (terms - 1) / terms


def _score(shape: Shape, t: Any, others: list[Any]) -> ColumnElement[float]:
    if shape.exact:
        exact: ColumnElement[float] = t.c.score
        return exact
    titles: Any = cast(t.c.in_title, Integer)
    for other in others:
        titles = titles + cast(other.c.in_title, Integer)
    score: Any = func.job_term_days(t.c.published_at) + cast(titles, Float) * literal(
        TITLE_BONUS_DAYS / shape.terms, Float
    )
    if shape.near:
        distance = search.distance_km(t.c.latitude, t.c.longitude)
        score = score - distance * literal(DAYS_PER_KM, Float)
    result: ColumnElement[float] = score
    return result


def _candidates(
    shape: Shape, *, ordered: bool, floor: Any = None, limit: int | None = None
) -> Select[Any]:
    """Jobs matching every term and condition: job_id, published_at, f (the score)."""
    t = JobTerm.__table__.alias("t")
    others = [JobTerm.__table__.alias(f"o{i}") for i in range(1, shape.terms)]
    source: Any = t
    if shape.plan == "capped" and ordered:
        # The driver's best postings only (a bounded index walk), checked against the job rows.
        source = (
            select(t)
            .where(*_posting_conditions(shape, t, floor))
            .order_by(t.c.score.desc(), t.c.published_at.desc(), t.c.job_id.desc())
            .limit(search.count(SCAN_CAP))
            .subquery("t")
        )
        t = source
    f = None
    for i, other in enumerate(others, start=1):
        source = source.join(
            other,
            and_(other.c.job_id == t.c.job_id, other.c.term == bindparam(f"term_{i}", String)),
        )
    if shape.filters:
        source = source.join(Job, Job.id == t.c.job_id)
    f = _score(shape, t, others)
    stmt = select(t.c.job_id, t.c.published_at, f.label("f"), t.c.score).select_from(source)
    if not (shape.plan == "capped" and ordered):
        stmt = stmt.where(*_posting_conditions(shape, t, floor))
    stmt = stmt.where(*search.job_filters(shape.filters))
    if shape.after:
        after: list[Any] = [
            bindparam("after_0", type_=Float),
            bindparam("after_1", type_=DateTime(timezone=True)),
            bindparam("after_2", type_=Uuid),
        ]
        stmt = stmt.where(tuple_(f, t.c.published_at, t.c.job_id) < tuple_(*after))
    if ordered:
        stmt = stmt.order_by(t.c.score.desc(), t.c.published_at.desc(), t.c.job_id.desc())
        stmt = stmt.limit(search.count(shape.page + 1 if limit is None else limit))
    return stmt


def _posting_conditions(shape: Shape, t: Any, floor: Any) -> list[Any]:
    where: list[Any] = [
        t.c.term == bindparam("term_0", String),
        t.c.published,
        t.c.valid_until >= bindparam("today", type_=Date),
    ]
    if shape.posted_since:
        since = bindparam("posted_since", type_=DateTime(timezone=True))
        where.append(t.c.published_at >= since)
    filters = shape.posting_filters
    where.extend(
        t.c[column] == bindparam(name) for name, column in _POSTING_EQUAL.items() if name in filters
    )
    if "open_to_graduates" in filters:
        where.append(t.c.open_to_graduates)
    if "salary_min_fen" in filters:
        where.append(t.c.monthly_salary_max_fen >= bindparam("salary_min_fen", type_=Integer))
    if "education" in filters:
        where.append(t.c.education == any_(search.education_levels()))
    if shape.near:
        box = [bindparam(n, type_=Float) for n in ("min_lng", "min_lat", "max_lng", "max_lat")]
        where.append(t.c.latitude.between(box[1], box[3]))
        where.append(t.c.longitude.between(box[0], box[2]))
        where.append(
            search.distance_km(t.c.latitude, t.c.longitude) <= bindparam("radius_km", type_=Float)
        )
    if shape.after and not shape.exact:
        # Postings whose job must have a score above the cursor's: shown already.
        where.append(t.c.score <= bindparam("score_ceiling", type_=Float))
    if floor is not None:
        where.append(t.c.score >= floor)
    return where


def _best_score(term: str) -> Any:
    """The best stored score of a term (one index entry)."""
    o = JobTerm.__table__.alias("best")
    return (
        select(func.max(o.c.score))
        .where(o.c.term == bindparam(term, String), o.c.published)
        .scalar_subquery()
    )


@lru_cache(maxsize=512)
def statement(shape: Shape) -> Select[*tuple[Any, ...]]:
    """The page's jobs (:limit rows) in score order, with their list columns and employers."""
    if shape.exact:
        page_query = _candidates(shape, ordered=True)
    else:
        # Phase 1: a sample of the driver's best postings; the page's last score among them
        # is a score the true page's last row reaches at least.
        sample = SAMPLE_FACTOR * (shape.page + 1)
        first = _candidates(shape, ordered=True, limit=sample).cte("first")
        kth = (
            select(first.c.f)
            .order_by(first.c.f.desc())
            .offset(search.count(shape.page))
            .limit(1)
            .scalar_subquery()
        )
        # A job's score is at most the mean of its postings' scores, each at most its term's
        # best: a job reaching ``kth`` has a driver posting ≥ n·kth − Σ best(other terms).
        floor: Any = kth * shape.terms
        for i in range(1, shape.terms):
            floor = floor - _best_score(f"term_{i}")
        # Fewer candidates than a page: all were seen (or, capped, the walk stopped short and
        # the caller starts over from the job indexes, so the second phase returns nothing).
        exhausted = "Infinity" if shape.plan == "capped" else "-Infinity"
        floor = func.coalesce(floor - literal(1e-6, Float), cast(literal(exhausted), Float))
        page_query = _candidates(shape, ordered=False, floor=floor)
        page_query = page_query.order_by(
            text("f DESC"), page_query.selected_columns.published_at.desc(),
            page_query.selected_columns.job_id.desc(),
        ).limit(search.count(shape.page + 1))  # fmt: skip
    page = page_query.subquery("page")
    distance = search.distance_km() if shape.near else literal(None, Float)
    keys = (page.c.f, page.c.published_at, page.c.job_id)
    stmt: Select[*tuple[Any, ...]] = (
        select(
            *search.LIST_COLUMNS,
            distance.label("distance_km"),
            *(key.label(f"k{i}") for i, key in enumerate(keys)),
            Employer.name.label("employer_name"),
            (Employer.status == "verified").label("employer_verified"),
        )
        .select_from(page)
        .join(Job, Job.id == page.c.job_id)
        .join(Employer, Employer.id == Job.employer_id)
        .order_by(*(key.desc() for key in keys))
    )
    return stmt


_stats: tuple[float, dict[str, float]] = (-math.inf, {})

_FREQUENCIES = text(
    """SELECT most_common_vals::text::text[] AS terms, most_common_freqs AS freqs
       FROM pg_stats
       WHERE tablename = 'job_term' AND attname = 'term' AND schemaname = current_schema()"""
)


async def _frequencies(fetch: search.Fetch) -> dict[str, float]:
    """Share of postings per common term (pg_stats, refreshed every STATS_TTL seconds)."""
    global _stats
    loaded_at, frequencies = _stats
    if time.monotonic() - loaded_at < STATS_TTL:
        return frequencies
    rows = await fetch(_FREQUENCIES, {})
    row = rows[0] if rows else None
    frequencies = dict(zip(row.terms, row.freqs, strict=True)) if row and row.terms else {}
    _stats = (time.monotonic(), frequencies)
    return frequencies


async def driver_first(fetch: search.Fetch, terms: tuple[str, ...]) -> list[str]:
    """The terms, rarest first: a term outside the statistics' common values is rarer than
    any of them; among equals the longer (more specific) term leads."""
    if len(terms) == 1:
        return list(terms)
    frequencies = await _frequencies(fetch)
    return sorted(terms, key=lambda term: (frequencies.get(term, 0.0), -len(term), term))


def bind(query: search.SearchQuery, terms: list[str], plan: str) -> tuple[Shape, dict[str, Any]]:
    """The statement shape and parameters of a relevance search."""
    _, base = search.bind(query)
    params = {k: v for k, v in base.items() if not k.startswith("term_")}
    params.update((f"term_{i}", term) for i, term in enumerate(terms))
    present = set(base) | ({"open_to_graduates"} if query.open_to_graduates else set())
    filters = frozenset(name for name in JOB_FILTERS if name in present)
    shape = Shape(
        terms=len(terms),
        near=query.near is not None,
        filters=filters,
        posting_filters=frozenset(name for name in POSTING_FILTERS if name in present),
        posted_since="posted_since" in params,
        after=query.after is not None,
        plan=plan if filters else "postings",
        page=query.limit,
    )
    if not shape.exact and query.after is not None:
        radius = query.near.radius_km if query.near else 0.0
        # How far below its driver posting's score a job's score can fall, plus a margin.
        slack = _bonus_slack(len(terms)) + DAYS_PER_KM * radius + 1e-6
        params["score_ceiling"] = float(query.after[0]) + slack
    return shape, params


async def run(fetch: search.Fetch, query: search.SearchQuery) -> list[Any]:
    """The rows of one page plus one (to tell whether a next page exists)."""
    terms = await driver_first(fetch, query.terms)
    plan = "jobs" if query.employer_id is not None else "capped"
    shape, params = bind(query, terms, plan)
    rows = list(await fetch(statement(shape), params))
    if shape.plan == "capped" and len(rows) <= query.limit:
        # The capped walk may have stopped short: let the job indexes drive instead.
        shape, params = bind(query, terms, "jobs")
        rows = list(await fetch(statement(shape), params))
    return rows
