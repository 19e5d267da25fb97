"""Idempotent creates: a phone that retries a submit gets the first answer, never a second record.

The record is inserted *before* the work, in the request's transaction. A concurrent retry with
the same key blocks on the primary key until the first transaction ends, then sees its stored
answer (or, if the first rolled back, does the work itself). Same key with another body → 422.

    @router.post("/things", status_code=201)
    async def create_thing(body: ThingCreate, user: CurrentUser, session: SessionDep,
                           key: IdempotencyKeyHeader) -> ThingRead:
        return await idempotent(session, key, scope=f"user:{user.id}:create_thing", body=body,
                                produce=lambda: service.create_thing(session, user, body),
                                response_model=ThingRead)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import Header
from pydantic import BaseModel
from sqlalchemy import String, func, select, update
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.core import errors
from app.core.db import Base

M = TypeVar("M", bound=BaseModel)

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=100,
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="客户端生成的唯一键（如 UUID）；重试时携带同一个键，只会创建一次",
    ),
]


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_record"

    scope: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    response: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), index=True)


class IdempotencyKeyReused(errors.ValidationFailed):
    code = "idempotency.key_reused"
    message = "该请求标识已用于另一份不同的提交，请刷新后重试"


def _hash(body: BaseModel | dict[str, Any] | None) -> str:
    data = body.model_dump(mode="json") if isinstance(body, BaseModel) else body
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


async def idempotent(
    session: AsyncSession,
    key: str | None,
    *,
    scope: str,
    body: BaseModel | dict[str, Any] | None,
    produce: Callable[[], Awaitable[M]],
    response_model: type[M],
) -> M:
    """Run ``produce`` once per (scope, key); replay its result for retries."""
    if key is None:
        return await produce()
    request_hash = _hash(body)
    stmt = (
        insert(IdempotencyRecord)
        .values(scope=scope, key=key, request_hash=request_hash)
        .on_conflict_do_nothing()
        .returning(IdempotencyRecord.key)
    )
    if (await session.execute(stmt)).scalar_one_or_none() is None:
        stored = (
            await session.execute(
                select(IdempotencyRecord.request_hash, IdempotencyRecord.response).where(
                    IdempotencyRecord.scope == scope, IdempotencyRecord.key == key
                )
            )
        ).one()
        if stored.request_hash != request_hash or stored.response is None:
            raise IdempotencyKeyReused()
        return response_model.model_validate(stored.response)
    result = await produce()
    await session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.scope == scope, IdempotencyRecord.key == key)
        .values(response=result.model_dump(mode="json"))
    )
    return result
