"""The lean read path of the job search, and the cache of popular first pages.

``GET /api/v1/jobs`` is what the mini-program calls on every keystroke-and-search. A request
whose query string is valid as it stands — known parameters, each once, no empty value, nothing
the text rule refuses, values the documented route accepts — is answered here, before FastAPI's
route: the parameters are validated by the same ``JobSearchParams`` and turned into the same
``SearchQuery`` while the route is matched, the statements (the same builders) run on a pooled
connection's asyncpg driver (``app.core.driver``), and the page is serialised by pydantic's core.
Anything else — an error of any kind, an odd parameter — falls through to the documented route
in ``router.py``, which stays the OpenAPI operation and answers the error; tests compare both
paths byte for byte.

First pages are cached per worker (:data:`MAX_ENTRIES` bodies for at most :data:`TTL_SECONDS`),
keyed by the exact query string and the Beijing day: the commonest words (司机, 服务员, 保洁)
are asked again and again. Any change of a job or an employer clears the whole cache (PostgreSQL
``NOTIFY``, or this process's commit): a search page can gain or lose any job. The TTL bounds the
one drift that has no event: ``posted_within_days`` slides with the clock.
"""

from __future__ import annotations

from collections.abc import Hashable

from fastapi import FastAPI
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import Scope

from app.core import errors as core_errors
from app.core.clock import injected_clock, local_date
from app.core.driver import DriverFetch, driver_connection
from app.core.lean_routes import LeanRoute, authorization
from app.core.pagination import Page
from app.core.read_routing import read_bind
from app.core.readcache import ResponseCache, etag_of, json_answer
from app.core.text import text_errors
from app.jobs import search, search_service
from app.jobs.search_schemas import JobListItem, JobSearchParams

PATH = "/api/v1/jobs"
MAX_ENTRIES = 2_000  # ≈ 10 KB a page, ≈ 20 MB per worker
TTL_SECONDS = 30.0
PUBLIC = "no-cache"

QUERY = "dsjobs.search_query"  # scope key: the prepared SearchQuery
CACHED = "dsjobs.search_cached"  # scope key: a cached body for this exact query string

_FIELDS = frozenset(JobSearchParams.model_fields)
_SERIALIZER = Page[JobListItem].__pydantic_serializer__


class LeanSearchRoute(LeanRoute):
    """Matches only the searches the lean path answers exactly as the full route would."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        if match is not Match.FULL or scope["method"] != "GET":
            return Match.NONE, {}
        app: FastAPI = scope["app"]
        raw: bytes = scope.get("query_string", b"")
        cache = _cache(app, scope)
        if cache is not None:
            entry = cache.get(raw, _valid_for(app))
            if entry is not None:
                return match, {**child, CACHED: entry}
        query = _prepare(app, raw)
        if query is None:
            return Match.NONE, {}
        return match, {**child, QUERY: query}


def _prepare(app: FastAPI, raw: bytes) -> search.SearchQuery | None:
    """The validated query, or None for anything the documented route should answer."""
    values: dict[str, str] = {}
    for key, value in QueryParams(raw.decode("latin-1")).multi_items():
        if key not in _FIELDS or key in values or not value:
            return None
        if text_errors(value, ("query",)):
            return None
        values[key] = value
    try:
        params = JobSearchParams.model_validate(values)
        return search_service.build_query(params, injected_clock(app)())
    except (ValidationError, core_errors.AppError):
        return None


def _valid_for(app: FastAPI) -> Hashable:
    return local_date(injected_clock(app)())


def _cache(app: FastAPI, scope: Scope) -> ResponseCache | None:
    """The cache, when the app reads committed data through an engine (not a test's
    transaction), unless a read replica is set and the caller may be a writer who must see
    their own change (read-your-writes sends them to the primary; docs/scaling.md)."""
    cache: ResponseCache | None = getattr(app.state, "job_search_cache", None)
    maker: async_sessionmaker[AsyncSession] = app.state.sessionmaker
    if cache is None or not isinstance(maker.kw.get("bind"), AsyncEngine):
        return None
    if app.state.read_router.replica is not None and authorization(scope):
        return None
    return cache


async def job_search(request: Request) -> Response:
    """The job search (documented on ``router.search_jobs``)."""
    app: FastAPI = request.app
    cached = request.scope.get(CACHED)
    if cached is not None:
        return json_answer(request, cached.body, cached.etag, PUBLIC)
    query: search.SearchQuery = request.scope[QUERY]
    cache = _cache(app, request.scope) if query.after is None else None
    generation = cache.generation if cache is not None else 0
    async with driver_connection(await read_bind(request)) as driver:
        page = await search_service.search_page(DriverFetch(driver), query)
    body: bytes = _SERIALIZER.to_json(page)
    if cache is None:
        return json_answer(request, body, etag_of(body), PUBLIC)
    entry = cache.put(
        request.scope.get("query_string", b""),
        body,
        generation=generation,
        valid_for=local_date(query.now),
    )
    return json_answer(request, entry.body, entry.etag, PUBLIC)


def install(app: FastAPI) -> None:
    """Put the lean route in front of every other route (the full one stays for the rest)."""
    app.router.routes.insert(0, LeanSearchRoute(PATH, job_search, methods=["GET"]))


def start(app: FastAPI, ttl_seconds: float) -> ResponseCache:
    """The app's search cache (made live by the read-cache listener of ``public_read``)."""
    cache = ResponseCache(
        ttl_seconds=min(ttl_seconds, TTL_SECONDS), max_entries=MAX_ENTRIES, name="job_search"
    )
    app.state.job_search_cache = cache
    return cache
