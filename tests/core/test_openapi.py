"""The committed OpenAPI document is the contract: it must match the code."""

from __future__ import annotations

import json

from app.__main__ import OPENAPI_PATH, render_openapi


def test_committed_openapi_is_current() -> None:
    assert OPENAPI_PATH.exists(), "run `python -m app export-openapi`"
    committed = OPENAPI_PATH.read_text(encoding="utf-8")
    assert committed == render_openapi(), (
        "openapi/openapi.json is stale: run `python -m app export-openapi` and commit it"
    )


def test_operation_ids_are_tag_dash_name() -> None:
    schema = json.loads(render_openapi())
    seen = set()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            op_id = operation["operationId"]
            assert op_id.startswith(f"{operation['tags'][0]}-"), (path, method, op_id)
            assert op_id not in seen
            seen.add(op_id)


def test_every_operation_documents_the_error_envelope() -> None:
    schema = json.loads(render_openapi())
    for item in schema["paths"].values():
        for operation in item.values():
            assert "4XX" in operation["responses"]
            assert "HTTPValidationError" not in json.dumps(operation)
