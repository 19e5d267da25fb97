"""Production refuses demo mode, development secrets and malformed keys (issue 10)."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from app.core.config import Settings, SettingsError, ensure_startable, load_settings

STRONG = "s3cr3t-" + "x" * 40
FIELD_KEYS = "k2:" + base64.b64encode(b"\x07" * 32).decode()
PRODUCTION_ENV = {
    "ENVIRONMENT": "production",
    "WECHAT_APPID": "wx0123456789abcdef",
    "WECHAT_SECRET": "0123456789abcdef0123456789abcdef",
    "SECURITY_JWT_SECRET": STRONG,
    "SECURITY_HASH_KEY": STRONG + "-hash",
    "SECURITY_FIELD_KEYS": FIELD_KEYS,
    "DEMO_SEED": "false",
}


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv("DEMO_SEED", raising=False)
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def _refusal() -> str:
    with pytest.raises(SettingsError) as info:
        load_settings()
    message = str(info.value)
    assert "\n" not in message
    return message


def test_complete_production_settings_start(production: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert not settings.demo_mode and not settings.seeds_demo_data
    assert settings.trusted_proxies == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WECHAT_APPID", ""),
        ("WECHAT_APPID", "wxdemo000000000000"),
        ("WECHAT_SECRET", ""),
        ("WECHAT_SECRET", "demo0000secret0000demo0000secret"),
        ("WECHAT_SECRET", "short"),
        ("DEMO_SEED", "true"),
        ("SECURITY_JWT_SECRET", "x" * 31),
        ("SECURITY_JWT_SECRET", "dev-only-jwt-secret-change-me-0123456789abcdef"),
        ("SECURITY_HASH_KEY", "x" * 31),
        ("SECURITY_HASH_KEY", "dev-only-keyed-hash-key-change-me"),
        ("SECURITY_FIELD_KEYS", "k1:ZGV2LW9ubHktZmllbGQta2V5LTMyLWJ5dGVzLSEhISE="),
        ("SECURITY_FIELD_KEYS", f"{FIELD_KEYS},k1:ZGV2LW9ubHktZmllbGQta2V5LTMyLWJ5dGVzLSEhISE="),
        ("SECURITY_FIELD_KEYS", "k1:" + base64.b64encode(b"x" * 16).decode()),
        ("WECHAT_TOKEN", "dongshengdemopushtoken"),
        ("WECHAT_ENCODING_AES_KEY", "ZG9uZ3NoZW5nLWpvYnMtZGVtby1wdXNoLWFlcy1rZXk"),
        ("FORWARDED_ALLOW_IPS", "*"),
    ],
)
def test_production_refuses_with_one_line_naming_the_variable(
    production: pytest.MonkeyPatch, name: str, value: str
) -> None:
    production.setenv(name, value)
    message = _refusal()
    assert f"{name}:" in message
    assert value not in message or len(value) < 8  # secrets are never echoed


def test_production_refuses_the_defaults_all_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    message = _refusal()
    for name in ("WECHAT_APPID", "WECHAT_SECRET", "SECURITY_JWT_SECRET", "SECURITY_HASH_KEY"):
        assert f"{name}:" in message
    assert "SECURITY_FIELD_KEYS:" in message


@pytest.mark.parametrize(
    "spec",
    ["k1:not-base64!!", "k1:", "nokid", "k.1:" + FIELD_KEYS[3:], f"{FIELD_KEYS},{FIELD_KEYS}"],
)
def test_malformed_field_keys_give_one_clean_line_in_any_environment(
    monkeypatch: pytest.MonkeyPatch, spec: str
) -> None:
    monkeypatch.setenv("SECURITY_FIELD_KEYS", spec)
    message = _refusal()
    assert message.startswith("invalid settings") and "SECURITY_FIELD_KEYS:" in message
    assert "binascii" not in message and "Traceback" not in message


@pytest.mark.parametrize(
    ("environment", "appid", "demo_seed", "expected"),
    [
        ("development", "", None, True),
        ("test", "", None, True),
        ("production", "", None, False),
        ("development", "wx0123456789abcdef", None, False),
        ("development", "", False, False),
        ("test", "", True, True),
    ],
)
def test_demo_seed_defaults_to_demo_mode_only(
    environment: str, appid: str, demo_seed: bool | None, expected: bool
) -> None:
    values: dict[str, Any] = {"environment": environment}
    if demo_seed is not None:
        values["demo_seed"] = demo_seed
    # model_copy: production demo mode cannot be validated, yet must never seed either.
    settings = Settings.model_validate({"wechat": {"appid": appid}}).model_copy(update=values)
    assert settings.seeds_demo_data is expected


def test_field_keys_accept_both_base64_alphabets() -> None:
    raw = b"\xfb\xff" * 16
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        spec = "k9:" + encode(raw).decode()
        assert Settings.model_validate({"security": {"field_keys": spec}})


def test_demo_seed_needs_demo_mode_outside_production() -> None:
    with pytest.raises(ValueError, match="DEMO_SEED"):
        Settings.model_validate({"demo_seed": True, "wechat": {"appid": "wx0123456789abcdef"}})


def test_settings_copied_into_production_still_refuse_to_start() -> None:
    copied = Settings().model_copy(update={"environment": "production"})
    with pytest.raises(SettingsError, match="SECURITY_JWT_SECRET"):
        ensure_startable(copied)


@pytest.mark.parametrize(
    ("environment", "raw", "expected"),
    [
        ("development", None, ["127.0.0.1"]),
        ("test", None, ["127.0.0.1"]),
        ("production", None, []),
        ("production", "", []),
        ("production", "10.0.0.2, 172.16.0.0/12", ["10.0.0.2", "172.16.0.0/12"]),
    ],
)
def test_trusted_proxies_are_none_by_default_in_production(
    environment: str, raw: str | None, expected: list[str]
) -> None:
    settings = Settings().model_copy(
        update={"environment": environment, "forwarded_allow_ips": raw}
    )
    assert settings.trusted_proxies == expected


def test_forwarded_allow_ips_must_be_addresses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.1,proxy.example")
    assert "FORWARDED_ALLOW_IPS:" in _refusal()
