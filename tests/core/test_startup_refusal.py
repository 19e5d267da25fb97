"""Every command refuses unsafe production settings: exit 1, one line on stderr, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.config import SettingsError, get_settings
from app.main import create_app
from tests.core.test_production_settings import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parents[2]


def _run(tmp_path: Path, args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    base = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "VAR_DIR": str(tmp_path)}
    # An unreachable database: a command that got past the settings check would fail on it.
    base["DATABASE_URL"] = "postgresql://nobody@127.0.0.1:9/none"
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=tmp_path,  # no .env here
        env={**base, **PRODUCTION_ENV, **env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("args", "name", "value"),
    [
        (["serve"], "WECHAT_APPID", ""),
        (["serve"], "DEMO_SEED", "true"),
        (["serve"], "SECURITY_JWT_SECRET", "too-short"),
        (["migrate"], "WECHAT_SECRET", ""),
        (["migrate"], "SECURITY_FIELD_KEYS", "k1:%%%"),
        (["seed-demo"], "SECURITY_HASH_KEY", "dev-only-keyed-hash-key-change-me"),
        (["create-staff", "admin", "--password", "x" * 12], "WECHAT_APPID", ""),
    ],
)
def test_commands_refuse_with_one_line_naming_the_variable(
    tmp_path: Path, args: list[str], name: str, value: str
) -> None:
    result = _run(tmp_path, args, **{name: value})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"{name}:" in lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_malformed_field_keys_outside_production_give_one_line(tmp_path: Path) -> None:
    result = _run(tmp_path, ["migrate"], ENVIRONMENT="development", SECURITY_FIELD_KEYS="k1:abc")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert "SECURITY_FIELD_KEYS:" in result.stderr and "binascii" not in result.stderr


def test_seed_demo_refuses_outside_demo_mode(tmp_path: Path) -> None:
    result = _run(tmp_path, ["seed-demo"])  # valid production settings: not demo mode
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "demo mode" in result.stderr


def test_create_app_refuses_production_without_wechat(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("WECHAT_APPID", "")
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError, match="WECHAT_APPID"):
            create_app()
    finally:
        get_settings.cache_clear()
