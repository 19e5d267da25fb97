"""Liveness, readiness (including a database outage and recovery) and metrics."""

from __future__ import annotations

import time

import httpx
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from app.core.config import Settings
from app.core.db import create_engine
from app.main import create_app, start_resources, stop_resources
from tests.support.proxy import TcpProxy


async def test_healthz(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_when_database_is_up(client: httpx.AsyncClient) -> None:
    assert (await client.get("/readyz")).status_code == 200


async def test_metrics_count_requests_by_route_template(client: httpx.AsyncClient) -> None:
    await client.get("/healthz")
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert 'http_requests_total{method="GET",route="/healthz",status="200"}' in response.text
    assert "http_request_duration_seconds_bucket" in response.text


async def test_lean_routes_are_counted_under_their_documented_template(
    client: httpx.AsyncClient,
) -> None:
    """The hottest reads and the login are answered by lean routes in front of the documented
    ones; they are filed under the same path templates, never as unmatched."""
    missing = "/api/v1/jobs/00000000-0000-4000-8000-000000000000"
    assert (await client.get(missing)).status_code == 404  # answered by the lean detail
    assert (await client.get("/api/v1/jobs", params={"q": "司机"})).status_code == 200
    text = (await client.get("/metrics")).text
    assert 'http_requests_total{method="GET",route="/api/v1/jobs/{job_id}",status="404"}' in text
    assert 'http_requests_total{method="GET",route="/api/v1/jobs",status="200"}' in text


def _proxy_for(database_url: str) -> TcpProxy:
    url = make_url(database_url)
    socket_dir = url.query.get("host")
    if isinstance(socket_dir, tuple):
        socket_dir = socket_dir[0]
    return TcpProxy(url.host, url.port or 5432, socket_dir)


async def test_readyz_reports_outage_and_recovers_without_restart(settings: Settings) -> None:
    assert settings.database.url
    proxy = _proxy_for(settings.database.url)
    await proxy.start()
    proxied = (
        make_url(settings.database.url)
        .set(host="127.0.0.1", port=proxy.port, query={})
        .render_as_string(hide_password=False)
    )
    app: FastAPI = create_app(settings)
    engine = create_engine(settings, proxied)
    await start_resources(app, engine)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            assert (await c.get("/readyz")).status_code == 200

            port = proxy.port
            await proxy.stop()  # the database "goes away"
            started = time.perf_counter()
            down = await c.get("/readyz")
            elapsed = time.perf_counter() - started
            assert down.status_code == 503
            assert down.json()["code"] == "service.not_ready"
            assert "retry-after" in down.headers
            assert elapsed < settings.http.readiness_timeout_seconds + 1.0

            await proxy.start(port)  # back again: the pool reconnects by itself
            assert (await c.get("/readyz")).status_code == 200
    finally:
        await stop_resources(app)
        await engine.dispose()
        await proxy.stop()
