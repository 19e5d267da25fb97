"""Idempotent creates: a phone that retries a submit gets the first answer, never a second record.

The record is inserted *before* the work, in the request's transaction. A concurrent retry with
the same key blocks on the primary key until the first transaction ends, then sees its stored
answer (or, if the first rolled back, does the work itself). Same key with another body → 422.

Records hold response bodies, personal data among them: the body is stored AES-GCM sealed (bound
to its scope and key), and a record lives ``RETENTION`` (24 h). An expired key is treated as new;
expired records are purged, a few on every new record (``PURGE_BATCH``, purge-on-write) and all
of them by the worker every ten minutes (``app.core.maintenance``; ``python -m app purge`` at once).

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
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, Request
from pydantic import BaseModel
from sqlalchemy import String, delete, func, select, tuple_, update
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.core import errors
from app.core.clock import ClockDep
from app.core.db import Base
from app.core.security import FieldCipher, Security

M = TypeVar("M", bound=BaseModel)

RETENTION = timedelta(hours=24)
PURGE_BATCH = 50


@dataclass(frozen=True)
class IdempotencyKey:
    """The client's key, the cipher that seals the stored answer (personal data inside), and
    the request's "now" by the app's clock (which decides whether a stored record expired)."""

    value: str
    cipher: FieldCipher | None
    now: datetime


def idempotency_key(
    request: Request,
    clock: ClockDep,
    key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=8,
            max_length=100,
            pattern=r"^[A-Za-z0-9_.:-]+$",
            description="客户端生成的唯一键（如 UUID）；重试时携带同一个键，只会创建一次",
        ),
    ] = None,
) -> IdempotencyKey | None:
    if key is None:
        return None
    security: Security | None = getattr(request.app.state, "security", None)
    return IdempotencyKey(key, security.cipher if security is not None else None, clock())


IdempotencyKeyHeader = Annotated[IdempotencyKey | None, Depends(idempotency_key)]


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_record"

    scope: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    # The answer as a sealed JSON string (``v1.<kid>.…``); a plain object in records written
    # before responses were sealed (they expire within RETENTION).
    response: Mapped[Any] = mapped_column(JSONB, nullable=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), index=True)


class IdempotencyKeyReused(errors.ValidationFailed):
    code = "idempotency.key_reused"
    message = "该请求标识已用于另一份不同的提交，请刷新后重试"


def _context(scope: str, key: str) -> str:
    return f"idempotency:{scope}:{key}"


def _seal(cipher: FieldCipher | None, scope: str, key: str, answer: BaseModel) -> Any:
    data = answer.model_dump(mode="json")
    if cipher is None:
        return data
    return cipher.encrypt(json.dumps(data, ensure_ascii=False), context=_context(scope, key))


def _unseal(cipher: FieldCipher | None, scope: str, key: str, stored: Any) -> Any:
    if isinstance(stored, str) and cipher is not None:
        return json.loads(cipher.decrypt(stored, context=_context(scope, key)))
    return stored


def _hash(body: BaseModel | dict[str, Any] | None) -> str:
    data = body.model_dump(mode="json") if isinstance(body, BaseModel) else body
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


async def purge_expired(session: AsyncSession, now: datetime, limit: int = PURGE_BATCH) -> int:
    """Delete up to ``limit`` records older than ``RETENTION``; how many went.

    ``SKIP LOCKED``: a record another transaction is renewing or reading is left for next time.
    """
    expired = (
        select(IdempotencyRecord.scope, IdempotencyRecord.key)
        .where(IdempotencyRecord.created_at <= now - RETENTION)
        .order_by(IdempotencyRecord.created_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    stmt = delete(IdempotencyRecord).where(
        tuple_(IdempotencyRecord.scope, IdempotencyRecord.key).in_(expired.scalar_subquery())
    )
    return (await session.execute(stmt)).rowcount  # type: ignore[attr-defined,no-any-return]


async def _claim(
    session: AsyncSession, scope: str, key: str, request_hash: str, now: datetime
) -> bool:
    """Insert the record, or renew an expired one; False if a live record holds the key."""
    fresh = {"request_hash": request_hash, "response": None, "created_at": now}
    stmt = (
        insert(IdempotencyRecord)
        .values(scope=scope, key=key, **fresh)
        .on_conflict_do_update(
            index_elements=[IdempotencyRecord.scope, IdempotencyRecord.key],
            set_=fresh,
            where=IdempotencyRecord.created_at <= now - RETENTION,
        )
        .returning(IdempotencyRecord.key)
    )
    return (await session.execute(stmt)).scalar_one_or_none() is not None


async def idempotent(
    session: AsyncSession,
    key: IdempotencyKey | None,
    *,
    scope: str,
    body: BaseModel | dict[str, Any] | None,
    produce: Callable[[], Awaitable[M]],
    response_model: type[M],
) -> M:
    """Run ``produce`` once per (scope, key) within ``RETENTION``; replay its result for retries."""
    if key is None:
        return await produce()
    cipher, now, value = key.cipher, key.now, key.value
    request_hash = _hash(body)
    if not await _claim(session, scope, value, request_hash, now):
        stored = (
            await session.execute(
                select(IdempotencyRecord.request_hash, IdempotencyRecord.response).where(
                    IdempotencyRecord.scope == scope, IdempotencyRecord.key == value
                )
            )
        ).one()
        if stored.request_hash != request_hash or stored.response is None:
            raise IdempotencyKeyReused()
        return response_model.model_validate(_unseal(cipher, scope, value, stored.response))
    await purge_expired(session, now)
    result = await produce()
    await session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.scope == scope, IdempotencyRecord.key == value)
        .values(response=_seal(cipher, scope, value, result))
    )
    return result
