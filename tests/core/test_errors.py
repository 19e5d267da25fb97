"""Every error path answers in the envelope with the right status, and 500s leak nothing."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from app.core import errors
from app.core.config import Settings
from app.core.routing import APIRouter
from app.main import create_app


class Body(BaseModel):
    name: str
    age: int


def _app_with_failing_routes(settings: Settings) -> FastAPI:
    app = create_app(
        settings.model_copy(
            update={"http": settings.http.model_copy(update={"max_body_bytes": 2048})}
        )
    )
    router = APIRouter(tags=["test"])

    @router.post("/_test/echo")
    async def echo(body: Body) -> Body:
        return body

    @router.get("/_test/limited")
    async def limited() -> None:
        raise errors.RateLimited(retry_after=7)

    @router.get("/_test/boom")
    async def boom() -> None:
        raise RuntimeError("secret database password in a stack trace")

    app.include_router(router)
    return app


@pytest.fixture
async def raw_client(settings: Settings) -> httpx.AsyncClient:
    app = _app_with_failing_routes(settings)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


def _assert_envelope(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "message", "details", "request_id"}
    assert body["code"] == code
    assert body["message"] and all(ord(ch) < 0x3000 for ch in body["code"])
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), "message must be Chinese"
    assert body["request_id"] == response.headers["x-request-id"]
    return body


async def test_unknown_route_is_404_envelope(raw_client: httpx.AsyncClient) -> None:
    _assert_envelope(await raw_client.get("/nowhere"), 404, "not_found")


async def test_wrong_method_is_405_envelope(raw_client: httpx.AsyncClient) -> None:
    response = await raw_client.delete("/healthz")
    _assert_envelope(response, 405, "method_not_allowed")
    assert "GET" in response.headers["allow"]


async def test_validation_error_is_422_with_field_details(raw_client: httpx.AsyncClient) -> None:
    body = _assert_envelope(
        await raw_client.post("/_test/echo", json={"name": "x"}), 422, "validation_error"
    )
    assert body["details"][0]["loc"] == ["body", "age"]
    assert body["details"][0]["message"] == "缺少必填项"


async def test_malformed_json_is_422(raw_client: httpx.AsyncClient) -> None:
    response = await raw_client.post(
        "/_test/echo", content=b"{not json", headers={"content-type": "application/json"}
    )
    _assert_envelope(response, 422, "validation_error")


async def test_declared_oversized_body_is_413(raw_client: httpx.AsyncClient) -> None:
    response = await raw_client.post("/_test/echo", content=b"x" * 5000)
    _assert_envelope(response, 413, "payload_too_large")


async def test_streamed_oversized_body_is_413(raw_client: httpx.AsyncClient) -> None:
    async def chunks():  # no Content-Length: the limit is enforced while reading
        for _ in range(10):
            yield b"a" * 1000

    response = await raw_client.post(
        "/_test/echo", content=chunks(), headers={"content-type": "application/json"}
    )
    _assert_envelope(response, 413, "payload_too_large")


async def test_rate_limit_is_429_with_retry_after(raw_client: httpx.AsyncClient) -> None:
    response = await raw_client.get("/_test/limited")
    _assert_envelope(response, 429, "rate_limited")
    assert response.headers["retry-after"] == "7"


async def test_unhandled_exception_is_500_without_trace(raw_client: httpx.AsyncClient) -> None:
    response = await raw_client.get("/_test/boom")
    body = _assert_envelope(response, 500, "internal_error")
    assert "secret" not in response.text and "Traceback" not in response.text
    assert body["details"] is None


async def test_request_id_is_echoed_or_made(raw_client: httpx.AsyncClient) -> None:
    given = await raw_client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    made = await raw_client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert made.headers["x-request-id"] != "bad id with spaces"
    assert len(made.headers["x-request-id"]) == 32
