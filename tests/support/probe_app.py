"""A private app for tests that need their own engine, extra probe routes or the JSON log lines."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI

from app.core.config import Settings
from app.core.db import SessionDep, create_engine
from app.core.logging import JsonFormatter
from app.core.routing import APIRouter
from app.main import create_app, start_resources, stop_resources


def with_database(
    settings: Settings, database: dict[str, Any], http: dict[str, Any] | None = None
) -> Settings:
    return settings.model_copy(
        update={
            "database": settings.database.model_copy(update=database),
            "http": settings.http.model_copy(update=http or {}),
        }
    )


class LogCapture(logging.Handler):
    """Every record and its line as the service's JSON formatter writes it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.records: list[logging.LogRecord] = []
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        self.lines.append(self.format(record))

    def text(self) -> str:
        return "\n".join(self.lines)


@asynccontextmanager
async def running(
    settings: Settings,
    url: str,
    extra: APIRouter | None = None,
    logs: LogCapture | None = None,
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = create_app(settings)
    if logs is not None:  # after create_app, whose logging setup replaces the root handlers
        logging.getLogger().addHandler(logs)
    if extra is not None:
        app.include_router(extra)
    engine = create_engine(settings, url)
    await start_resources(app, engine)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield app, client
    finally:
        await stop_resources(app)
        await engine.dispose()


def probe_router(handler: Callable[[Any], Awaitable[Any]]) -> APIRouter:
    """``POST /_probe/run`` runs ``handler`` with the request's session (commit at the boundary)."""
    router = APIRouter(prefix="/_probe")

    @router.post("/run")
    async def run(session: SessionDep) -> Any:
        return await handler(session)

    return router
