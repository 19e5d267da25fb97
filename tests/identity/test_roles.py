"""Derived roles are registered explicitly when the app is built, not by importing a router."""

from __future__ import annotations

import pytest

from app.core.config import Settings
from app.gigs.repository import has_profile
from app.identity import roles
from app.main import create_app, register_roles


def test_create_app_registers_the_gig_worker_role_once(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(roles, "_PROBES", {})
    create_app(settings)
    create_app(settings)  # a second app (tests build many) adds nothing twice
    assert roles.registered_roles() == ["gig_worker"]
    assert roles._PROBES["gig_worker"] is has_profile


def test_importing_the_gigs_router_registers_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roles, "_PROBES", {})
    import importlib

    import app.gigs.router

    importlib.reload(app.gigs.router)
    assert roles.registered_roles() == []
    register_roles()
    assert roles.registered_roles() == ["gig_worker"]
