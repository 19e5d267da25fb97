"""create_app(): lifespan (engine, HTTP clients), middleware, error handlers, routers."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline
from sqlalchemy.ext.asyncio import AsyncEngine
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app.core.config import Settings, ensure_startable, get_settings
from app.core.db import (
    create_engine,
    create_generic_plan_engine,
    create_sessionmaker,
    create_side_engine,
)
from app.core.error_handlers import install_error_handlers
from app.core.file_links import FileLinkSigner, bind_file_links
from app.core.logging import configure_logging
from app.core.middleware import RequestContextMiddleware
from app.core.openapi import DOCS_ASSETS_URL, install_openapi, operation_id
from app.core.ratelimit import PostgresBackend, RateLimiter, RedisBackend
from app.core.read_routing import PostgresWriteMarks, ReadRouter, RedisWriteMarks, WriteMarks
from app.core.schemas import ERROR_RESPONSES
from app.core.security import Security
from app.health.router import router as health_router
from app.integrations.wechat.runtime import upstream_http_client

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"

DESCRIPTION = """
东胜就业小程序后端 API（鄂尔多斯市东胜区公共就业服务）。

* 所有业务接口位于 `/api/v1` 下，JSON 格式，使用 `Authorization: Bearer <access_token>`。
* 列表接口使用游标分页：`?cursor=&limit=` → `{"items": [...], "next_cursor": ...}`。
* 错误统一为 `{"code", "message", "details", "request_id"}`，`message` 可直接展示给用户。
* 可能被手机重试的创建接口接受 `Idempotency-Key` 请求头。
"""


def _routers() -> list[tuple[Any, str]]:
    """Every router of the service with its prefix; domains add themselves here."""
    from app.applications.router import router as applications_router
    from app.bureau.router import public_router as bureau_public_router
    from app.bureau.router import router as bureau_router
    from app.complaints.router import admin_router as complaints_admin_router
    from app.complaints.router import router as complaints_router
    from app.employers.admin_router import router as employers_admin_router
    from app.employers.router import router as employers_router
    from app.events.admin_router import router as events_admin_router
    from app.events.router import router as events_router
    from app.files.router import router as files_router
    from app.gigs.router import router as gigs_router
    from app.identity.router import admin_router as identity_admin_router
    from app.identity.router import auth_router, me_router
    from app.integrations.wechat.router import router as wechat_router
    from app.internships.router import admin_router as internships_admin_router
    from app.internships.router import router as internships_router
    from app.jobs.admin_router import router as jobs_admin_router
    from app.jobs.engagement_router import router as jobs_engagement_router
    from app.jobs.router import router as jobs_router
    from app.meta.router import router as meta_router
    from app.notifications.router import router as notifications_router
    from app.people_ledger.router import router as people_ledger_router
    from app.policies.router import router as policies_router
    from app.privacy.router import router as account_router
    from app.service_desk.admin_router import router as services_admin_router
    from app.service_desk.router import router as services_router
    from app.subsidies.admin_router import router as subsidies_admin_router
    from app.subsidies.router import router as subsidies_router
    from app.subsidy_offers.router import admin_router as subsidy_offers_admin_router
    from app.subsidy_offers.router import router as subsidy_offers_router
    from app.training.router import admin_router as training_admin_router
    from app.training.router import router as training_router

    return [
        (health_router, ""),
        (jobs_router, API_PREFIX),  # first: search and job detail are the hottest paths
        (meta_router, API_PREFIX),
        (applications_router, ""),
        (auth_router, ""),
        (me_router, ""),
        (notifications_router, ""),
        (account_router, ""),
        (identity_admin_router, ""),
        (files_router, ""),
        (wechat_router, API_PREFIX),
        (services_router, API_PREFIX),
        (services_admin_router, API_PREFIX),
        (events_router, API_PREFIX),
        (events_admin_router, API_PREFIX),
        (training_router, API_PREFIX),
        (training_admin_router, API_PREFIX),
        (internships_router, API_PREFIX),
        (internships_admin_router, API_PREFIX),
        (employers_router, API_PREFIX),
        (employers_admin_router, API_PREFIX),
        (jobs_engagement_router, API_PREFIX),
        (jobs_admin_router, API_PREFIX),
        (gigs_router, ""),
        (complaints_router, ""),
        (complaints_admin_router, ""),
        (policies_router, ""),
        (subsidies_router, ""),
        (subsidies_admin_router, ""),
        (subsidy_offers_router, ""),
        (subsidy_offers_admin_router, ""),
        (bureau_router, API_PREFIX),
        (bureau_public_router, API_PREFIX),
        (people_ledger_router, ""),
    ]


def _include_console(app: FastAPI, settings: Settings) -> None:
    """The staff console under /console (HTML pages, not in the OpenAPI document), with its own
    security headers on /console responses only."""
    from urllib.parse import urlsplit

    from app.console.headers import ConsoleHeaders
    from app.console.router import console_routers

    for router in console_routers():
        app.include_router(router)
    base = urlsplit(settings.public_base_url or "")
    origin = f"{base.scheme}://{base.netloc}" if base.scheme and base.netloc else ""
    app.add_middleware(ConsoleHeaders, file_origin=origin)


def _install_openapi(app: FastAPI) -> None:
    """The OpenAPI document (app.core.openapi), told which routes also serve anonymous callers."""
    from app.identity.dependencies import bearer_is_optional

    install_openapi(app, bearer_is_optional)


def _install_lean_reads(app: FastAPI) -> None:
    """Lean routes in front of the documented ones for the hottest paths: job detail and search,
    the match lists and a storm of first logins."""
    from app.gigs import lean_matches
    from app.identity import lean_login
    from app.jobs import public_read, public_search

    lean_login.install(app)
    lean_matches.install(app)
    public_search.install(app)
    public_read.install(app)  # first of all: the job detail is the hottest path


def _wire_ports(app: FastAPI) -> None:
    """A lower domain reaches a higher one only through an interface it declares, wired here."""
    from app.complaints.service import open_wage_complaint
    from app.files.pictures import usable_pictures
    from app.notifications.outbox import unread_count
    from app.people_ledger.bureau_port import LedgerFigures
    from app.subsidies.ledger import load_ledger

    app.state.wage_complaint_opener = open_wage_complaint  # app.gigs.ports
    app.state.ledger_reader = load_ledger  # app.policies.ports
    app.state.picture_check = usable_pictures  # app.identity.ports
    app.state.unread_notifications = unread_count  # app.identity.ports
    app.state.people_ledger = LedgerFigures()  # app.bureau.ports


async def _resolve_database_url(settings: Settings) -> tuple[str, Any]:
    if settings.database.url:
        return settings.database.url, None
    from app.core.embedded_pg import start_embedded

    return await asyncio.to_thread(start_embedded, settings)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    url, embedded = await _resolve_database_url(settings)
    app.state.embedded_pg = embedded
    engine = create_engine(settings, url)
    await start_resources(app, engine)
    # jieba's dictionary and the taxonomies load in 1-4 s: do it now, off the event loop, so
    # the first search does not stall every request of this worker.
    await asyncio.to_thread(_warm_up)
    # What is loaded by now lives as long as the process (≈ 300,000 objects: jieba's dictionary,
    # the taxonomies, the models and routes). Frozen, the collector's full passes skip it: one
    # such pass took 0.15–0.4 s on this box, a stall of every request of the worker.
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()  # an app started again in this process (tests) must not pile them up
        await stop_resources(app)
        await engine.dispose()


def _warm_up() -> None:
    from app.search import tokenizer
    from app.taxonomy import load_all

    load_all()
    tokenizer.warm_up()


async def start_resources(app: FastAPI, engine: AsyncEngine) -> None:
    """Attach the engine, a session factory and the shared HTTP client to the app.

    Rate-limit counters and the WeChat token cache write through the side engine, so a request
    never waits for a second connection of the pool it already holds one of.
    """
    settings: Settings = app.state.settings
    app.state.engine = engine
    app.state.side_engine = side_engine = create_side_engine(settings, engine.url)
    app.state.generic_plan_engine = create_generic_plan_engine(settings, engine.url)
    app.state.sessionmaker = create_sessionmaker(engine)
    app.state.security = Security.from_settings(settings.security)
    app.state.ratelimiter = _rate_limiter(settings, side_engine)
    app.state.read_router = _read_router(settings, side_engine)
    app.state.http = upstream_http_client(settings)
    _start_wechat(app, settings, side_engine)
    await _start_read_caches(app, engine)


async def _start_read_caches(app: FastAPI, engine: AsyncEngine) -> None:
    from app.jobs import public_read

    await public_read.start(app, engine)


def _start_wechat(app: FastAPI, settings: Settings, engine: AsyncEngine) -> None:
    """`app.state.wechat` is the client; in demo mode `app.state.fake_wechat` is the fake."""
    from app.integrations.wechat.runtime import start_wechat

    runtime = start_wechat(settings, engine=engine, http=app.state.http)
    app.state.wechat_runtime = runtime
    app.state.wechat = runtime.client
    app.state.wechat_push = runtime.push
    app.state.fake_wechat = runtime.fake


def _read_router(settings: Settings, side_engine: AsyncEngine) -> ReadRouter:
    """Public reads on ``DATABASE_READ_URL`` when set, with read-your-writes markers."""
    if not settings.database.read_url:
        return ReadRouter()
    replica = create_engine(settings, settings.database.read_url)
    seconds = settings.database.read_after_write_seconds
    marks: WriteMarks
    if settings.redis.url:
        import redis.asyncio as redis

        marks = RedisWriteMarks(redis.from_url(settings.redis.url), seconds)
    else:
        marks = PostgresWriteMarks(side_engine, seconds)
    return ReadRouter(replica, marks)


def _rate_limiter(settings: Settings, engine: AsyncEngine) -> RateLimiter:
    backend: PostgresBackend | RedisBackend
    if settings.redis.url:
        import redis.asyncio as redis

        backend = RedisBackend(redis.from_url(settings.redis.url))
    else:
        backend = PostgresBackend(engine)
    return RateLimiter(backend, enabled=settings.http.rate_limits_enabled)


async def stop_resources(app: FastAPI) -> None:
    from app.jobs import public_read

    await public_read.stop(app)
    if app.state.read_router.replica is not None:
        await app.state.read_router.replica.dispose()
    await app.state.wechat_runtime.aclose()
    await app.state.http.aclose()
    await app.state.side_engine.dispose()
    await app.state.generic_plan_engine.dispose()


def register_roles() -> None:
    """Roles a user holds besides job seeker, each derived from what the user has: the domain
    that owns the fact answers (identity asks, it does not know the domains)."""
    from app.gigs.repository import has_profile
    from app.identity.roles import register_role

    register_role("gig_worker", has_profile)


def register_units() -> None:
    """The units a liaison may belong to: those the plan names (app.bureau owns the plan)."""
    from app.bureau.plan import units
    from app.identity.units import register_units as register

    register(units())


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    ensure_startable(settings)
    configure_logging(settings.log_level)
    # Swagger UI at /docs and ReDoc at /redoc, their scripts served from DOCS_ASSETS_URL.
    app = FastAPIOffline(
        title="东胜就业 API",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        responses=ERROR_RESPONSES,
        # Response schemas turn file ids into signed links (app.core.file_links).
        dependencies=[Depends(bind_file_links)],
        static_url=DOCS_ASSETS_URL,
    )
    app.state.settings = settings
    app.state.file_link_signer = FileLinkSigner.from_settings(settings)
    install_error_handlers(app)
    register_roles()
    register_units()
    for router, prefix in _routers():
        app.include_router(router, prefix=prefix)
    _include_console(app, settings)
    _wire_ports(app)
    _install_openapi(app)
    _install_lean_reads(app)
    if settings.demo_mode:
        # Outside demo mode the routes do not exist at all: 404 like any unknown path.
        from app.identity.demo_router import router as demo_router

        app.include_router(demo_router)
    if settings.http.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.http.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    app.add_middleware(RequestContextMiddleware, max_body_bytes=settings.http.max_body_bytes)
    if settings.trusted_proxies:
        # Outermost, so the request context, the logs and the rate limits see the real client.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    return app
