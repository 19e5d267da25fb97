"""Settings: one pydantic-settings class with nested sections, read from the environment and `.env`.

Nested sections map to prefixed variables: ``database.url`` is ``DATABASE_URL``, ``wechat.api_base``
is ``WECHAT_API_BASE`` (``env_nested_max_split=1`` splits only at the first underscore).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

_ASYNC_DRIVER = "postgresql+asyncpg"
_ACCEPTED_SCHEMES = {"postgres", "postgresql", "postgresql+asyncpg", "postgresql+psycopg"}


def normalise_database_url(raw: str) -> str:
    """Accept postgresql://, postgres:// and postgresql+asyncpg://; return the asyncpg form."""
    try:
        url = make_url(raw.strip())
    except ArgumentError as exc:
        raise ValueError(f"not a database URL: {exc}") from None
    if url.drivername not in _ACCEPTED_SCHEMES:
        raise ValueError(
            f"unsupported scheme {url.drivername!r}; use postgresql://user:pass@host:port/db"
        )
    if not url.database:
        raise ValueError("the URL names no database")
    # sslmode is libpq's spelling; asyncpg calls it ssl.
    query = dict(url.query)
    if "sslmode" in query:
        query["ssl"] = query.pop("sslmode")
    return url.set(drivername=_ASYNC_DRIVER, query=query).render_as_string(hide_password=False)


class DatabaseSettings(BaseModel):
    url: str | None = Field(
        default=None, description="PostgreSQL URL; unset starts an embedded PostgreSQL under var/"
    )
    pool_size: int = Field(default=10, ge=1, le=200)
    max_overflow: int = Field(default=10, ge=0, le=200)
    pool_timeout: float = Field(default=10.0, gt=0)
    statement_timeout_ms: int = Field(default=15_000, ge=0)
    echo: bool = False

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return normalise_database_url(value)


class EmbeddedSettings(BaseModel):
    """The embedded PostgreSQL (pgserver) used when DATABASE_URL is unset."""

    dir: Path = Field(
        default=Path("var/pgdata"), description="data directory of the embedded server"
    )
    database: str = "dongsheng_jobs"


class WeChatSettings(BaseModel):
    appid: str = Field(default="", description="mini-program AppID; empty runs demo mode")
    secret: SecretStr = SecretStr("")
    api_base: str = "https://api.weixin.qq.com"
    # Message push (消息推送) configuration from the mini-program console.
    token: SecretStr = SecretStr("")
    encoding_aes_key: SecretStr = SecretStr("")
    timeout_seconds: float = Field(default=5.0, gt=0)
    retries: int = Field(default=2, ge=0, le=5)
    env_version: Literal["release", "trial", "develop"] = "release"


class SecuritySettings(BaseModel):
    jwt_secret: SecretStr = SecretStr("dev-only-jwt-secret-change-me-0123456789abcdef")
    access_token_minutes: int = Field(default=30, ge=1, le=24 * 60)
    refresh_token_days: int = Field(default=30, ge=1, le=365)
    # Field encryption keys: "kid:base64key,kid2:base64key"; the first one encrypts new values.
    field_keys: SecretStr = SecretStr("k1:ZGV2LW9ubHktZmllbGQta2V5LTMyLWJ5dGVzLSEhISE=")
    hash_key: SecretStr = SecretStr("dev-only-keyed-hash-key-change-me")
    staff_max_failures: int = Field(default=5, ge=1)
    staff_lockout_minutes: int = Field(default=15, ge=1)
    # Failures on one username from this many addresses within the lockout window are an attack:
    # addresses without a recent successful login may then try once per interval (429), never
    # locked; an audit alert is written once per window.
    staff_attack_addresses: int = Field(default=3, ge=2)
    staff_attack_interval_seconds: int = Field(default=30, ge=1)


class StorageSettings(BaseModel):
    root: Path = Path("var/files")
    max_upload_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)


class RedisSettings(BaseModel):
    url: str | None = None


class HttpSettings(BaseModel):
    max_body_bytes: int = Field(default=12 * 1024 * 1024, ge=1024)
    cors_origins: list[str] = Field(default_factory=list)
    readiness_timeout_seconds: float = Field(default=2.0, gt=0)
    rate_limits_enabled: bool = True


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_nested_delimiter="_",
        env_nested_max_split=1,
        extra="ignore",
        case_sensitive=False,
    )

    environment: Literal["development", "test", "production"] = "development"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    demo_seed: bool = Field(
        default=True, description="load demo data on serve when the DB is empty"
    )
    var_dir: Path = Path("var")

    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    embedded: EmbeddedSettings = Field(default_factory=EmbeddedSettings)
    wechat: WeChatSettings = Field(default_factory=WeChatSettings)
    security: SecuritySettings = Field(default_factory=SecuritySettings)
    storage: StorageSettings = Field(default_factory=StorageSettings)
    redis: RedisSettings = Field(default_factory=RedisSettings)
    http: HttpSettings = Field(default_factory=HttpSettings)

    @model_validator(mode="after")
    def _no_dev_secrets_in_production(self) -> Settings:
        if self.environment != "production":
            return self
        defaults = SecuritySettings()
        for name in ("jwt_secret", "field_keys", "hash_key"):
            if getattr(self.security, name) == getattr(defaults, name):
                raise ValueError(f"SECURITY_{name.upper()} must be set in production")
        return self

    @property
    def wechat_demo_mode(self) -> bool:
        """No AppID configured: WeChat calls go to the in-process fake server."""
        return not self.wechat.appid


def _env_name(loc: tuple[int | str, ...]) -> str:
    return "_".join(str(part) for part in loc).upper()


class SettingsError(SystemExit):
    """Raised at start-up with a message that names the offending variable."""


def load_settings() -> Settings:
    """Read settings; invalid values stop start-up with a message naming the variable."""
    try:
        return Settings()
    except ValidationError as exc:
        lines = [f"  {_env_name(err['loc'])}: {err['msg']}" for err in exc.errors()]
        message = "Invalid settings (fix these environment variables or .env):\n" + "\n".join(lines)
        raise SettingsError(message) from None


@functools.cache
def get_settings() -> Settings:
    return load_settings()
