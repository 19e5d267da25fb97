"""The floor for job detail: a minimal Starlette + asyncpg endpoint answering the same JSON.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dsjobs_bench \
      .venv/bin/python -m uvicorn bench.baseline_detail:app --workers 2 --port 8001 \
      --no-access-log --log-level warning

``GET /api/v1/jobs/{job_id}`` for an anonymous caller: one asyncpg pool per worker, the service's
own anonymous detail statement (one round trip), and the body built by the service's own
``JobRead`` (labels, salary text, signed photo links), so both answer byte for byte the same
JSON. No middleware, no dependencies, no ORM, no cache: what the framework around the service
costs is the difference to ``python -m app serve``. ``bench.detail_ratio`` runs both.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.core.clock import local_date, system_clock
from app.core.config import get_settings
from app.core.file_links import FileLinks, FileLinkSigner, bind
from app.jobs import repository, service
from app.jobs.schemas import JobRead
from app.taxonomy import load_all

_SERIALIZER = JobRead.__pydantic_serializer__
NOT_FOUND = '{"code":"job.not_found","message":"岗位不存在或已下架"}'.encode()
_state: dict[str, object] = {}


async def detail(request: Request) -> Response:
    try:
        job_id = uuid.UUID(request.path_params["job_id"])
    except ValueError:
        return Response(NOT_FOUND, status_code=404, media_type="application/json")
    pool: asyncpg.Pool = _state["pool"]  # type: ignore[assignment]
    async with pool.acquire() as connection:
        row = await repository.public_detail_record(connection, job_id)
    if row is None:
        return Response(NOT_FOUND, status_code=404, media_type="application/json")
    now = system_clock()
    bind(FileLinks(_state["signer"], system_clock))  # type: ignore[arg-type]
    body = _SERIALIZER.to_json(service.detail_from_row(row, local_date(now)), by_alias=True)
    return Response(body, media_type="application/json")


async def _json_codecs(connection: asyncpg.Connection) -> None:
    import json

    for kind in ("json", "jsonb"):
        await connection.set_type_codec(
            kind, encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
        )


@asynccontextmanager
async def lifespan(_app: Starlette) -> AsyncIterator[None]:
    settings = get_settings()
    url = os.environ["DATABASE_URL"].replace("postgresql+asyncpg://", "postgresql://")
    load_all()
    _state["signer"] = FileLinkSigner.from_settings(settings)
    _state["pool"] = pool = await asyncpg.create_pool(
        url, min_size=2, max_size=10, init=_json_codecs
    )
    try:
        yield
    finally:
        await pool.close()


app = Starlette(routes=[Route("/api/v1/jobs/{job_id}", detail)], lifespan=lifespan)
