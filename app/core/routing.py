"""The API route class that commits at the request boundary, and the router every domain uses."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter as _FastAPIRouter
from fastapi import Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import AppError


class CommittingRoute(APIRoute):
    """Commit the request's session after the endpoint succeeded, before the response is sent.

    A failed commit (a constraint checked at commit time, a serialisation failure) raises here, so
    the client gets the error instead of a success that was never stored.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def commit_after(request: Request) -> Response:
            try:
                response = await handler(request)
            except AppError as error:
                kept: AsyncSession | None = getattr(request.state, "db_session", None)
                if error.keep_changes and kept is not None:
                    await kept.commit()
                raise
            session: AsyncSession | None = getattr(request.state, "db_session", None)
            if session is not None:
                if response.status_code < 400:
                    await session.commit()
                else:
                    await session.rollback()
            return response

        return commit_after


def APIRouter(**kwargs: Any) -> _FastAPIRouter:
    """A FastAPI router whose routes commit at the request boundary."""
    kwargs.setdefault("route_class", CommittingRoute)
    return _FastAPIRouter(**kwargs)
