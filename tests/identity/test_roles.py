"""Derived roles are registered explicitly when the app is built, not by importing a router."""

from __future__ import annotations

import subprocess
import sys

import pytest

from app.core.config import Settings
from app.gigs.repository import has_profile
from app.identity import roles
from app.main import create_app


def test_create_app_registers_the_gig_worker_role_once(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(roles, "_PROBES", {})
    create_app(settings)
    create_app(settings)  # a second app (tests build many) adds nothing twice
    assert roles.registered_roles() == ["gig_worker"]
    assert roles._PROBES["gig_worker"] is has_profile


def test_importing_the_gigs_router_registers_nothing() -> None:
    # A fresh interpreter: in this one create_app has long registered the roles.
    script = (
        "import app.gigs.router\n"
        "from app.identity.roles import registered_roles\n"
        "assert registered_roles() == [], registered_roles()\n"
        "from app.main import register_roles\n"
        "register_roles()\n"
        "assert registered_roles() == ['gig_worker'], registered_roles()\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
