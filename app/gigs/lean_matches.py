"""The lean read path of both match lists (``GET /gigs/{id}/matches``, ``GET /me/gig-matches``).

A GET with one valid user token, a canonical gig id and at most ``limit`` (1–50) and ``cursor``
(a well-formed cursor), each once, is answered here, before FastAPI's routes: no route scan over
the whole API, no dependency resolution, no second validation of the response; the page is built
by the same ``listing`` functions and serialised by pydantic's core. Everything else (no token,
a staff or invalid token, another query parameter, an odd value) falls through to the documented
routes in ``router.py``, which stay the OpenAPI operations and answer validation errors. Both
paths answer the same bytes and the same errors (``tests/gigs/test_lean_matches.py``).
"""

from __future__ import annotations

import re
import uuid
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI
from pydantic_core import SchemaSerializer
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import Scope

from app.core.clock import injected_clock
from app.core.lean_routes import CANONICAL_UUID, LeanRoute, authorization, token_user
from app.core.pagination import CURSOR_PATTERN, Page
from app.gigs import listing
from app.gigs.schemas import GigMatch, WorkerMatch

WORKER_MATCHES = "/api/v1/gigs/{gig_id}/matches"
GIG_MATCHES = "/api/v1/me/gig-matches"
MAX_LIMIT = 50  # router.MatchLimit
DEFAULT_LIMIT = 20
MAX_CURSOR = 512  # pagination.CursorParam

_LIMIT = re.compile(r"^[1-9][0-9]?$")
_CURSOR = re.compile(CURSOR_PATTERN)
_WORKER_PAGE: SchemaSerializer = Page[WorkerMatch].__pydantic_serializer__
_GIG_PAGE: SchemaSerializer = Page[GigMatch].__pydantic_serializer__

VIEWER = "dsjobs.match_user"  # scope keys set by a lean match
PAGING = "dsjobs.match_paging"


def _paging(query_string: bytes) -> tuple[int, str | None] | None:
    """(limit, cursor) when the query holds nothing but a valid ``limit`` and ``cursor``."""
    if not query_string:
        return DEFAULT_LIMIT, None
    seen: dict[str, str] = {}
    for key, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        if key not in ("limit", "cursor") or key in seen:
            return None
        seen[key] = value
    limit, cursor = seen.get("limit"), seen.get("cursor")
    if limit is not None and (not _LIMIT.match(limit) or int(limit) > MAX_LIMIT):
        return None
    if cursor is not None and (len(cursor) > MAX_CURSOR or not _CURSOR.match(cursor)):
        return None
    return (int(limit) if limit is not None else DEFAULT_LIMIT), cursor


class LeanMatchRoute(LeanRoute):
    """Matches only the requests the lean path answers exactly as the full route would."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        if match is not Match.FULL or scope["method"] != "GET":
            return Match.NONE, {}
        gig_id = child["path_params"].get("gig_id")
        if gig_id is not None and not CANONICAL_UUID.match(gig_id):
            return Match.NONE, {}
        paging = _paging(scope.get("query_string", b""))
        if paging is None:
            return Match.NONE, {}
        user_id = token_user(scope["app"], authorization(scope))
        if user_id is None:  # anonymous, staff, an invalid token: the full route answers
            return Match.NONE, {}
        return match, {**child, VIEWER: user_id, PAGING: paging}


def _bind(app: FastAPI) -> AsyncEngine | AsyncConnection:
    """The pool whose connections plan each statement once (``app.core.db``); a test's open
    connection when the app's sessions are bound to one (its rows are not committed)."""
    maker: async_sessionmaker[AsyncSession] = app.state.sessionmaker
    bind: AsyncEngine | AsyncConnection = maker.kw["bind"]
    if isinstance(bind, AsyncConnection):
        return bind
    engine: AsyncEngine = app.state.generic_plan_engine
    return engine


def _json(serializer: SchemaSerializer, page: Any) -> Response:
    return Response(serializer.to_json(page, by_alias=True), media_type="application/json")


async def worker_matches(request: Request) -> Response:
    """Workers ranked for the poster's gig (documented on ``router.list_gig_matches``)."""
    app: FastAPI = request.app
    limit, cursor = request.scope[PAGING]
    gig_id = uuid.UUID(request.path_params["gig_id"])
    now = injected_clock(app)()
    security = app.state.security
    page = await listing.worker_matches(
        _bind(app), security, request.scope[VIEWER], gig_id, now, cursor, limit
    )
    return _json(_WORKER_PAGE, page)


async def gig_matches(request: Request) -> Response:
    """Open gigs ranked for the worker (documented on ``router.list_my_gig_matches``)."""
    app: FastAPI = request.app
    limit, cursor = request.scope[PAGING]
    now = injected_clock(app)()
    page = await listing.gig_matches(_bind(app), request.scope[VIEWER], now, cursor, limit)
    return _json(_GIG_PAGE, page)


def install(app: FastAPI) -> None:
    """Put the lean routes in front of every other route (the full ones stay for the rest)."""
    app.router.routes.insert(0, LeanMatchRoute(WORKER_MATCHES, worker_matches, methods=["GET"]))
    app.router.routes.insert(0, LeanMatchRoute(GIG_MATCHES, gig_matches, methods=["GET"]))
