"""The lean read path of a job detail, and the cache of its public answers.

``GET /api/v1/jobs/{job_id}`` is the hottest read of the mini-program. A request with a canonical
UUID, no query string and either no ``Authorization`` or one valid user token is answered here,
before FastAPI's route: no dependency resolution, one round trip on a pooled connection's driver
(asyncpg) that also decides what the token's user may see (active member of the employer or
not), the body serialised by pydantic's core. The public view — what anyone sees — is kept in a
:class:`~app.core.readcache.ResponseCache` and shared by anonymous callers and users who are not
members; an anonymous hit touches no database. Everything else (a staff token, an invalid token,
an odd id, a query string) falls through to the documented route in ``router.py``, which stays
the OpenAPI operation; both build the body with ``service.detail_from_row`` and ``JobRead``, so
they answer the same JSON and the same errors (tests compare them).

A cached body is valid for one Beijing day (``is_expired``) and one bucket of signed links
(``photo_urls``, ``employer.logo_url``), at most ``HTTP_READ_CACHE_SECONDS``, and until
PostgreSQL notifies a change of the job, its photos or its employer. Changes this process
commits through the ORM are dropped at commit (``after_commit``), before the answer to the write
is sent.
"""

from __future__ import annotations

import asyncio
import re
import uuid
import weakref
from collections.abc import Hashable
from typing import Any

from fastapi import FastAPI
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session
from sqlalchemy.util import greenlet_spawn
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route
from starlette.types import Scope

from app.core.clock import Clock, injected_clock, local_date
from app.core.file_links import FileLinks, FileLinkSigner, bind
from app.core.readcache import ChangeListener, ResponseCache, etag_matches, etag_of
from app.core.security import InvalidToken, Security
from app.employers.models import Employer
from app.jobs import errors, repository, service
from app.jobs.models import Job, JobPhoto
from app.jobs.schemas import JobRead

PATH = "/api/v1/jobs/{job_id}"
MAX_ENTRIES = 5_000  # the head of the distribution; ≈ 2 KB a body, ≈ 10 MB per worker
# The client may keep a body but revalidates it (If-None-Match); an answer to a token is not for
# shared caches.
PUBLIC = "no-cache"
PRIVATE = "private, no-cache"

_CANONICAL_UUID = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
_SERIALIZER = JobRead.__pydantic_serializer__


VIEWER = "dsjobs.token_user"  # scope key: the user id of a verified user token


