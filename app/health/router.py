"""Liveness, readiness and metrics for the platform (not for the mini-program)."""

from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import Request, Response
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core import errors, metrics
from app.core.routing import APIRouter
from app.core.schemas import ReadSchema

router = APIRouter(tags=["health"])


class Health(ReadSchema):
    status: Literal["ok"] = "ok"


class NotReady(errors.ServiceUnavailable):
    code = "service.not_ready"
    message = "服务暂不可用：数据库无法连接"


@router.get("/healthz", response_model=Health, summary="进程存活")
async def healthz() -> Health:
    """The process is alive and serving. Does not touch the database."""
    return Health()


async def _ping(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


@router.get("/readyz", response_model=Health, summary="可以接收流量")
async def readyz(request: Request) -> Health:
    """Ready to serve: the database answers `SELECT 1` within the readiness timeout, else 503."""
    engine: AsyncEngine = request.app.state.engine
    timeout = request.app.state.settings.http.readiness_timeout_seconds
    try:
        await asyncio.wait_for(_ping(engine), timeout=timeout)
    except Exception as exc:
        raise NotReady(details={"reason": type(exc).__name__}) from None
    return Health()


@router.get(
    "/metrics",
    summary="Prometheus 指标",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
)
async def prometheus_metrics() -> Response:
    """Request counts and latency histograms by route template, Prometheus text format."""
    body, content_type = metrics.render()
    return Response(content=body, media_type=content_type)
