"""Every datetime the API answers with carries the offset +08:00 (Beijing time)."""

from __future__ import annotations

import typing
from datetime import datetime
from typing import Any

import httpx
from fastapi import FastAPI
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.schemas import ReadSchema
from tests.support.factories import auth, make_staff, make_user
from tests.support.routes import api_routes


def _mentions_datetime(annotation: Any) -> bool:
    return annotation is datetime or any(_mentions_datetime(a) for a in typing.get_args(annotation))


def _models(annotation: Any, seen: set[type[BaseModel]]) -> None:
    for argument in typing.get_args(annotation):
        _models(argument, seen)
    if (
        isinstance(annotation, type)
        and issubclass(annotation, BaseModel)
        and annotation not in seen
    ):
        seen.add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, seen)


def test_every_response_model_with_a_datetime_is_a_read_schema(app: FastAPI) -> None:
    seen: set[type[BaseModel]] = set()
    for route in api_routes(app):
        _models(route.response_model, seen)
    assert len(seen) > 100
    outside = sorted(
        f"{model.__module__}.{model.__qualname__}"
        for model in seen
        if not issubclass(model, ReadSchema)
        and any(_mentions_datetime(f.annotation) for f in model.model_fields.values())
    )
    assert outside == []


async def test_datetimes_are_answered_in_beijing_time(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession
) -> None:
    user = await make_user(session, app)
    me = (await client.get("/api/v1/me", headers=auth(app, user))).json()
    assert me["created_at"].endswith("+08:00"), me["created_at"]
    assert datetime.fromisoformat(me["created_at"]) == user.created_at
    staff = await make_staff(session, roles=("admin",))
    listed = (await client.get("/api/v1/admin/staff", headers=auth(app, staff))).json()
    assert listed and all(s["created_at"].endswith("+08:00") for s in listed)


def test_a_read_schema_converts_any_offset() -> None:
    class Stamp(ReadSchema):
        at: datetime

    dumped = Stamp(at=datetime.fromisoformat("2026-12-03T12:00:00Z")).model_dump(mode="json")
    assert dumped == {"at": "2026-12-03T20:00:00+08:00"}
