"""Database errors reach neither the client nor the log with the values they were about.

asyncpg writes row values into its messages (``DETAIL: Failing row contains (...)``,
``invalid input syntax for type integer: "..."``) and SQLAlchemy used to append the statement's
parameters: a 500 logged password hashes and whole résumés. Each test puts a marker value into a
failing statement and greps the JSON log lines for it.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import Settings
from app.core.logging import JsonFormatter
from tests.support.probe_app import LogCapture, probe_router, running


def _marker() -> str:
    return f"SECRET-{uuid.uuid4().hex}"


async def _run_probe(settings: Settings, logs: LogCapture, statements: Any) -> tuple[int, str]:
    assert settings.database.url
    async with running(settings, settings.database.url, probe_router(statements), logs) as (
        _,
        client,
    ):
        response = await client.post("/_probe/run")
    return response.status_code, response.text


async def test_failing_row_values_stay_out_of_the_log(settings: Settings, logs: LogCapture) -> None:
    marker = _marker()

    async def violate_check(session: Any) -> None:
        await session.execute(text("CREATE TEMP TABLE probe (v text CHECK (v = 'ok'))"))
        await session.execute(text("INSERT INTO probe (v) VALUES (:v)"), {"v": marker})

    status, body = await _run_probe(settings, logs, violate_check)

    assert status == 500 and marker not in body
    [logged] = [line for line in logs.lines if '"unhandled error"' in line]
    assert "sqlstate=23514" in logged  # the cause is still there: class, SQLSTATE, constraint
    assert marker not in logs.text()


async def test_values_inside_the_message_and_parameters_stay_out_of_the_log(
    settings: Settings, logs: LogCapture
) -> None:
    in_message, in_parameters = _marker(), _marker()

    async def bad_cast(session: Any) -> None:
        statement = text("SELECT CAST(CAST(:a AS text) AS integer), CAST(:b AS text)")
        await session.execute(statement, {"a": in_message, "b": in_parameters})

    status, body = await _run_probe(settings, logs, bad_cast)

    assert status == 500
    assert "sqlstate=22P02" in logs.text()
    for marker in (in_message, in_parameters):
        assert marker not in body and marker not in logs.text()


async def test_the_engine_hides_parameters_in_exception_messages(settings: Settings) -> None:
    from app.core.db import create_engine

    marker = _marker()
    assert settings.database.url
    engine: AsyncEngine = create_engine(settings, settings.database.url)
    try:
        with pytest.raises(DBAPIError) as caught:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1 / 0, CAST(:m AS text)"), {"m": marker})
    finally:
        await engine.dispose()

    assert marker not in str(caught.value) and marker not in repr(caught.value)
    assert "parameters hidden" in str(caught.value)


def test_pydantic_input_values_stay_out_of_the_log() -> None:
    marker = _marker()

    class Model(BaseModel):
        number: int

    try:
        Model.model_validate({"number": marker})
    except ValidationError as exc:
        line = JsonFormatter().formatException((type(exc), exc, exc.__traceback__))

    assert marker not in line and "ValidationError" in line
