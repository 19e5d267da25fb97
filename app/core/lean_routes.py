"""What lean read routes share: Starlette routes placed before a documented FastAPI route.

A lean route answers the common case of a hot read without FastAPI's dependency resolution
(``app.jobs.public_read``, ``app.gigs.lean_matches``); its ``matches`` falls through to the full
route for anything unusual. Both paths must answer the same bytes and the same errors.
"""

from __future__ import annotations

import re
import uuid

from fastapi import FastAPI
from starlette.routing import Match, Route
from starlette.types import Scope

from app.core.clock import injected_clock
from app.core.security import InvalidToken, Security

CANONICAL_UUID = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)


class LeanRoute(Route):
    """A Starlette route in front of a documented one. A match names the route in the scope,
    as FastAPI's routes do, so the access log and the request metrics file it under its path
    template (they showed ``<unmatched>`` for the hottest requests)."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        if match is Match.FULL:
            child["route"] = self
        return match, child


def token_user(app: FastAPI, headers: list[bytes]) -> uuid.UUID | None:
    """The subject of one well-formed, valid ``Bearer`` user token; None for anything else."""
    if len(headers) != 1:
        return None
    scheme, _, token = headers[0].decode("latin-1").partition(" ")
    if scheme.lower() != "bearer" or not token or " " in token:
        return None
    security: Security = app.state.security
    try:
        claims = security.tokens.decode(token, injected_clock(app)())
    except InvalidToken:
        return None
    return claims.subject_id if claims.kind == "user" else None


def authorization(scope: Scope) -> list[bytes]:
    """The values of the request's ``Authorization`` headers."""
    return [value for name, value in scope["headers"] if name == b"authorization"]
