"""Settings accept the usual URL forms and stop start-up with the variable's name."""

from __future__ import annotations

import pytest

from app.core.config import (
    DatabaseSettings,
    Settings,
    SettingsError,
    load_settings,
    normalise_database_url,
)
from app.core.db import one_of, resolve_database_url


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("postgresql://u:p@db:5433/jobs", "postgresql+asyncpg://u:p@db:5433/jobs"),
        ("postgres://u:p@db/jobs", "postgresql+asyncpg://u:p@db/jobs"),
        ("postgresql+asyncpg://u@db/jobs", "postgresql+asyncpg://u@db/jobs"),
        ("postgresql://u@db/jobs?sslmode=require", "postgresql+asyncpg://u@db/jobs?ssl=require"),
    ],
)
def test_database_url_forms(raw: str, expected: str) -> None:
    assert normalise_database_url(raw) == expected


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "mysql://u@h/db"),
        ("DATABASE_URL", "not a url"),
        ("DATABASE_POOL_SIZE", "x"),
    ],
)
def test_invalid_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert name in str(info.value)


def test_nested_sections_read_prefixed_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WECHAT_API_BASE", "http://127.0.0.1:9")
    monkeypatch.setenv("WECHAT_APPID", "wx123")
    monkeypatch.setenv("SECURITY_ACCESS_TOKEN_MINUTES", "5")
    settings = load_settings()
    assert settings.wechat.api_base == "http://127.0.0.1:9"
    assert settings.wechat.appid == "wx123"
    assert settings.security.access_token_minutes == 5
    assert not settings.wechat_demo_mode


def test_production_refuses_development_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert "SECURITY_JWT_SECRET" in str(info.value)


def test_the_command_line_uses_database_url_when_set() -> None:
    """`resolve_database_url` (app.core.db, shared by `python -m app` and `create-staff`)."""
    settings = Settings(database=DatabaseSettings(url="postgresql://u@db/jobs"))
    assert resolve_database_url(settings) == ("postgresql+asyncpg://u@db/jobs", None)


def test_check_constraint_text_lists_the_codes() -> None:
    assert one_of("status", ("open", "closed")) == "status IN ('open', 'closed')"
