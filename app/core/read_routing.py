"""Public reads from a read replica (``DATABASE_READ_URL``), with read-your-writes for writers.

The rule (docs/scaling.md, section 4):

* A **public read** — the routes that take :data:`ReadSession` (job search, job detail, gig
  search) — runs on the read engine when ``DATABASE_READ_URL`` is set, on the primary otherwise.
* A **signed-in caller who wrote lately** reads from the primary: every successful POST, PUT or
  DELETE of a signed-in subject leaves a marker that lives ``DATABASE_READ_AFTER_WRITE_SECONDS``
  (10 s by default, far above a healthy replica's lag), and while it lives that subject's public
  reads go to the primary. An employer who has just edited a job sees the edit; everybody else
  may see it a moment later.
* An **anonymous** caller always reads from the replica: nothing an anonymous request writes (a
  login, a device's first call) shows in a public read.

The marker is a row of ``recent_write`` written in the write's own transaction (so it exists
exactly when the write does), or a Redis key with a TTL when ``REDIS_URL`` is set. Only when a
read engine is configured are markers written or looked up; without one this module costs a
request nothing. Everything that is not a public read (``SessionDep``) uses the primary.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any, Protocol

from fastapi import Depends, Request
from sqlalchemy import String, func, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from app.core.clock import system_clock
from app.core.db import Base, SessionDep
from app.core.security import InvalidToken, Security

WRITE_METHODS = frozenset({"POST", "PUT", "DELETE"})


class RecentWrite(Base):
    """A subject (``user:<id>`` / ``staff:<id>``) that wrote at ``written_at``."""

    __tablename__ = "recent_write"

    subject: Mapped[str] = mapped_column(String(80), primary_key=True)
    written_at: Mapped[datetime] = mapped_column(server_default=func.now())


_MARK = text(
    "INSERT INTO recent_write (subject, written_at) VALUES (:subject, now()) "
    "ON CONFLICT (subject) DO UPDATE SET written_at = now()"
)
_WROTE_SINCE = text(
    "SELECT EXISTS (SELECT 1 FROM recent_write WHERE subject = :subject "
    "AND written_at > now() - make_interval(secs => :seconds))"
)


class WriteMarks(Protocol):
    async def mark(self, subject: str, session: AsyncSession) -> None:
        """Note that ``subject`` wrote (``session`` is the write's, not yet committed)."""
        ...

    async def wrote_recently(self, subject: str) -> bool: ...


class PostgresWriteMarks:
    """Markers in ``recent_write`` on the primary: written in the write's transaction, looked up
    through the side engine (one autocommit statement)."""

    def __init__(self, side_engine: AsyncEngine, seconds: int) -> None:
        self.engine = side_engine
        self.seconds = seconds

    async def mark(self, subject: str, session: AsyncSession) -> None:
        await session.execute(_MARK, {"subject": subject})

    async def wrote_recently(self, subject: str) -> bool:
        async with self.engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            params = {"subject": subject, "seconds": self.seconds}
            return bool((await conn.execute(_WROTE_SINCE, params)).scalar_one())


class RedisWriteMarks:
    """Markers as Redis keys that expire by themselves."""

    def __init__(self, client: Any, seconds: int, prefix: str = "dsjobs:wrote:") -> None:
        self.client = client
        self.seconds = seconds
        self.prefix = prefix

    async def mark(self, subject: str, session: AsyncSession) -> None:
        # Set before the commit: a marker without its write only sends reads to the primary.
        await self.client.set(self.prefix + subject, b"1", ex=self.seconds)

    async def wrote_recently(self, subject: str) -> bool:
        return bool(await self.client.exists(self.prefix + subject))


class ReadRouter:
    """Chooses the engine of a public read and marks writers (see the module docstring)."""

    def __init__(self, replica: AsyncEngine | None = None, marks: WriteMarks | None = None) -> None:
        self.replica = replica
        self.marks = marks

    @property
    def routes(self) -> bool:
        return self.replica is not None and self.marks is not None

    async def engine_for(self, request: Request, primary: AsyncEngine) -> AsyncEngine:
        """The replica, or ``primary`` when there is none or the caller wrote lately."""
        if self.replica is None or self.marks is None:
            return primary
        subject = bearer_subject(request)
        if subject is not None and await self.marks.wrote_recently(subject):
            return primary
        return self.replica

    async def after_write(self, request: Request, session: AsyncSession) -> None:
        """Called by the commit boundary before committing a successful request."""
        if not self.routes or request.method not in WRITE_METHODS:
            return
        subject = getattr(request.state, "author", None) or bearer_subject(request)
        if subject is not None and self.marks is not None:
            await self.marks.mark(subject, session)


def note_author(request: Request, kind: str, subject_id: object) -> None:
    """The subject a request without a token wrote as (a login creates or updates its user, who
    then reads from the primary while the replica may not have the row yet)."""
    request.state.author = f"{kind}:{subject_id}"


def bearer_subject(request: Request) -> str | None:
    """``kind:id`` of a valid bearer token, else None (the route itself judges the token)."""
    cached: str | bool | None = getattr(request.state, "read_subject", False)
    if cached is not False:
        return cached  # type: ignore[return-value]
    subject = None
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    security: Security | None = getattr(request.app.state, "security", None)
    if scheme.lower() == "bearer" and token and security is not None:
        try:
            claims = security.tokens.decode(token.strip(), system_clock())
            subject = f"{claims.kind}:{claims.subject_id}"
        except InvalidToken:
            subject = None
    request.state.read_subject = subject
    return subject


def read_router(request: Request) -> ReadRouter | None:
    router: ReadRouter | None = getattr(request.app.state, "read_router", None)
    return router


async def read_bind(request: Request) -> AsyncEngine | AsyncConnection:
    """Where a public read of ``request`` runs: the read engine or the primary (the rule above),
    or the connection the app's sessions are bound to (the tests' shared transaction)."""
    maker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    bind = maker.kw.get("bind")
    if not isinstance(bind, AsyncEngine):
        assert isinstance(bind, AsyncConnection)
        return bind
    router = read_router(request)
    return await router.engine_for(request, bind) if router is not None else bind


async def read_session(request: Request, session: SessionDep) -> AsyncIterator[AsyncSession]:
    """A session for the public read paths: on the read engine (see the rule above), in
    autocommit, so a request costs one round trip instead of BEGIN, query and COMMIT.

    Nothing is written through it. When the app's sessions are bound to something other than an
    engine (the tests' shared transaction), the request's ordinary session is used instead, so
    reads see the same data and savepoints stay properly nested.
    """
    engine = await read_bind(request)
    if not isinstance(engine, AsyncEngine):
        yield session
        return
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        async with AsyncSession(bind=connection, expire_on_commit=False) as read:
            yield read


ReadSession = Annotated[AsyncSession, Depends(read_session)]
