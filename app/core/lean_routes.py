"""What lean read routes share: Starlette routes placed before a documented FastAPI route.

A lean route answers the common case of a hot read without FastAPI's dependency resolution
(``app.jobs.public_read``, ``app.gigs.lean_matches``); its ``matches`` falls through to the full
route for anything unusual. Both paths must answer the same bytes and the same errors.
"""

from __future__ import annotations

import re
import uuid

from fastapi import FastAPI
from starlette.types import Scope

from app.core.clock import injected_clock
from app.core.security import InvalidToken, Security

CANONICAL_UUID = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)


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
