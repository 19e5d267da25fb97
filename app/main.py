"""create_app(): lifespan (engine, HTTP clients), middleware, error handlers, routers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import Settings, get_settings
from app.core.db import create_engine, create_sessionmaker
from app.core.error_handlers import install_error_handlers
from app.core.logging import configure_logging
from app.core.middleware import RequestContextMiddleware
from app.core.schemas import ERROR_RESPONSES
from app.core.security import Security
from app.health.router import router as health_router

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"

DESCRIPTION = """
东胜就业小程序后端 API（鄂尔多斯市东胜区公共就业服务）。

* 所有业务接口位于 `/api/v1` 下，JSON 格式，使用 `Authorization: Bearer <access_token>`。
* 列表接口使用游标分页：`?cursor=&limit=` → `{"items": [...], "next_cursor": ...}`。
* 错误统一为 `{"code", "message", "details", "request_id"}`，`message` 可直接展示给用户。
* 可能被手机重试的创建接口接受 `Idempotency-Key` 请求头。
"""


def _operation_id(route: APIRoute) -> str:
    """Stable, readable operation ids `{tag}-{name}` for generated mini-program clients."""
    tag = str(route.tags[0]) if route.tags else "default"
    return f"{tag}-{route.name}"


def _routers() -> list[tuple[Any, str]]:
    """Every router of the service with its prefix; domains add themselves here."""
    return [(health_router, "")]


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
    try:
        yield
    finally:
        await stop_resources(app)
        await engine.dispose()


async def start_resources(app: FastAPI, engine: AsyncEngine) -> None:
    """Attach the engine, a session factory and the shared HTTP client to the app."""
    settings: Settings = app.state.settings
    app.state.engine = engine
    app.state.sessionmaker = create_sessionmaker(engine)
    app.state.security = Security.from_settings(settings.security)
    app.state.http = httpx.AsyncClient(
        timeout=httpx.Timeout(settings.wechat.timeout_seconds),
        limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
    )


async def stop_resources(app: FastAPI) -> None:
    await app.state.http.aclose()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    app = FastAPI(
        title="东胜就业 API",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
        responses=ERROR_RESPONSES,
    )
    app.state.settings = settings
    install_error_handlers(app)
    for router, prefix in _routers():
        app.include_router(router, prefix=prefix)
    if settings.http.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.http.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    app.add_middleware(RequestContextMiddleware, max_body_bytes=settings.http.max_body_bytes)
    return app
