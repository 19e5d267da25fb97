"""Every operation can be sent by ``wx.request``: GET, POST, PUT or DELETE, never PATCH."""

from __future__ import annotations

from fastapi import FastAPI

from tests.support.routes import api_routes

# wx.request also knows HEAD, OPTIONS, TRACE and CONNECT; the API uses the four below only
# (HEAD and OPTIONS are answered by the framework and the CORS middleware).
ALLOWED = {"GET", "POST", "PUT", "DELETE"}
FRAMEWORK = {"HEAD", "OPTIONS"}


def test_every_route_uses_a_method_wx_request_can_send(app: FastAPI) -> None:
    routes = api_routes(app)
    assert len(routes) > 100  # the walk reaches the nested routers
    offending = [
        f"{method} {route.path}"
        for route in routes
        for method in route.methods
        if method not in ALLOWED | FRAMEWORK
    ]
    assert offending == []


def test_the_published_document_has_no_patch(app: FastAPI) -> None:
    methods = {method.upper() for item in app.openapi()["paths"].values() for method in item}
    assert methods <= ALLOWED, methods - ALLOWED
