"""The Docker build context, image and compose file carry what a deployment needs (issue 10)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    return loaded


def test_dockerignore_keeps_local_state_out_of_the_build_context() -> None:
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".venv", "var", ".git", "**/__pycache__", ".pytest_cache", "tests", ".env"} <= ignored


def test_the_image_creates_the_upload_directory_for_the_app_user() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "mkdir -p /srv/var/files && chown -R app:app /srv/var" in dockerfile
    assert "STORAGE_ROOT=/srv/var/files" in dockerfile
    assert dockerfile.index("chown -R app:app /srv/var") < dockerfile.index("USER 10001")
    assert "DEMO_SEED=true" not in dockerfile


def test_compose_restarts_services_and_passes_the_wechat_and_proxy_settings() -> None:
    services = _compose()["services"]
    assert all(service.get("restart") == "unless-stopped" for service in services.values())
    api = services["api"]["environment"]
    for name in ("WECHAT_TOKEN", "WECHAT_ENCODING_AES_KEY", "FORWARDED_ALLOW_IPS"):
        assert api[name] == f"${{{name}:-}}"
    for name in ("WECHAT_APPID", "WECHAT_SECRET", "SECURITY_JWT_SECRET"):
        assert api[name].startswith(f"${{{name}:?")
    assert api["ENVIRONMENT"] == "production" and "DEMO_SEED" not in api
    assert "files:/srv/var/files" in services["api"]["volumes"]
