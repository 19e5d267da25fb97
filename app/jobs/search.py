"""The job search statement: one Core SELECT (no ORM objects) with keyset pagination.

Every public query carries ``status = 'published'`` so the partial indexes apply, and
``valid_until >= today`` so expired jobs vanish at midnight (Asia/Shanghai) without a worker.
Relevance is read from the postings (``job_term``) by app.jobs.keyword; the other orders
filter on the postings' terms. Sort orders and their keysets (all end in ``id`` so the order
is total and stable):

| sort      | order                                   | cursor                     |
|-----------|-----------------------------------------|----------------------------|
| relevance | score desc, published_at desc, id desc   | [score, published_at, id]  |
| newest    | published_at desc, id desc               | [published_at, id]         |
| distance  | distance asc, id asc                     | [distance, id]             |
| salary    | monthly_salary_max_fen desc, id desc     | [monthly max, id]          |
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Date,
    DateTime,
    Float,
    Integer,
    Select,
    String,
    any_,
    bindparam,
    func,
    literal,
    literal_column,
    select,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable

from app.core.geo import EARTH_RADIUS_KM, bounding_box
from app.employers.models import Employer
from app.jobs.models import Job, JobTerm

EDUCATION_ORDER = (
    "none",
    "junior_middle",
    "senior_high",
    "associate",
    "bachelor",
    "master",
    "doctorate",
)


@dataclass(frozen=True, slots=True)
class Near:
    lat: float
    lng: float
    radius_km: float


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A validated search: what the service hands the statement builder."""

    sort: str
    limit: int
    today: date
    now: datetime
    terms: tuple[str, ...] = ()
    category: str | None = None
    occupation: str | None = None
    industry: str | None = None
    job_type: str | None = None
    salary_min_fen: int | None = None
    area_code: str | None = None
    education: str | None = None
    open_to_graduates: bool | None = None
    employer_id: uuid.UUID | None = None
    posted_within_days: int | None = None
    near: Near | None = None
    after: tuple[Any, ...] | None = None


def count(n: int) -> ColumnElement[int]:
    """A LIMIT or OFFSET written into the statement text rather than bound: with ``LIMIT $n``
    PostgreSQL distrusts the generic plan of a prepared search and re-plans it on every run (a
    broad word: 0.66 ms against 0.36 ms, most of it planning); page sizes are few."""
    return literal_column(str(int(n)), Integer)


def distance_km(
    latitude: ColumnElement[float] | None = None, longitude: ColumnElement[float] | None = None
) -> ColumnElement[float]:
    """Haversine distance from (:lat, :lng) to the job (or to the given columns), in SQL (same
    formula as app.core.geo)."""
    lat = Job.latitude if latitude is None else latitude
    lng = Job.longitude if longitude is None else longitude
    lat0 = bindparam("lat", type_=Float)
    lng0 = bindparam("lng", type_=Float)
    half_dlat = func.radians(lat - lat0) / 2
    half_dlng = func.radians(lng - lng0) / 2
    a = func.power(func.sin(half_dlat), 2) + func.cos(func.radians(lat0)) * func.cos(
        func.radians(lat)
    ) * func.power(func.sin(half_dlng), 2)
    expr: ColumnElement[float] = 2 * EARTH_RADIUS_KM * func.asin(func.least(1.0, func.sqrt(a)))
    return expr


def term_names(filters: frozenset[str]) -> list[str]:
    """The keyword's term parameters (``term_0`` …) in order."""
    return sorted((name for name in filters if name.startswith("term_")), key=lambda n: int(n[5:]))


@dataclass(frozen=True, slots=True)
class Shape:
    """What decides the SQL text of a search; the values travel as bind parameters, so each
    shape is built once and its compiled form and prepared statement are reused."""

    sort: str
    filters: frozenset[str]
    near: bool
    after: bool
    rows: int  # LIMIT, written into the text (see ``count``)


# Optional equality filters: parameter name → column.
_EQUAL = {
    "category": Job.occupation_category,
    "occupation": Job.occupation_code,
    "industry": Job.industry_code,
    "job_type": Job.job_type,
    "area_code": Job.area_code,
    "employer_id": Job.employer_id,
}


