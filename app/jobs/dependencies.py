"""Dependencies of the job routes: the WeChat client and who is looking."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.core.db import SessionDep
from app.identity.dependencies import Claims
from app.identity.models import StaffAccount, User
from app.integrations.wechat.client import WeChatClient


async def read_session(request: Request, session: SessionDep) -> AsyncIterator[AsyncSession]:
    """A session for the public read paths (search, detail): its connection runs in autocommit,
    so a request costs one round trip to PostgreSQL instead of BEGIN, query and COMMIT.

    Nothing is written through it. When the app's sessions are bound to something other than an
    engine (the tests' shared transaction), the request's ordinary session is used instead, so
    reads see the same data and savepoints stay properly nested.
    """
    maker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    bind = maker.kw.get("bind")
    if not isinstance(bind, AsyncEngine):
        yield session
        return
    async with bind.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        async with AsyncSession(bind=connection, expire_on_commit=False) as read:
            yield read


ReadSession = Annotated[AsyncSession, Depends(read_session)]


def get_wechat(request: Request) -> WeChatClient:
    client: WeChatClient = request.app.state.wechat
    return client


WeChat = Annotated[WeChatClient, Depends(get_wechat)]


@dataclass(frozen=True, slots=True)
class Viewer:
    """Anonymous, a mini-program user, or staff (who may see unpublished jobs)."""

    user: User | None = None
    staff: bool = False


async def get_viewer(claims: Claims, session: ReadSession) -> Viewer:
    """Anonymous requests touch no table; a token costs one primary-key lookup.

    The lookup goes through the read session the route uses anyway: a second session would hold
    a second connection of the pool for the rest of the request.
    """
    if claims is None:
        return Viewer()
    if claims.kind == "staff":
        staff = await session.get(StaffAccount, claims.subject_id)
        return Viewer(staff=staff is not None and staff.is_active)
    user = await session.get(User, claims.subject_id)
    return Viewer(user=user if user is not None and user.is_active else None)


CurrentViewer = Annotated[Viewer, Depends(get_viewer)]
