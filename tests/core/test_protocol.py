"""Protocol details: 405 carries `Allow`, the OpenAPI document says who must sign in and what
shapes the server checks."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from tests.support.routes import api_routes


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/api/v1/jobs", "GET, POST"),
        ("PUT", "/healthz", "GET"),
        ("OPTIONS", "/api/v1/stations", "GET"),
        # The literal path wins over the template /api/v1/policies/{code} it overlaps.
        ("PATCH", "/api/v1/policies/evaluate", "POST"),
        ("DELETE", "/api/v1/admin/stations/00000000-0000-4000-8000-000000000000", "GET, PUT"),
    ],
)
async def test_405_names_the_methods_of_the_resource(
    client: httpx.AsyncClient, method: str, path: str, allow: str
) -> None:
    response = await client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.json()["code"] == "method_not_allowed"


def test_public_operations_declare_no_bearer_and_optional_ones_declare_it_optional(
    app: FastAPI,
) -> None:
    spec = app.openapi()
    security = {
        (method, path): operation.get("security")
        for path, item in spec["paths"].items()
        for method, operation in item.items()
    }
    assert security[("post", "/api/v1/auth/staff/login")] is None
    assert security[("get", "/api/v1/stations")] is None
    optional = [{}, {"HTTPBearer": []}]
    assert security[("post", "/api/v1/policies/evaluate")] == optional
    assert security[("get", "/api/v1/gigs/{gig_id}")] == optional
    assert security[("get", "/api/v1/jobs/{job_id}")] == optional
    assert security[("get", "/api/v1/files/{file_id}")] == [{"HTTPBearer": []}]
    assert security[("get", "/api/v1/me")] == [{"HTTPBearer": []}]
    assert len(api_routes(app)) == len(security)


async def test_an_operation_declared_optional_serves_anonymous_callers(
    client: httpx.AsyncClient,
) -> None:
    body = {"person": {"birth_date": "2002-05-10", "is_college_graduate": True}}
    response = await client.post("/api/v1/policies/evaluate", json=body)
    assert response.status_code == 200, response.text


def test_checked_shapes_are_in_the_schema(app: FastAPI) -> None:
    spec = app.openapi()
    schemas = spec["components"]["schemas"]
    assert schemas["RealNameRequest"]["properties"]["id_number"]["pattern"]
    assert schemas["EmployerCreate"]["properties"]["credit_code"]["pattern"]
    parameters = {
        (path, method, p["name"]): p
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        for p in operation.get("parameters", [])
    }
    cursors = [p for (_, _, name), p in parameters.items() if name == "cursor"]
    assert cursors and all("pattern" in p["schema"] for p in cursors)
    key = parameters[("/api/v1/jobs", "post", "Idempotency-Key")]
    assert key["in"] == "header" and key["schema"]["pattern"] and key["schema"]["type"] == "string"
    # A parameter is sent or left out, never null.
    assert not [p for p in parameters.values() if "anyOf" in p["schema"]]


async def test_a_cursor_outside_base64url_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/stations", params={"cursor": "a b!"})
    assert response.status_code == 422
