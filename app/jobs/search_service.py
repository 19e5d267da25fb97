"""Turn search parameters into a ``SearchQuery`` and rows into a page with a keyset cursor."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core import errors as core_errors
from app.core.clock import Clock, local_date
from app.core.keyset import ID, INTEGER, NUMBER, TIMESTAMP, Keyset, keyset, tag
from app.core.pagination import Page
from app.jobs import keyword, search
from app.jobs.search_schemas import JobListItem, JobSearchParams
from app.search.tokenizer import query_terms

DEFAULT_RADIUS_KM = 10.0


class SortUnavailable(core_errors.ValidationFailed):
    code = "job.search_sort_invalid"
    message = "排序方式需要相应的条件：按相关度须有关键词 q，按距离须有 lat 和 lng"


class LocationIncomplete(core_errors.ValidationFailed):
    code = "job.search_location_incomplete"
    message = "附近搜索须同时提供 lat 和 lng"


def _near(params: JobSearchParams) -> search.Near | None:
    if params.lat is None and params.lng is None:
        if params.radius_km is not None:
            raise LocationIncomplete()
        return None
    if params.lat is None or params.lng is None:
        raise LocationIncomplete()
    return search.Near(params.lat, params.lng, params.radius_km or DEFAULT_RADIUS_KM)


def _sort(params: JobSearchParams, terms: list[str], near: search.Near | None) -> str:
    sort = params.sort or ("relevance" if terms else "distance" if near else "newest")
    if (sort == "relevance" and not terms) or (sort == "distance" and near is None):
        # A keyword made only of stop words and punctuation leaves nothing to rank by.
        if sort == "relevance" and params.q:
            return "newest"
        raise SortUnavailable()
    return sort


# A cursor is ``[sort, *keys]``: a cursor of one sort is refused by another.
KEYSETS: dict[str, Keyset[Any]] = {
    "relevance": keyset(tag("relevance"), NUMBER, TIMESTAMP, ID),
    "newest": keyset(tag("newest"), TIMESTAMP, ID),
    "distance": keyset(tag("distance"), NUMBER, ID),
    "salary": keyset(tag("salary"), INTEGER, ID),
}


def _decode(cursor: str | None, sort: str) -> tuple[Any, ...] | None:
    """The keys after the sort's tag, typed as the statement compares them."""
    key = KEYSETS[sort].decode(cursor)
    return tuple(key[1:]) if key is not None else None


def _key(sort: str, row: Any) -> tuple[Any, ...]:
    return (sort, row.k0, row.k1) + ((row.k2,) if sort == "relevance" else ())


def build_query(params: JobSearchParams, now: datetime) -> search.SearchQuery:
    terms = query_terms(params.q) if params.q else []
    near = _near(params)
    sort = _sort(params, terms, near)
    return search.SearchQuery(
        sort=sort,
        limit=params.limit,
        today=local_date(now),
        now=now,
        terms=tuple(terms),
        category=params.category,
        occupation=params.occupation,
        industry=params.industry,
        job_type=params.job_type,
        salary_min_fen=params.salary_min_fen,
        area_code=params.area_code,
        education=params.education,
        open_to_graduates=params.open_to_graduates,
        employer_id=params.employer_id,
        posted_within_days=params.posted_within_days,
        near=near,
        after=_decode(params.cursor, sort),
    )


async def search_jobs(
    session: AsyncSession, clock: Clock, params: JobSearchParams
) -> Page[JobListItem]:
    return await search_page(search.session_fetch(session), build_query(params, clock()))


async def search_page(fetch: search.Fetch, query: search.SearchQuery) -> Page[JobListItem]:
    """One page of ``query``'s results, with the cursor of the next."""
    if query.sort == "relevance":
        rows = await keyword.run(fetch, query)
    else:
        rows = await search.run(fetch, query)
    return KEYSETS[query.sort].page(
        rows,
        query.limit,
        key=lambda row: _key(query.sort, row),
        # From the row's mapping: no attribute lookup per field.
        item=lambda row: JobListItem.model_validate(row._mapping),
    )
