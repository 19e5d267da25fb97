"""The lean path of ``POST /api/v1/auth/wechat/login``, the route of a storm of first logins.

A well-formed login (a JSON body that is exactly ``{"code": "…"}`` within the schema's limits,
with no forbidden character) is answered here, before FastAPI's route: no dependency
resolution, no second validation of the answer, the body serialised by pydantic's core. The
login itself is the documented route's (``router.log_in_with_wechat``: the same rate limits,
the same service, the same errors and envelope), committed at the boundary as
``app.core.routing.CommittingRoute`` does. Anything else — another content type, a body the
schema refuses, a forbidden character — is handed to the documented route unchanged, which
answers it as it always did (422 with the usual envelope); that route stays the OpenAPI
operation.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import Message, Receive, Scope, Send

from app.core.clock import injected_clock
from app.core.errors import AppError
from app.core.file_links import FileLinks, FileLinkSigner, bind
from app.core.lean_routes import LeanRoute
from app.core.routing import finish_session, keep_changes_of
from app.core.text import text_errors
from app.identity.router import log_in_with_wechat
from app.identity.schemas import LoginResult, WeChatLoginRequest

PATH = "/api/v1/auth/wechat/login"
DECLINED = "dsjobs.lean_login_declined"  # scope key: the documented route answers this one
_SERIALIZER = LoginResult.__pydantic_serializer__


class LeanLoginRoute(LeanRoute):
    """Matches a JSON POST to the login path that the lean path has not handed on already."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope.get(DECLINED) or scope.get("method") != "POST" or scope.get("query_string"):
            return Match.NONE, {}
        match, child = super().matches(scope)
        if match is not Match.FULL or not _is_plain_json(scope):
            return Match.NONE, {}
        return match, child


def _is_plain_json(scope: Scope) -> bool:
    types = [value for name, value in scope["headers"] if name == b"content-type"]
    return len(types) == 1 and types[0].split(b";")[0].strip().lower() == b"application/json"


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break  # the client went away; the documented route sees the same
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives ``body`` again, then whatever the server says next."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def _login_code(body: bytes) -> str | None:
    """The code of a body the documented route would accept as is; None otherwise."""
    try:
        code = WeChatLoginRequest.model_validate_json(body).code
    except ValidationError:
        return None
    return None if text_errors(code, ("body", "code")) else code


async def wechat_login(scope: Scope, receive: Receive, send: Send) -> None:
    """The login (documented on ``router.wechat_login``), or a hand-over to that route."""
    app: FastAPI = scope["app"]
    body = await _read_body(receive)
    code = _login_code(body)
    if code is None:
        await app.router({**scope, DECLINED: True}, _replay(body, receive), send)
        return
    request = Request(scope, _replay(body, receive))
    clock = injected_clock(app)
    signer: FileLinkSigner = app.state.file_link_signer
    bind(FileLinks(signer, clock))  # as app.core.file_links.bind_file_links does for routes
    maker: async_sessionmaker[AsyncSession] = app.state.sessionmaker
    async with maker() as session:
        request.state.db_session = session  # as app.core.db.get_session does
        try:
            result = await log_in_with_wechat(request, session, clock, code)
        except AppError as error:
            await keep_changes_of(error, session)
            raise
        finally:
            request.state.db_session = None
        await finish_session(request, session, succeeded=True)
    response = Response(_SERIALIZER.to_json(result), media_type="application/json")
    await response(scope, receive, send)


def install(app: FastAPI) -> None:
    """Put the lean route in front of every other route (the documented one stays behind it)."""
    route = LeanLoginRoute(PATH, _Endpoint(), methods=["POST"], include_in_schema=False)
    app.router.routes.insert(0, route)


class _Endpoint:
    """An ASGI endpoint (not a request/response function), so it can hand the request on."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> Any:
        await wechat_login(scope, receive, send)
