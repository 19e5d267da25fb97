"""Every operation can be sent by ``wx.request``: GET, POST, PUT or DELETE, never PATCH."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.routing import APIRoute

# wx.request also knows HEAD, OPTIONS, TRACE and CONNECT; the API uses the four below only
# (HEAD and OPTIONS are answered by the framework and the CORS middleware).
ALLOWED = {"GET", "POST", "PUT", "DELETE"}
FRAMEWORK = {"HEAD", "OPTIONS"}


def test_every_route_uses_a_method_wx_request_can_send(app: FastAPI) -> None:
    offending = [
        f"{method} {route.path}"
        for route in app.routes
        if isinstance(route, APIRoute)
        for method in route.methods
        if method not in ALLOWED | FRAMEWORK
    ]
    assert offending == []


def test_the_published_document_has_no_patch(app: FastAPI) -> None:
    methods = {method.upper() for item in app.openapi()["paths"].values() for method in item}
    assert methods <= ALLOWED, methods - ALLOWED
