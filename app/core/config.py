"""Settings: one pydantic-settings class with nested sections, read from the environment and `.env`.

Nested sections map to prefixed variables: ``database.url`` is ``DATABASE_URL``, ``wechat.api_base``
is ``WECHAT_API_BASE`` (``env_nested_max_split=1`` splits only at the first underscore).
"""

from __future__ import annotations

import base64
import binascii
import functools
import ipaddress
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

_ASYNC_DRIVER = "postgresql+asyncpg"
# Secrets shorter than this are refused in production (HMAC and HS256 keys of 256 bits).
MIN_SECRET_BYTES = 32
_DEV_JWT_SECRET = "dev-only-jwt-secret-change-me-0123456789abcdef"
_DEV_FIELD_KEYS = "k1:ZGV2LW9ubHktZmllbGQta2V5LTMyLWJ5dGVzLSEhISE="
_DEV_HASH_KEY = "dev-only-keyed-hash-key-change-me"
# With proxy headers on, uvicorn's own default trusts only the local host.
_LOCAL_PROXY = "127.0.0.1"
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


_URLSAFE_TO_STANDARD = str.maketrans("-_", "+/")


def parse_field_keys(spec: str) -> dict[str, bytes]:
    """``kid:base64(32 bytes)[,kid2:…]`` as ``{kid: key}`` in order; the first key encrypts.

    Messages never repeat the key material.
    """
    keys: dict[str, bytes] = {}
    for position, part in enumerate(spec.split(","), start=1):
        kid, _, b64 = part.strip().partition(":")
        if not kid or "." in kid or not b64:
            raise ValueError(f"key {position}: expected kid:base64(32 bytes), kid without dots")
        try:
            # Standard or URL-safe alphabet; anything else is an error, not silently dropped.
            key = base64.b64decode(b64.translate(_URLSAFE_TO_STANDARD), validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(f"key {kid!r}: not valid base64") from None
        if len(key) != 32:
            raise ValueError(f"key {kid!r}: must decode to 32 bytes, got {len(key)}")
        if kid in keys:
            raise ValueError(f"key id {kid!r} appears twice")
        keys[kid] = key
    return keys


class DatabaseSettings(BaseModel):
    url: str | None = Field(
        default=None, description="PostgreSQL URL; unset starts an embedded PostgreSQL under var/"
    )
    # 20 kept and no overflow: the ceiling of 10 + 10, but a storm that keeps about ten requests
    # in their database step no longer closes an overflow connection at check-in and opens a
    # new one for the next (≈ 180 new connections in 2,300 logins: a backend start and a lost
    # statement cache each). Connections are opened on demand and kept.
    pool_size: int = Field(default=20, ge=1, le=200)
    max_overflow: int = Field(default=0, ge=0, le=200)
    pool_timeout: float = Field(default=10.0, gt=0)
    statement_timeout_ms: int = Field(default=15_000, ge=0)
    echo: bool = False
    read_url: str | None = Field(
        default=None,
        description="a read replica for public reads (app.core.read_routing); unset: the primary",
    )
    read_after_write_seconds: int = Field(
        default=10,
        ge=1,
        le=3600,
        description="a signed-in caller reads from the primary this long after a write",
    )
    pgbouncer: bool = Field(
        default=False,
        description="the URLs point at PgBouncer in transaction mode: no cached or named "
        "prepared statements, no statement_timeout startup parameter (set it on the role)",
    )

    @field_validator("url", "read_url")
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
    jwt_secret: SecretStr = SecretStr(_DEV_JWT_SECRET)
    access_token_minutes: int = Field(default=30, ge=1, le=24 * 60)
    refresh_token_days: int = Field(default=30, ge=1, le=365)
    # Field encryption keys: "kid:base64key,kid2:base64key"; the first one encrypts new values.
    field_keys: SecretStr = SecretStr(_DEV_FIELD_KEYS)
    hash_key: SecretStr = SecretStr(_DEV_HASH_KEY)
    staff_max_failures: int = Field(default=5, ge=1)
    staff_lockout_minutes: int = Field(default=15, ge=1)
    # Failures on one username from this many addresses within the lockout window are an attack:
    # addresses without a recent successful login may then try once per interval (429), never
    # locked; an audit alert is written once per window.
    staff_attack_addresses: int = Field(default=3, ge=2)
    staff_attack_interval_seconds: int = Field(default=30, ge=1)

    @field_validator("field_keys")
    @classmethod
    def _field_keys(cls, value: SecretStr) -> SecretStr:
        parse_field_keys(value.get_secret_value())
        return value


class StorageSettings(BaseModel):
    root: Path = Path("var/files")
    max_upload_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    # Signed file links (app.core.file_links) stay valid at least this long.
    link_ttl_seconds: int = Field(default=3600, ge=60, le=24 * 3600)


class NotificationSettings(BaseModel):
    """Subscribe-message templates (订阅消息模板) the mini-program asks the user to accept, and how
    the worker delivers them (see docs/notifications.md).

    In demo mode, with both template settings empty, ``app.notifications.templates`` supplies demo
    templates for every kind so the demo delivers to the fake WeChat.
    """

    subscribe_templates: dict[str, str] = Field(
        default_factory=dict,
        description="template id per notification kind, e.g. "
        '{"application_status": "tmpl-id"}; empty until configured in the WeChat console',
    )
    template_keywords: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description="per notification kind, the template's keywords and the message field each "
        'one shows, e.g. {"application_status": {"thing1": "subject", "phrase2": "status", '
        '"time3": "time"}}; fields: subject status time place note amount name',
    )
    miniprogram_state: Literal["formal", "trial", "developer"] = Field(
        default="formal",
        description="which version of the mini-program a message opens: formal (released), "
        "trial (体验版) or developer (开发版)",
    )
    max_attempts: int = Field(
        default=6, ge=1, le=20, description="sends of one message before it is given up"
    )
    retry_base_seconds: int = Field(
        default=15, ge=1, le=3600, description="first retry delay; each next one is 4 times longer"
    )

    @field_validator("template_keywords")
    @classmethod
    def _keywords(cls, value: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        for kind, mapping in value.items():
            for key in mapping:
                if not re.fullmatch(r"[a-z_]+[0-9]+", key):
                    raise ValueError(f"{kind}: {key!r} is not a template keyword like thing1")
        return value


class ContactSettings(BaseModel):
    """The service desk's contact shown in the mini-program (`GET /api/v1/meta`)."""

    # Default: the Ordos area code with the national HR and social security hotline 12333;
    # set the real desk number before going live.
    hotline: str = Field(default="0477-12333", max_length=40)
    office_hours: str = Field(
        default="周一至周五 8:30-12:00，14:30-17:30（法定节假日除外）", max_length=200
    )


class RedisSettings(BaseModel):
    url: str | None = None


class HttpSettings(BaseModel):
    max_body_bytes: int = Field(default=12 * 1024 * 1024, ge=1024)
    cors_origins: list[str] = Field(default_factory=list)
    readiness_timeout_seconds: float = Field(default=2.0, gt=0)
    rate_limits_enabled: bool = True
    # Seconds a cached public answer (job detail) may be served; 0 turns the cache off.
    read_cache_seconds: float = Field(default=60.0, ge=0, le=3600)


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
    demo_seed: bool | None = Field(
        default=None,
        description="load demo data on serve when the DB is empty; unset: in demo mode only; "
        "true needs demo mode and is refused in production",
    )
    var_dir: Path = Path("var")
    forwarded_allow_ips: str | None = Field(
        default=None,
        description="comma-separated proxy addresses/networks whose X-Forwarded-For is believed; "
        "unset: 127.0.0.1, none in production; empty: none",
    )

    public_base_url: str | None = Field(
        default=None,
        description="scheme and host the clients reach the API at (https://api.example.cn); "
        "set: signed file links are absolute; unset: root-relative (/api/v1/files/…)",
    )

    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    embedded: EmbeddedSettings = Field(default_factory=EmbeddedSettings)
    wechat: WeChatSettings = Field(default_factory=WeChatSettings)
    security: SecuritySettings = Field(default_factory=SecuritySettings)
    storage: StorageSettings = Field(default_factory=StorageSettings)
    redis: RedisSettings = Field(default_factory=RedisSettings)
    notifications: NotificationSettings = Field(default_factory=NotificationSettings)
    contact: ContactSettings = Field(default_factory=ContactSettings)
    http: HttpSettings = Field(default_factory=HttpSettings)

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _proxies(cls, value: str | None) -> str | None:
        for part in (value or "").split(","):
            part = part.strip()
            if part and part != "*":
                try:
                    ipaddress.ip_network(part, strict=False)
                except ValueError:
                    raise ValueError(f"{part!r} is not an IP address or network") from None
        return value

    @field_validator("public_base_url")
    @classmethod
    def _public_base_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?", value):
            raise ValueError("expected http(s)://host[:port][/path], without query or fragment")
        return value

    @model_validator(mode="after")
    def _startable(self) -> Settings:
        problems = startup_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def wechat_demo_mode(self) -> bool:
        """No AppID configured: WeChat calls go to the in-process fake server."""
        return not self.wechat.appid

    @property
    def demo_mode(self) -> bool:
        """Demo routes, ``demo:<openid>`` codes and demo data: no AppID, never in production."""
        return self.wechat_demo_mode and self.environment != "production"

    @property
    def seeds_demo_data(self) -> bool:
        """Whether ``serve`` loads the demo data set into an empty database."""
        return self.demo_mode if self.demo_seed is None else self.demo_seed and self.demo_mode

    @property
    def trusted_proxies(self) -> list[str]:
        """Addresses whose ``X-Forwarded-For`` / ``X-Forwarded-Proto`` are believed."""
        raw = self.forwarded_allow_ips
        if raw is None:
            raw = "" if self.environment == "production" else _LOCAL_PROXY
        return [part.strip() for part in raw.split(",") if part.strip()]


# The fake WeChat's fixed demo credentials (app.integrations.wechat.fake uses them); production
# refuses them.
DEMO_APPID = "wxdemo000000000000"
DEMO_SECRET = "demo0000secret0000demo0000secret"
DEMO_PUSH_TOKEN = "dongshengdemopushtoken"
DEMO_ENCODING_AES_KEY = "ZG9uZ3NoZW5nLWpvYnMtZGVtby1wdXNoLWFlcy1rZXk"  # 43 chars, 32 bytes


def startup_problems(settings: Settings) -> list[str]:
    """Why these settings must not start the service, as ``VARIABLE: reason`` lines."""
    problems: list[str] = []
    if settings.demo_seed and not settings.demo_mode:
        problems.append("DEMO_SEED: demo data is loaded only in demo mode, never in production")
    if settings.environment == "production":
        problems += _production_problems(settings)
    return problems


def _production_problems(settings: Settings) -> list[str]:

    wechat, security = settings.wechat, settings.security
    problems: list[str] = []
    if not wechat.appid or wechat.appid == DEMO_APPID:
        problems.append("WECHAT_APPID: the mini-program AppID is required in production")
    checked = {
        "SECURITY_JWT_SECRET": (security.jwt_secret, {_DEV_JWT_SECRET}),
        "SECURITY_HASH_KEY": (security.hash_key, {_DEV_HASH_KEY}),
        "WECHAT_SECRET": (wechat.secret, {DEMO_SECRET}),
    }
    for name, (value, dev_values) in checked.items():
        problems += _secret_problems(name, value.get_secret_value(), dev_values)
    dev_keys = set(parse_field_keys(_DEV_FIELD_KEYS).values())
    if dev_keys & set(parse_field_keys(security.field_keys.get_secret_value()).values()):
        problems.append("SECURITY_FIELD_KEYS: holds the development key; generate new keys")
    if "*" in settings.trusted_proxies:
        problems.append("FORWARDED_ALLOW_IPS: '*' lets every client choose its own address")
    if wechat.token.get_secret_value() == DEMO_PUSH_TOKEN:
        problems.append("WECHAT_TOKEN: is the demo value; copy the token from the console")
    if wechat.encoding_aes_key.get_secret_value() == DEMO_ENCODING_AES_KEY:
        problems.append("WECHAT_ENCODING_AES_KEY: is the demo value; copy it from the console")
    return problems


def _secret_problems(name: str, value: str, dev_values: set[str]) -> list[str]:
    if not value:
        return [f"{name}: must be set in production"]
    if value in dev_values:
        return [f"{name}: is a development value; generate a new secret"]
    if len(value.encode()) < MIN_SECRET_BYTES:
        return [f"{name}: must be at least {MIN_SECRET_BYTES} bytes in production"]
    return []


def _env_name(loc: tuple[int | str, ...]) -> str:
    return "_".join(str(part) for part in loc).upper()


class SettingsError(SystemExit):
    """Raised at start-up with one line that names the offending variables (no traceback)."""


def _problem(err: Any) -> str:
    message = " ".join(str(err["msg"]).removeprefix("Value error, ").split())
    name = _env_name(err["loc"])
    return f"{name}: {message}" if name else message


def load_settings() -> Settings:
    """Read settings; invalid values stop start-up with one line naming the variables."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(_problem(err) for err in exc.errors())
        raise SettingsError(f"invalid settings (environment or .env): {problems}") from None


def ensure_startable(settings: Settings) -> None:
    """Stop with one line if ``settings`` (perhaps built or copied without validation) must not
    start the service."""
    problems = startup_problems(settings)
    if problems:
        raise SettingsError(f"invalid settings (environment or .env): {'; '.join(problems)}")


@functools.cache
def get_settings() -> Settings:
    return load_settings()