class LeanDetailRoute(Route):
    """Matches only the requests the lean path answers exactly as the full route would."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        if match is not Match.FULL or scope["method"] != "GET" or scope.get("query_string"):
            return Match.NONE, {}
        if not _CANONICAL_UUID.match(child["path_params"]["job_id"]):
            return Match.NONE, {}
        tokens = [value for name, value in scope["headers"] if name == b"authorization"]
        if not tokens:
            return match, child
        user_id = _token_user(scope["app"], tokens)
        if user_id is None:  # staff, an invalid token, an odd header: the full route answers
            return Match.NONE, {}
        return match, {**child, VIEWER: user_id}


def _token_user(app: FastAPI, headers: list[bytes]) -> uuid.UUID | None:
    """The subject of one well-formed, valid ``Bearer`` user token; None for anything else."""
    if len(headers) != 1:
        return None
    scheme, _, token = headers[0].decode("latin-1").partition(" ")
    if scheme.lower() != "bearer" or not token or " " in token:
        return None
    security: Security = app.state.security
    try:
        claims = security.tokens.decode(token, injected_clock(app)())
    except InvalidToken:
        return None
    return claims.subject_id if claims.kind == "user" else None


async def _fetch(
    maker: async_sessionmaker[AsyncSession], job_id: uuid.UUID, user_id: uuid.UUID | None
) -> Any:
    """The row, read on the driver of a pooled connection (the pool's liveness rule applies).

    Straight from the pool, not through ``AsyncConnection``: that layer costs about 0.1 ms of
    CPU per request here and adds nothing to one driver-level read in autocommit.
    """
    bind_to = maker.kw.get("bind")
    if not isinstance(bind_to, AsyncEngine):
        # The tests' shared transaction: read on its connection, so uncommitted rows are seen.
        assert isinstance(bind_to, AsyncConnection)
        raw = await bind_to.get_raw_connection()
        return await repository.public_detail_record(raw.driver_connection, job_id, user_id)
    pooled = await greenlet_spawn(bind_to.sync_engine.pool.connect)
    driver: Any = pooled.driver_connection
    try:
        return await repository.public_detail_record(driver, job_id, user_id)
    except BaseException as error:
        # A cut or an interrupted read leaves the connection unusable: never give it back.
        if isinstance(error, asyncio.CancelledError) or driver.is_closed():
            await greenlet_spawn(pooled.invalidate)
        raise
    finally:
        await greenlet_spawn(pooled.close)


async def job_detail(request: Request) -> Response:
    """The job detail for anonymous callers and users (documented on ``router.get_job``)."""
    app: FastAPI = request.app
    job_id = uuid.UUID(request.path_params["job_id"])
    user_id: uuid.UUID | None = request.scope.get(VIEWER)
    clock = injected_clock(app)
    now = clock()
    signer: FileLinkSigner = app.state.file_link_signer
    today = local_date(now)
    valid_for: Hashable = (today, signer.expiry(now))
    maker: async_sessionmaker[AsyncSession] = app.state.sessionmaker
    # Only committed data is cached: a session bound to a connection (a test's transaction)
    # reads past the cache.
    cache: ResponseCache | None = getattr(app.state, "job_detail_cache", None)
    if cache is not None and not isinstance(maker.kw.get("bind"), AsyncEngine):
        cache = None
    if user_id is None and cache is not None:
        entry = cache.get(job_id, valid_for)
        if entry is not None:
            return _answer(request, entry.body, entry.etag, PUBLIC)
    generation = cache.generation if cache is not None else 0
    row = await _fetch(maker, job_id, user_id)
    if row is None:
        raise errors.JobNotFound()
    if row["viewer_is_member"]:  # the employer's own view (moderation, any status): never shared
        body = _render(signer, clock, service.detail_from_row(row, today))
        return _answer(request, body, etag_of(body), PRIVATE)
    # What anyone sees, whoever asked: shared through the cache.
    cached = cache.get(job_id, valid_for) if cache is not None else None
    if cached is None:
        body = _render(signer, clock, service.detail_from_row(row, today))
        if cache is None:
            return _answer(request, body, etag_of(body), PUBLIC if user_id is None else PRIVATE)
        employer_id = row["employer_id"]
        cached = cache.put(
            job_id, body, generation=generation, group=employer_id, valid_for=valid_for
        )
    return _answer(request, cached.body, cached.etag, PUBLIC if user_id is None else PRIVATE)


def _render(signer: FileLinkSigner, clock: Clock, job: JobRead) -> bytes:
    bind(FileLinks(signer, clock))
    body: bytes = _SERIALIZER.to_json(job, by_alias=True)
    return body


def _answer(request: Request, body: bytes, etag: str, cache_control: str) -> Response:
    headers = {"ETag": etag, "Cache-Control": cache_control}
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


def install(app: FastAPI) -> None:
    """Put the lean route in front of every other route (the full one stays for the rest)."""
    app.router.routes.insert(0, LeanDetailRoute(PATH, job_detail, methods=["GET"]))


# --- invalidation -------------------------------------------------------------------------

# The caches of each engine in this process (a test may run several apps side by side).
_caches: weakref.WeakKeyDictionary[Engine, ResponseCache] = weakref.WeakKeyDictionary()
_PENDING = "job_detail_cache_changes"


def _invalidate(cache: ResponseCache, kind: str, value: uuid.UUID) -> None:
    if kind == "employer":
        cache.invalidate_group(value)
    else:
        cache.invalidate(value)


@event.listens_for(Session, "after_flush")
def _remember_changes(session: Session, _context: Any) -> None:
    """Jobs, photos and employers this session wrote; dropped from the cache at commit."""
    pending: set[tuple[str, uuid.UUID]] = session.info.setdefault(_PENDING, set())
    for instance in (*session.dirty, *session.deleted, *session.new):
        if isinstance(instance, Job) and instance.id is not None:
            pending.add(("job", instance.id))
        elif isinstance(instance, JobPhoto) and instance.job_id is not None:
            pending.add(("job", instance.job_id))
        elif isinstance(instance, Employer) and instance.id is not None:
            pending.add(("employer", instance.id))


@event.listens_for(Session, "after_commit")
def _drop_committed(session: Session) -> None:
    pending: set[tuple[str, uuid.UUID]] | None = session.info.pop(_PENDING, None)
    if not pending:
        return
    bound = session.get_bind()
    engine = bound if isinstance(bound, Engine) else getattr(bound, "engine", None)
    cache = _caches.get(engine) if engine is not None else None
    if cache is not None:
        for kind, value in pending:
            _invalidate(cache, kind, value)


@event.listens_for(Session, "after_rollback")
def _forget_changes(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _handlers(cache: ResponseCache) -> dict[str, Any]:
    def job(value: str) -> None:
        cache.invalidate(uuid.UUID(value))

    def employer(value: str) -> None:
        cache.invalidate_group(uuid.UUID(value))

    return {"job": job, "employer": employer}


def listener_dsn(engine: AsyncEngine) -> str:
    """The engine's database as a plain asyncpg DSN."""
    url = make_url(engine.url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


async def start(app: FastAPI, engine: AsyncEngine) -> None:
    """The app's detail cache and the listener that keeps it honest (live once connected)."""
    ttl = app.state.settings.http.read_cache_seconds
    if not ttl:
        return
    cache = ResponseCache(ttl_seconds=ttl, max_entries=MAX_ENTRIES)
    _caches[engine.sync_engine] = cache
    listener = ChangeListener(listener_dsn(engine), [cache], _handlers(cache))
    app.state.job_detail_cache = cache
    app.state.read_cache_listener = listener
    listener.start()


async def stop(app: FastAPI) -> None:
    listener: ChangeListener | None = getattr(app.state, "read_cache_listener", None)
    if listener is not None:
        await listener.stop()
