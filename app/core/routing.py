"""The API route class every domain uses: hostile text refused first, commit at the boundary."""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from types import UnionType
from typing import Any, Union, get_args, get_origin

from fastapi import APIRouter as _FastAPIRouter
from fastapi import FastAPI, Request, Response, params
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import get_flat_params
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import AppError
from app.core.read_routing import ReadRouter
from app.core.text import text_errors


def _is_json(request: Request) -> bool:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


async def _json_body(request: Request) -> Any:
    """The parsed JSON body (cached on the request, so FastAPI does not parse it again)."""
    if not _is_json(request) or not await request.body():
        return None
    try:
        return await request.json()
    except ValueError:
        return None  # FastAPI answers the malformed JSON itself


class CommittingRoute(APIRoute):
    """Refuse hostile text, then commit the request's session after the endpoint succeeded.

    Every string of the query, the path, the declared headers and the JSON body goes through the
    one rule of :mod:`app.core.text` before validation, so no endpoint can forget it.

    A failed commit (a constraint checked at commit time, a serialisation failure) raises here, so
    the client gets the error instead of a success that was never stored.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        headers = [
            param.alias.replace("_", "-")
            for param in get_flat_params(self.dependant)
            if isinstance(param.field_info, params.Header)
        ]
        # A scalar query parameter given twice (``?limit=1&limit=2``) is refused, not silently
        # read as its last value: the caller meant something the endpoint cannot take.
        scalar_queries = {
            name
            for name, annotation in _query_parameters(self.dependant)
            if not _is_sequence(annotation)
        }
        reads_json = self.body_field is not None and not isinstance(
            self.body_field.field_info, params.Form
        )

        async def refuse_hostile_text(request: Request) -> None:
            found = text_errors(request.path_params, ("path",))
            seen: set[str] = set()
            for key, value in request.query_params.multi_items():
                found += text_errors({key: value}, ("query",))
                if key in scalar_queries and key in seen:
                    found.append(_repeated(key))
                seen.add(key)
            for name in headers:
                for value in request.headers.getlist(name):
                    found += text_errors(value, ("header", name))
            if reads_json:
                found += text_errors(await _json_body(request), ("body",))
            if found:
                raise RequestValidationError(found)

        async def commit_after(request: Request) -> Response:
            await refuse_hostile_text(request)
            try:
                response = await handler(request)
            except AppError as error:
                await keep_changes_of(error, getattr(request.state, "db_session", None))
                raise
            session: AsyncSession | None = getattr(request.state, "db_session", None)
            if session is not None:
                await finish_session(request, session, succeeded=response.status_code < 400)
            return response

        return commit_after


def _query_parameters(dependant: Dependant) -> list[tuple[str, Any]]:
    """(name, annotation) of every query parameter of a route and its dependencies; a parameter
    model (``Annotated[JobSearchParams, Query()]``) stands for each of its fields."""
    found: list[tuple[str, Any]] = []
    for param in dependant.query_params:
        annotation = param.field_info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found.extend(
                (field.alias or name, field.annotation)
                for name, field in annotation.model_fields.items()
            )
        else:
            found.append((param.alias, annotation))
    for dependency in dependant.dependencies:
        found.extend(_query_parameters(dependency))
    return found


def _is_sequence(annotation: Any) -> bool:
    """``list[str]``, ``set[int] | None`` …: a query parameter that may repeat."""
    origin = get_origin(annotation)
    if origin in (list, set, tuple, frozenset):
        return True
    if origin in (Union, UnionType):
        return any(_is_sequence(arg) for arg in get_args(annotation))
    return False


def _repeated(name: str) -> dict[str, Any]:
    return {
        "type": "repeated_parameter",
        "loc": ("query", name),
        "msg": "This parameter takes one value: give it once",
        "input": None,
    }


async def keep_changes_of(error: AppError, session: AsyncSession | None) -> None:
    """The request boundary on an error: one that asks for it (a counted failure) keeps the
    changes of the request's session; any other leaves them to be rolled back."""
    if error.keep_changes and session is not None:
        await session.commit()


async def finish_session(request: Request, session: AsyncSession, *, succeeded: bool) -> None:
    """The request boundary on an answer: a successful request marks its author's write
    (read-your-writes) and commits; an error answer rolls back."""
    if succeeded:
        await note_write(request, session)
        await session.commit()
    else:
        await session.rollback()


async def note_write(request: Request, session: AsyncSession) -> None:
    """Read-your-writes: a successful write marks its author (app.core.read_routing)."""
    router: ReadRouter | None = getattr(request.app.state, "read_router", None)
    if router is not None and router.routes and session.in_transaction():
        await router.after_write(request, session)


def APIRouter(**kwargs: Any) -> _FastAPIRouter:
    """A FastAPI router whose routes refuse hostile text and commit at the request boundary."""
    kwargs.setdefault("route_class", CommittingRoute)
    return _FastAPIRouter(**kwargs)


_METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _method_table(app: FastAPI) -> list[tuple[int, re.Pattern[str], list[str]]]:
    """(parameter count, path regex, methods) for every path of the OpenAPI document."""
    table: list[tuple[int, re.Pattern[str], list[str]]] | None = getattr(
        app.state, "method_table", None
    )
    if table is None:
        table = []
        for template, item in app.openapi()["paths"].items():
            parts = re.split(r"(\{[^}]+\})", template)
            regex = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
            methods = [m for m in _METHOD_ORDER if m.lower() in item]
            table.append((template.count("{"), re.compile(f"^{regex}$"), methods))
        table.sort(key=lambda row: row[0])
        app.state.method_table = table
    return table


def allowed_methods(app: FastAPI, path: str) -> str | None:
    """The ``Allow`` value of ``path``: the methods of the most specific template matching it.

    Starlette names only the first route that matched the path; when a literal path
    (``/policies/evaluate``) overlaps a template (``/policies/{code}``), the literal one wins.
    """
    matching = [
        (count, methods) for count, regex, methods in _method_table(app) if regex.match(path)
    ]
    if not matching:
        return None
    fewest = matching[0][0]
    methods = {m for count, ms in matching if count == fewest for m in ms}
    return ", ".join(m for m in _METHOD_ORDER if m in methods)