def education_levels() -> Any:
    """The ``education`` parameter: the levels a seeker with that education meets (an array, so
    the statement text is fixed and compiles once for the driver)."""
    return bindparam("education", type_=ARRAY(String))


def job_filters(filters: frozenset[str]) -> list[ColumnElement[bool]]:
    """The optional conditions on the job row (category, pay, education …)."""
    where: list[ColumnElement[bool]] = []
    where.extend(column == bindparam(name) for name, column in _EQUAL.items() if name in filters)
    if "open_to_graduates" in filters:
        where.append(Job.open_to_graduates.is_(True))
    if "salary_min_fen" in filters:
        where.append(Job.monthly_salary_max_fen >= bindparam("salary_min_fen", type_=Integer))
    if "education" in filters:
        where.append(Job.education == any_(education_levels()))
    return where


def _filters(shape: Shape) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [
        Job.status == "published",
        Job.valid_until >= bindparam("today", type_=Date),
    ]
    # Every term must match: a semi-join on the postings (the planner picks the side to drive).
    where.extend(
        Job.id.in_(
            select(JobTerm.job_id).where(
                JobTerm.term == bindparam(name, type_=String), JobTerm.published
            )
        )
        for name in term_names(shape.filters)
    )
    where.extend(job_filters(shape.filters))
    if "posted_since" in shape.filters:
        where.append(Job.published_at >= bindparam("posted_since", type_=DateTime(timezone=True)))
    if shape.near:
        box = [
            bindparam(name, type_=Float) for name in ("min_lng", "min_lat", "max_lng", "max_lat")
        ]
        if shape.sort == "distance":
            # Small nearest-first circles: ``point <@ box`` on the GiST index finds them best.
            bounds = func.box(func.point(box[0], box[1]), func.point(box[2], box[3]))
            where.append(func.point(Job.longitude, Job.latitude).op("<@")(bounds))
        else:
            # Combined with a keyword or a filter, let the planner weigh a latitude range whose
            # selectivity it can estimate (it guesses 0.1 % for any ``<@ box``, which would make
            # it prefer the box over a far more selective GIN lookup).
            where.append(Job.latitude.between(box[1], box[3]))
            where.append(Job.longitude.between(box[0], box[2]))
        where.append(distance_km() <= bindparam("radius_km", type_=Float))
    return where


def _sort_keys(shape: Shape) -> tuple[list[Any], bool]:
    """The keyset columns of the sort and whether they run descending."""
    if shape.sort == "distance":
        return [distance_km(), Job.id], False
    if shape.sort == "salary":
        return [Job.monthly_salary_max_fen, Job.id], True
    return [Job.published_at, Job.id], True


LIST_COLUMNS = (
    Job.id,
    Job.title,
    Job.employer_id,
    Job.occupation_code,
    Job.job_type,
    Job.salary_min_fen,
    Job.salary_max_fen,
    Job.salary_unit,
    Job.headcount,
    Job.education,
    Job.experience_years,
    Job.area_code,
    Job.benefits,
    Job.open_to_graduates,
    Job.published_at,
    Job.valid_until,
)


@lru_cache(maxsize=512)
def statement(shape: Shape) -> Select[*tuple[Any, ...]]:
    """The page's jobs (:limit rows), then their employers: the join runs on one page only."""
    keys, descending = _sort_keys(shape)
    dist = distance_km() if shape.near else literal(None, Float)
    inner = (
        select(
            *LIST_COLUMNS,
            dist.label("distance_km"),
            *(key.label(f"k{i}") for i, key in enumerate(keys)),
        )
        .where(*_filters(shape))
        .order_by(*(key.desc() if descending else key.asc() for key in keys))
        .limit(count(shape.rows))
    )
    if shape.after:
        row = tuple_(*keys)
        bound = tuple_(*(bindparam(f"after_{i}", type_=key.type) for i, key in enumerate(keys)))
        inner = inner.where(row < bound if descending else row > bound)
    page = inner.subquery("page")
    page_keys = [page.c[f"k{i}"] for i in range(len(keys))]
    stmt: Select[*tuple[Any, ...]] = (
        select(
            page,
            Employer.name.label("employer_name"),
            (Employer.status == "verified").label("employer_verified"),
        )
        .join(Employer, Employer.id == page.c.employer_id)
        .order_by(*(key.desc() if descending else key.asc() for key in page_keys))
    )
    return stmt


