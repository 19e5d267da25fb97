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

import uuid
import weakref
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import Scope

from app.core.clock import Clock, injected_clock, local_date
from app.core.driver import driver_connection
from app.core.file_links import FileLinks, FileLinkSigner, bind
from app.core.lean_routes import CANONICAL_UUID, LeanRoute, authorization, token_user
from app.core.read_routing import read_bind
from app.core.readcache import ChangeListener, ResponseCache, etag_of, json_answer
from app.employers.models import Employer
from app.jobs import errors, public_search, repository, service
from app.jobs.models import Job, JobPhoto
from app.jobs.schemas import JobRead

PATH = "/api/v1/jobs/{job_id}"
MAX_ENTRIES = 5_000  # the head of the distribution; ≈ 2 KB a body, ≈ 10 MB per worker
# The client may keep a body but revalidates it (If-None-Match); an answer to a token is not for
# shared caches.
PUBLIC = "no-cache"
PRIVATE = "private, no-cache"

_SERIALIZER = JobRead.__pydantic_serializer__


VIEWER = "dsjobs.token_user"  # scope key: the user id of a verified user token


class LeanDetailRoute(LeanRoute):
    """Matches only the requests the lean path answers exactly as the full route would."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        if match is not Match.FULL or scope["method"] != "GET" or scope.get("query_string"):
            return Match.NONE, {}
        if not CANONICAL_UUID.match(child["path_params"]["job_id"]):
            return Match.NONE, {}
        tokens = authorization(scope)
        if not tokens:
            return match, child
        user_id = token_user(scope["app"], tokens)
        if user_id is None:  # staff, an invalid token, an odd header: the full route answers
            return Match.NONE, {}
        return match, {**child, VIEWER: user_id}


async def _fetch(request: Request, job_id: uuid.UUID, user_id: uuid.UUID | None) -> Any:
    """The row, read on the driver of a pooled connection (the pool's liveness rule applies) of
    the read replica or the primary (read-your-writes, app.core.read_routing)."""
    async with driver_connection(await read_bind(request)) as driver:
        return await repository.public_detail_record(driver, job_id, user_id)


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
            return json_answer(request, entry.body, entry.etag, PUBLIC)
    generation = cache.generation if cache is not None else 0
    row = await _fetch(request, job_id, user_id)
    if row is None:
        raise errors.JobNotFound()
    if row["viewer_is_member"]:  # the employer's own view (moderation, any status): never shared
        body = _render(signer, clock, service.detail_from_row(row, today))
        return json_answer(request, body, etag_of(body), PRIVATE)
    # What anyone sees, whoever asked: shared through the cache.
    cached = cache.get(job_id, valid_for) if cache is not None else None
    if cached is None:
        body = _render(signer, clock, service.detail_from_row(row, today))
        if cache is None:
            return json_answer(request, body, etag_of(body), PUBLIC if user_id is None else PRIVATE)
        employer_id = row["employer_id"]
        cached = cache.put(
            job_id, body, generation=generation, group=employer_id, valid_for=valid_for
        )
    return json_answer(request, cached.body, cached.etag, PUBLIC if user_id is None else PRIVATE)


def _render(signer: FileLinkSigner, clock: Clock, job: JobRead) -> bytes:
    bind(FileLinks(signer, clock))
    body: bytes = _SERIALIZER.to_json(job, by_alias=True)
    return body


def install(app: FastAPI) -> None:
    """Put the lean route in front of every other route (the full one stays for the rest)."""
    app.router.routes.insert(0, LeanDetailRoute(PATH, job_detail, methods=["GET"]))


# --- invalidation -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReadCaches:
    """The public answers one app keeps: job details by id, search first pages by query."""

    detail: ResponseCache
    search: ResponseCache

    def changed(self, kind: str, value: uuid.UUID) -> None:
        """A job (its row or photos) or an employer changed: any search page may differ."""
        if kind == "employer":
            self.detail.invalidate_group(value)
        else:
            self.detail.invalidate(value)
        self.search.clear()


# The caches of every running app, by engine: several apps may share one engine (tests run
# them side by side), and each must hear of a change its process committed.
_caches: weakref.WeakKeyDictionary[Engine, list[ReadCaches]] = weakref.WeakKeyDictionary()


def register(engine: AsyncEngine, caches: ReadCaches) -> None:
    """Drop ``caches`` entries whenever a session on ``engine`` commits a change to them."""
    _caches.setdefault(engine.sync_engine, []).append(caches)


def unregister(engine: AsyncEngine, caches: ReadCaches) -> None:
    registered = _caches.get(engine.sync_engine, [])
    if caches in registered:
        registered.remove(caches)


_PENDING = "job_detail_cache_changes"


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
    for caches in _caches.get(engine, ()) if engine is not None else ():
        for kind, value in pending:
            caches.changed(kind, value)


@event.listens_for(Session, "after_rollback")
def _forget_changes(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _handlers(caches: ReadCaches) -> dict[str, Any]:
    def job(value: str) -> None:
        caches.changed("job", uuid.UUID(value))

    def employer(value: str) -> None:
        caches.changed("employer", uuid.UUID(value))

    return {"job": job, "employer": employer}


def listener_dsn(engine: AsyncEngine) -> str:
    """The engine's database as a plain asyncpg DSN."""
    url = make_url(engine.url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


async def start(app: FastAPI, engine: AsyncEngine) -> None:
    """The app's detail and search caches and the listener that keeps them honest (live once
    connected)."""
    settings = app.state.settings
    ttl = settings.http.read_cache_seconds
    if not ttl:
        return
    if app.state.read_router.replica is not None:
        # NOTIFY comes from the primary; a body read from a lagging replica just after it may
        # be older, so it lives no longer than a writer is kept on the primary.
        ttl = min(ttl, settings.database.read_after_write_seconds)
    cache = ResponseCache(ttl_seconds=ttl, max_entries=MAX_ENTRIES, name="job_detail")
    caches = ReadCaches(cache, public_search.start(app, ttl))
    register(engine, caches)
    app.state.read_caches = (engine, caches)
    listener = ChangeListener(listener_dsn(engine), [cache, caches.search], _handlers(caches))
    app.state.job_detail_cache = cache
    app.state.read_cache_listener = listener
    listener.start()


async def stop(app: FastAPI) -> None:
    listener: ChangeListener | None = getattr(app.state, "read_cache_listener", None)
    if listener is not None:
        await listener.stop()
    registered: tuple[AsyncEngine, ReadCaches] | None = getattr(app.state, "read_caches", None)
    if registered is not None:
        unregister(*registered)
