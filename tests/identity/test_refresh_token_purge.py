"""The worker purges expired refresh tokens (and ``python -m app purge`` does it at once)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import system_clock
from app.core.queue import JobSpec, TaskRuntime, defer
from app.identity.models import RefreshToken
from tests.support.factories import make_user
from tests.support.queue import run_jobs


async def test_expired_refresh_tokens_are_purged(
    session: AsyncSession, app: FastAPI, task_runtime: TaskRuntime
) -> None:
    user = await make_user(session, app)
    now = system_clock()
    for name, expires in (("old", now - timedelta(seconds=1)), ("live", now + timedelta(days=1))):
        session.add(
            RefreshToken(
                family_id=uuid.uuid4(),
                subject_kind="user",
                user_id=user.id,
                token_hash=f"{name}-{uuid.uuid4().hex}",
                issued_at=now - timedelta(days=30),
                expires_at=expires,
            )
        )
    await session.flush()
    await defer(session, [JobSpec(task="identity:purge_refresh_tokens", args={"timestamp": 0})])
    [ran] = await run_jobs(session, task_runtime)
    assert (ran.result, ran.error) == (1, None)
    left = await session.scalars(
        select(RefreshToken.token_hash).where(RefreshToken.user_id == user.id)
    )
    assert [h.split("-")[0] for h in left] == ["live"]
