"""Strict types in request bodies: `0` is not a boolean, `false` is not a longitude.

Bodies are validated in pydantic's python mode after JSON parsing, where a lax ``bool`` takes
``0``/``"true"`` and a lax ``float`` takes ``false``; every request body uses the strict types.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.schemas import not_a_number
from tests.support.factories import auth, make_staff
from tests.support.routes import body_models

STATION = {
    "name": "严格类型服务站",
    "kind": "street_station",
    "area_code": "hantai",
    "address": "罕台镇政府一楼",
    "latitude": 39.9,
    "longitude": 109.87,
    "phone": "0477-8000000",
    "weekly_hours": [{"weekday": 1, "opens": "08:30", "closes": "12:00"}],
}


def _lax_scalars(schema: dict[str, Any], path: str, seen: set[str]) -> list[str]:
    """Paths of bool/int/float validators that are not strict, and of dates that take numbers."""
    found = []
    kind = schema.get("type")
    if kind == "function-before" and schema["function"].get("function") is not_a_number:
        return []
    if kind in ("bool", "int", "float") and not schema.get("strict"):
        found.append(f"{path}:{kind}")
    if kind in ("date", "datetime", "time"):
        found.append(f"{path}:{kind}")
    if kind == "definitions":
        for definition in schema["definitions"]:
            if definition.get("ref") not in seen:
                seen.add(definition.get("ref", ""))
                found += _lax_scalars(definition, path, seen)
    for key, value in schema.items():
        if key in ("metadata", "serialization", "definitions"):
            continue
        children = value.values() if isinstance(value, dict) and "type" not in value else [value]
        if isinstance(value, list):
            children = value
        for child in children:
            if isinstance(child, dict) and isinstance(child.get("type"), str):
                found += _lax_scalars(child, f"{path}.{key}", seen)
            elif isinstance(child, dict) and isinstance(child.get("schema"), dict):
                found += _lax_scalars(child["schema"], f"{path}.{key}", seen)
    return found


def test_no_request_body_has_a_lax_boolean_or_number(app: FastAPI) -> None:
    models = body_models(app)
    assert len(models) > 30
    lax = {
        model.__name__: found
        for model in models
        if (found := _lax_scalars(dict(model.__pydantic_core_schema__), "", set()))
    }
    assert lax == {}, "use StrictBool / StrictInt / StrictFloat / IsoDate in request bodies"


@pytest.mark.parametrize(
    ("field", "value"),
    [("longitude", False), ("latitude", "39.9"), ("longitude", True)],
)
async def test_a_boolean_or_text_is_not_a_coordinate(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, field: str, value: Any
) -> None:
    staff = await make_staff(session, roles=("station",))
    response = await client.post(
        "/api/v1/admin/stations", json={**STATION, field: value}, headers=auth(app, staff)
    )
    assert response.status_code == 422, response.text
    assert [d["loc"] for d in response.json()["details"]] == [["body", field]]


@pytest.mark.parametrize("value", [0, 1, "true", "yes"])
async def test_a_number_or_text_is_not_a_boolean(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, value: Any
) -> None:
    staff = await make_staff(session, roles=("station",))
    response = await client.post("/api/v1/admin/stations", json=STATION, headers=auth(app, staff))
    assert response.status_code == 201, response.text
    patch = await client.put(
        f"/api/v1/admin/stations/{response.json()['id']}",
        json={**STATION, "is_active": value},
        headers=auth(app, staff),
    )
    assert patch.status_code == 422, patch.text
    assert patch.json()["details"][0]["message"] == "应为 true 或 false"


async def test_an_integer_is_still_a_longitude(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    staff = await make_staff(session, roles=("station",))
    body = {**STATION, "longitude": 110}
    response = await client.post("/api/v1/admin/stations", json=body, headers=auth(app, staff))
    assert response.status_code == 201, response.text
    assert response.json()["longitude"] == 110


async def test_a_number_is_not_a_date(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    """Python mode would read 0 as 1970-01-01 (found by schemathesis on PUT /me/resume)."""
    body = {"person": {"birth_date": 0, "is_college_graduate": True}}
    response = await client.post("/api/v1/policies/evaluate", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["details"][0]["loc"] == ["body", "person", "birth_date"]


async def test_an_integral_number_is_an_integer_but_a_boolean_is_not(
    client: httpx.AsyncClient,
) -> None:
    """JSON Schema counts 7.0 as an integer; pydantic's strict int alone would refuse it."""
    spell = {"employer_in_district": True, "start_date": "2025-01-15", "insured_months": 7.0}
    body = {"person": {"birth_date": "2002-05-10", "employments": [spell]}}
    assert (await client.post("/api/v1/policies/evaluate", json=body)).status_code == 200
    for value in (True, 7.5, "7"):
        spell["insured_months"] = value
        response = await client.post("/api/v1/policies/evaluate", json=body)
        assert response.status_code == 422, (value, response.text)
