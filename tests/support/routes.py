"""Every APIRoute of the app (FastAPI keeps included routers nested) and its body models."""

from __future__ import annotations

import typing
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel


def api_routes(app: FastAPI) -> list[APIRoute]:
    found: list[APIRoute] = []
    pending: list[Any] = list(app.router.routes)
    while pending:
        route = pending.pop()
        if isinstance(route, APIRoute):
            if route.include_in_schema:  # not the /docs and /redoc pages
                found.append(route)
        elif hasattr(route, "original_router"):
            pending.extend(route.original_router.routes)
    return found


def body_models(app: FastAPI) -> set[type[BaseModel]]:
    models: set[type[BaseModel]] = set()
    for route in api_routes(app):
        if route.body_field is None:
            continue
        annotation = route.body_field.field_info.annotation
        for candidate in (annotation, *typing.get_args(annotation)):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                models.add(candidate)
    return models
