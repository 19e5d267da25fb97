"""The OpenAPI document a client generator reads, and the docs pages that show it offline.

* Operation ids are the route functions' names in camelCase (`search_jobs` → `searchJobs`):
  short, stable as long as the function keeps its name, unique because the names are (a test
  checks both).
* Schema names are class names: a form body gets `<OperationId>Form` instead of FastAPI's
  `Body_<operationId>`; a page of items is `<Item>Page` (see ``app.core.pagination.Page``).
* Path, query and header parameters are sent or left out, never JSON null.
* `/docs` (Swagger UI) and `/redoc` (ReDoc) load their scripts from this service, not a CDN.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

DOCS_ASSETS_URL = "/docs/assets"


def operation_id(route: APIRoute) -> str:
    """`searchJobs` for the route function `search_jobs`."""
    head, *rest = route.name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def api_routes(routes: list[Any]) -> list[APIRoute]:
    """Every APIRoute under ``routes`` (FastAPI keeps included routers nested)."""
    found: list[APIRoute] = []
    pending = list(routes)
    while pending:
        route = pending.pop()
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            pending.extend(route.original_router.routes)
    return found


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A path, query or header parameter is sent or left out; it is never JSON null."""
    branches = [b for b in schema.get("anyOf", []) if b.get("type") != "null"]
    if len(branches) != 1 or len(branches) == len(schema["anyOf"]):
        return schema
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    return {**branches[0], **rest}


def _body_names(schema: dict[str, Any]) -> dict[str, str]:
    """`Body_uploadFile` → `UploadFileForm` (multipart or urlencoded) or `UploadFileBody`."""
    renames: dict[str, str] = {}
    for item in schema["paths"].values():
        for operation in item.values():
            for media_type, content in operation.get("requestBody", {}).get("content", {}).items():
                ref = content.get("schema", {}).get("$ref", "")
                name = ref.rsplit("/", 1)[-1]
                if not name.startswith("Body_"):
                    continue
                op_id = operation["operationId"]
                form = media_type in ("multipart/form-data", "application/x-www-form-urlencoded")
                renames[name] = op_id[:1].upper() + op_id[1:] + ("Form" if form else "Body")
    return renames


def _rename_refs(node: Any, renames: dict[str, str]) -> None:
    prefix = "#/components/schemas/"
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(prefix) and ref[len(prefix) :] in renames:
            node["$ref"] = prefix + renames[ref[len(prefix) :]]
        for value in node.values():
            _rename_refs(value, renames)
    elif isinstance(node, list):
        for value in node:
            _rename_refs(value, renames)


def _page_names(schema: dict[str, Any]) -> dict[str, str]:
    """`Page_JobListItem_` → `JobListItemPage` (pydantic names a generic's reference by its
    origin and arguments, whatever ``model_parametrized_name`` says)."""
    pages = (
        re.fullmatch(r"Page_([A-Za-z0-9]+)_", name) for name in schema["components"]["schemas"]
    )
    return {page[0]: f"{page[1]}Page" for page in pages if page}


def _rename_schemas(schema: dict[str, Any]) -> None:
    renames = _body_names(schema) | _page_names(schema)
    if not renames:
        return
    _rename_refs(schema, renames)
    components = schema["components"]["schemas"]
    for old, new in renames.items():
        renamed = components.pop(old)
        renamed["title"] = new
        components[new] = renamed
    schema["components"]["schemas"] = dict(sorted(components.items()))


def install_openapi(app: FastAPI, bearer_is_optional: Callable[[Dependant], bool]) -> None:
    """The generated document, with the bearer scheme optional where anonymous calls are served.

    FastAPI lists a scheme as required wherever a route reads the token; operations that also
    serve anonymous callers (``bearer_is_optional``: the identity domain decides, core cannot
    import it) declare ``security: [{}, {"HTTPBearer": []}]`` instead. Optional parameters lose
    the ``null`` branch pydantic gives them. Generator-made schema names are renamed.
    """
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        optional = {
            operation_id(route)
            for route in api_routes(app.router.routes)
            if bearer_is_optional(route.dependant)
        }
        for item in schema["paths"].values():
            for operation in item.values():
                if operation.get("operationId") in optional:
                    operation["security"] = [{}, *operation.get("security", [])]
                for parameter in operation.get("parameters", []):
                    parameter["schema"] = _without_null(parameter["schema"])
        _rename_schemas(schema)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
