"""Hostile text never reaches the database: NUL, lone surrogates and non-characters answer 422.

The sweep takes every write operation of the OpenAPI document, builds a valid-looking body from
its schema and puts a hostile string into one string field at a time (then into each query and
path parameter); every answer must be the 422 envelope naming that field.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI

from app.core.error_handlers import envelope
from app.core.errors import ValidationFailed
from app.core.idempotency import _hash
from app.core.keyset import INTEGER, TEXT, keyset
from app.core.pagination import InvalidCursor
from app.core.routing import CommittingRoute
from app.core.text import forbidden_character, scrub
from tests.support.routes import api_routes

NUL, SURROGATE, NON_CHARACTER = "\x00", "\ud800", "\ufffe"
HOSTILE = [NUL, SURROGATE, NON_CHARACTER, "\U0010ffff", "\ufdd0"]
# A URL carries UTF-8 bytes: a lone surrogate cannot be written into a query or a path.
HOSTILE_IN_URL = [NUL, NON_CHARACTER, "\U0001fffe"]
WRITE_METHODS = {"post", "put", "patch", "delete"}

Loc = tuple[str | int, ...]


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def _example(spec: dict[str, Any], schema: dict[str, Any], depth: int = 0) -> Any:
    """A plausible value for ``schema`` (enough for the shape; the server may still refuse it)."""
    schema = _resolve(spec, schema)
    if depth > 6:
        return None
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [o for o in schema[key] if _resolve(spec, o).get("type") != "null"]
            return _example(spec, options[0], depth + 1) if options else None
    if "allOf" in schema:
        return _example(spec, schema["allOf"][0], depth + 1)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        value = {
            name: _example(spec, sub, depth + 1)
            for name, sub in schema.get("properties", {}).items()
        }
        if not value and schema.get("additionalProperties") not in (None, False):
            value = {"fact": "value"}
        return value
    if kind == "array":
        return [_example(spec, schema.get("items", {}), depth + 1)]
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return float(schema.get("minimum", 1))
    if kind == "boolean":
        return True
    formats = {
        "date": "2026-01-05",
        "date-time": "2026-01-05T09:00:00+08:00",
        "uuid": "00000000-0000-4000-8000-000000000000",
        "email": "someone@example.com",
    }
    return formats.get(schema.get("format", ""), "示例文本")


def _string_paths(value: Any, loc: Loc = ()) -> Iterator[Loc]:
    if isinstance(value, str):
        yield loc
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _string_paths(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _string_paths(item, (*loc, index))


def _with(value: Any, loc: Loc, text: str) -> Any:
    if not loc:
        return text
    head, rest = loc[0], loc[1:]
    if isinstance(value, dict):
        return {**value, head: _with(value[head], rest, text)}
    copied = list(value)
    copied[int(head)] = _with(copied[int(head)], rest, text)
    return copied


def _write_operations(app: FastAPI) -> list[tuple[str, str, dict[str, Any]]]:
    spec = app.openapi()
    return [
        (method, path, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in WRITE_METHODS
    ]


def _url(path: str, operation: dict[str, Any], override: dict[str, str] | None = None) -> str:
    override = override or {}
    for param in operation.get("parameters", []):
        if param["in"] == "path":
            value = override.get(param["name"], "00000000-0000-4000-8000-000000000000")
            path = path.replace("{" + param["name"] + "}", quote(value, safe=""))
    return path


def _assert_refused(response: httpx.Response, loc: list[str]) -> None:
    assert response.status_code == 422, (loc, response.status_code, response.text[:500])
    body = response.json()
    assert set(body) == {"code", "message", "details", "request_id"}
    assert body["code"] == "validation_error"
    locs = [d["loc"] for d in body["details"] if d["type"] == "string_forbidden_character"]
    assert loc in locs, (loc, body["details"])


async def test_every_write_operation_refuses_hostile_text_in_body_fields(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    spec = app.openapi()
    tried = 0
    for method, path, operation in _write_operations(app):
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            continue
        body = _example(spec, content["application/json"]["schema"])
        for index, loc in enumerate(_string_paths(body)):
            text = HOSTILE[index % len(HOSTILE)]
            response = await client.request(
                method,
                _url(path, operation),
                content=json.dumps(_with(body, loc, f"前{text}后")).encode(),
                headers={"content-type": "application/json"},
            )
            _assert_refused(response, ["body", *map(str, loc)])
            tried += 1
    assert tried > 150  # the sweep really reached the string fields of the API


async def test_every_write_operation_refuses_hostile_text_in_query_and_path(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    tried = 0
    for method, path, operation in _write_operations(app):
        for param in operation.get("parameters", []):
            if param["in"] not in ("query", "path"):
                continue
            for text in HOSTILE_IN_URL:
                hostile = f"x{text}y"
                if param["in"] == "path":
                    url = _url(path, operation, {param["name"]: hostile})
                    response = await client.request(method, url, json={})
                else:
                    params = {param["name"]: hostile}
                    response = await client.request(
                        method, _url(path, operation), params=params, json={}
                    )
                _assert_refused(response, [param["in"], param["name"]])
                tried += 1
    assert tried > 30


async def test_a_hostile_key_of_a_free_form_fact_map_is_refused(client: httpx.AsyncClient) -> None:
    body = {"person": {"birth_date": "2000-01-01", "bad\ud800key": 1}}
    response = await client.post(
        "/api/v1/policies/evaluate",
        content=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
    )
    _assert_refused(response, ["body", "person", "bad\ufffdkey"])


@pytest.mark.parametrize("text", [NUL, SURROGATE, NON_CHARACTER])
async def test_anonymous_staff_login_refuses_hostile_text(
    client: httpx.AsyncClient, text: str
) -> None:
    body = {"username": f"demo{text}.admin", "password": "irrelevant-password"}
    response = await client.post(
        "/api/v1/auth/staff/login",
        content=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
    )
    _assert_refused(response, ["body", "username"])


async def test_a_lone_surrogate_in_an_idempotent_create_is_refused_before_hashing(
    client: httpx.AsyncClient,
) -> None:
    body = {"name": "单位名称\ud800"}
    response = await client.post(
        "/api/v1/employers",
        content=json.dumps(body).encode(),
        headers={"content-type": "application/json", "Idempotency-Key": "key-12345678"},
    )
    _assert_refused(response, ["body", "name"])
    assert _hash({"text": "\ud800"})  # and the hash itself survives one


async def test_a_nul_in_the_idempotency_key_header_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/employers",
        json={"name": "单位名称"},
        headers={"Idempotency-Key": "key-1234\x005678"},
    )
    _assert_refused(response, ["header", "Idempotency-Key"])


def test_the_error_envelope_renders_a_lone_surrogate_in_its_details() -> None:
    response = envelope(ValidationFailed(details=[{"detail": "bad \ud800 value"}]), "rid")
    assert json.loads(response.body)["details"] == [{"detail": "bad \ufffd value"}]


def test_the_rule_names_every_forbidden_class_and_passes_ordinary_text() -> None:
    for text in ["\x00", "\udfff", "\ufdd0", "\ufdef", "\ufffe", "\uffff", "\U0001fffe"]:
        assert forbidden_character(f"a{text}b") is not None
    for text in ["东胜就业", "emoji \U0001f600", "tab\tnewline\n", "\ufffd", "\ufdcf\ufdf0"]:
        assert forbidden_character(text) is None
    assert scrub({"k\x00": ["\ud800"]}) == {"k\ufffd": ["\ufffd"]}


def test_every_route_of_the_app_applies_the_rule(app: FastAPI) -> None:
    """The rule lives in the route class: a route built any other way could forget it."""
    spec_ops = {(m, p) for m, p, _ in _write_operations(app)}
    routes = api_routes(app)
    assert len(routes) >= len(spec_ops)
    assert [r.path for r in routes if not isinstance(r, CommittingRoute)] == []


def test_a_forged_cursor_cannot_smuggle_a_nul() -> None:
    shape = keyset(TEXT, INTEGER)
    forged = base64.urlsafe_b64encode(json.dumps(["a\x00b", 1]).encode()).decode()
    with pytest.raises(InvalidCursor):
        shape.decode(forged)
    assert shape.decode(shape.encode(("东胜", 1))) == ("东胜", 1)


async def test_a_scalar_query_parameter_given_twice_is_refused(client: httpx.AsyncClient) -> None:
    twice = await client.get("/api/v1/events", params=[("limit", "1"), ("limit", "2")])
    assert twice.status_code == 422
    assert "该参数只能填写一次" in str(twice.json()["details"])
    once = await client.get("/api/v1/events", params=[("limit", "1")])
    assert once.status_code == 200