def bind(query: SearchQuery) -> tuple[Shape, dict[str, Any]]:
    """The statement shape of ``query`` and the values of its parameters."""
    params: dict[str, Any] = {"today": query.today}
    optional = {
        "category": query.category,
        "occupation": query.occupation,
        "industry": query.industry,
        "job_type": query.job_type,
        "area_code": query.area_code,
        "employer_id": query.employer_id,
        "salary_min_fen": query.salary_min_fen,
        "open_to_graduates": True if query.open_to_graduates else None,
    }
    params.update((name, value) for name, value in optional.items() if value is not None)
    params.update((f"term_{i}", term) for i, term in enumerate(query.terms))
    if query.education is not None:
        params["education"] = list(EDUCATION_ORDER[: EDUCATION_ORDER.index(query.education) + 1])
    if query.posted_within_days is not None:
        params["posted_since"] = query.now - timedelta(days=query.posted_within_days)
    if query.near is not None:
        min_lat, max_lat, min_lng, max_lng = bounding_box(
            query.near.lat, query.near.lng, query.near.radius_km
        )
        params.update(
            lat=query.near.lat, lng=query.near.lng, radius_km=query.near.radius_km,
            min_lat=min_lat, max_lat=max_lat, min_lng=min_lng, max_lng=max_lng,
        )  # fmt: skip
    if query.after is not None:
        params.update((f"after_{i}", value) for i, value in enumerate(query.after))
    shape = Shape(
        sort=query.sort,
        filters=frozenset(params),
        near=query.near is not None,
        after=query.after is not None,
        rows=query.limit + 1,
    )
    params.pop("open_to_graduates", None)  # a constant in the SQL, not a parameter
    return shape, params


Fetch = Callable[[Executable, Mapping[str, Any]], Awaitable[Sequence[Any]]]
"""Runs a statement with its parameters and returns the rows (attributes by column label)."""


def session_fetch(session: AsyncSession) -> Fetch:
    """Core executions on the session's connection: rows, no ORM loading."""

    async def fetch(stmt: Executable, params: Mapping[str, Any]) -> Sequence[Any]:
        connection = await session.connection()
        return (await connection.execute(stmt, params)).all()

    return fetch


async def _execute(fetch: Fetch, query: SearchQuery) -> list[Any]:
    shape, params = bind(query)
    return list(await fetch(statement(shape), params))


# Nearest-first probes: radii tried in turn (km beyond the cursor's distance).
RING_STEPS_KM = (0.3, 1.0, 3.0, 8.0, 20.0)


async def run(fetch: Fetch, query: SearchQuery) -> list[Any]:
    """The rows of one page plus one (to tell whether a next page exists)."""
    assert query.sort != "relevance", "relevance is app.jobs.keyword's"
    if query.sort == "distance" and query.near is not None:
        return await _nearest(fetch, query, query.near)
    return await _execute(fetch, query)


async def _nearest(fetch: Fetch, query: SearchQuery, near: Near) -> list[Any]:
    """Nearest first without sorting the whole radius: search a small circle, widen if short.

    Every probe returns the closest rows past the cursor within its circle, so once a probe
    fills the page nothing outside that circle can come before them; the last probe is the
    requested radius itself. In a dense centre the first 300 m circle answers the page.
    """
    start = float(query.after[0]) if query.after else 0.0
    rows: list[Any] = []
    for step in RING_STEPS_KM:
        radius = min(start + step, near.radius_km)
        probe = replace(query, near=Near(near.lat, near.lng, radius))
        rows = await _execute(fetch, probe)
        if len(rows) > query.limit or radius >= near.radius_km:
            return rows
    return await _execute(fetch, query)
