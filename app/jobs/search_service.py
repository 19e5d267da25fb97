"""Turn search parameters into a ``SearchQuery`` and rows into a page with a keyset cursor."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core import errors as core_errors
from app.core.clock import Clock, local_date
from app.core.pagination import InvalidCursor, Page, decode_cursor, encode_cursor
from app.jobs import search
from app.jobs.search_schemas import JobListItem, JobSearchParams
from app.search.tokenizer import query_terms, to_tsquery_text

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


def _sort(params: JobSearchParams, tsquery: str | None, near: search.Near | None) -> str:
    sort = params.sort or ("relevance" if tsquery else "distance" if near else "newest")
    if (sort == "relevance" and not tsquery) or (sort == "distance" and near is None):
        # A keyword made only of stop words and punctuation leaves nothing to rank by.
        if sort == "relevance" and params.q:
            return "newest"
        raise SortUnavailable()
    return sort


def _decode(cursor: str, sort: str) -> tuple[Any, ...]:
    """A cursor is ``[sort, *keys]``; keys are typed back to what the statement compares."""
    value = decode_cursor(cursor)
    try:
        name, *keys = value
        if name != sort:
            raise ValueError("cursor of another sort")
        if sort == "relevance":
            return float(keys[0]), datetime.fromisoformat(keys[1]), uuid.UUID(keys[2])
        if sort == "newest":
            return datetime.fromisoformat(keys[0]), uuid.UUID(keys[1])
        if sort == "distance":
            return float(keys[0]), uuid.UUID(keys[1])
        return int(keys[0]), uuid.UUID(keys[1])
    except (TypeError, ValueError, IndexError):
        raise InvalidCursor() from None


def _encode(sort: str, row: Any) -> str:
    keys = [row.k0, row.k1] + ([row.k2] if sort == "relevance" else [])
    return encode_cursor([sort, *(k.isoformat() if isinstance(k, datetime) else k for k in keys)])


def build_query(params: JobSearchParams, now: datetime) -> search.SearchQuery:
    tsquery = to_tsquery_text(query_terms(params.q)) if params.q else ""
    near = _near(params)
    sort = _sort(params, tsquery or None, near)
    return search.SearchQuery(
        sort=sort,
        limit=params.limit,
        today=local_date(now),
        now=now,
        tsquery=tsquery or None,
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
        after=_decode(params.cursor, sort) if params.cursor else None,
    )


async def search_jobs(
    session: AsyncSession, clock: Clock, params: JobSearchParams
) -> Page[JobListItem]:
    query = build_query(params, clock())
    rows = await search.run(session, query)
    page = rows[: query.limit]
    items = [JobListItem.model_validate(row, from_attributes=True) for row in page]
    next_cursor = _encode(query.sort, page[-1]) if len(rows) > query.limit else None
    return Page(items=items, next_cursor=next_cursor)
