"""The committed OpenAPI document is the contract: it must match the code."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from app.__main__ import OPENAPI_PATH, render_openapi
from app.core.openapi import api_routes, operation_id
from app.main import create_app

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_committed_openapi_is_current() -> None:
    assert OPENAPI_PATH.exists(), "run `python -m app export-openapi`"
    committed = OPENAPI_PATH.read_text(encoding="utf-8")
    assert committed == render_openapi(), (
        "openapi/openapi.json is stale: run `python -m app export-openapi` and commit it"
    )


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]


def test_operation_ids_are_short_camel_case_function_names() -> None:
    schema = json.loads(render_openapi())
    names = {operation_id(route): route.name for route in api_routes(create_app().router.routes)}
    seen: set[str] = set()
    for path, method, operation in _operations(schema):
        op_id = operation["operationId"]
        assert re.fullmatch(r"[a-z][a-zA-Z0-9]{2,40}", op_id), (path, method, op_id)
        assert op_id in names, (path, method, op_id)
        assert op_id not in seen, f"two routes are named {names[op_id]}: rename one function"
        seen.add(op_id)
    assert {"searchJobs", "getJob", "evaluatePolicies", "uploadFile"} <= seen


def test_every_operation_has_a_chinese_summary_and_a_description() -> None:
    schema = json.loads(render_openapi())
    for path, method, operation in _operations(schema):
        summary = operation.get("summary", "")
        assert CHINESE.search(summary), f"{method} {path}: summary= in Chinese, not {summary!r}"
        assert (
            CHINESE.search(operation.get("description", ""))
            or len(operation.get("description", "")) > 20
        ), f"{method} {path}: write the docstring for the mini-program developer"


def test_schema_names_are_class_names() -> None:
    """No module paths (`app__x__Y`), no generator names (`Body_…`, `Page_X_`)."""
    schema = json.loads(render_openapi())
    for name, component in schema["components"]["schemas"].items():
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]*(-Input|-Output)?", name), name
        assert "__" not in json.dumps(component.get("title", "")), name
    assert "JobListItemPage" in schema["components"]["schemas"]
    assert "UploadFileForm" in schema["components"]["schemas"]


def _refs(node: Any, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                found.add(value.rsplit("/", 1)[-1])
            else:
                _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)
    return found


def _closure(schemas: dict[str, Any], names: set[str]) -> set[str]:
    seen: set[str] = set()
    pending = list(names)
    while pending:
        name = pending.pop()
        if name not in seen:
            seen.add(name)
            pending.extend(_refs(schemas[name], set()))
    return seen


def test_defaults_are_optional_in_requests_and_outputs_always_carry_every_field() -> None:
    schema = json.loads(render_openapi())
    schemas = schema["components"]["schemas"]
    requests: set[str] = set()
    responses: set[str] = set()
    for _, _, operation in _operations(schema):
        _refs(operation.get("requestBody", {}), requests)
        for status, response in operation["responses"].items():
            if status.startswith("2"):
                _refs(response, responses)
    inputs, outputs = _closure(schemas, requests), _closure(schemas, responses)
    for name in inputs:
        required = set(schemas[name].get("required", []))
        defaulted = {k for k, v in schemas[name].get("properties", {}).items() if "default" in v}
        assert not required & defaulted, (name, required & defaulted)
    for name in outputs - inputs:
        required = set(schemas[name].get("required", []))
        assert set(schemas[name].get("properties", {})) == required, name
    assert {"Facts-Input", "Facts-Output"} <= set(schemas)
    for name in (n for n in schemas if n.endswith("Page")):
        cursor = schemas[name]["properties"]["next_cursor"]
        assert "next_cursor" in schemas[name]["required"], name
        assert {"type": "null"} in cursor["anyOf"], name


def test_every_operation_documents_the_error_envelope() -> None:
    schema = json.loads(render_openapi())
    for item in schema["paths"].values():
        for operation in item.values():
            assert "4XX" in operation["responses"]
            assert "HTTPValidationError" not in json.dumps(operation)


async def test_docs_pages_load_every_asset_from_the_service() -> None:
    """`/docs` and `/redoc` work without the internet (no CDN in mainland China or offline)."""
    transport = httpx.ASGITransport(app=create_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        for page in ("/docs", "/redoc"):
            response = await client.get(page)
            assert response.status_code == 200, page
            urls = re.findall(r"""(?:src|href|url)\s*[:=]\s*['"]([^'"]+)['"]""", response.text)
            assert urls, page
            assert not [u for u in urls if "//" in u], (page, urls)
            for url in urls:
                asset = await client.get(url)
                assert asset.status_code == 200, url
                if url.endswith(".js"):
                    assert len(asset.content) > 100_000, url
