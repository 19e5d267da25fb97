"""Tokens, field encryption, keyed hashes and password hashing.

* Access tokens are JWTs signed with HS256 (the algorithm is pinned on decode).
* Refresh tokens are opaque random strings; only their SHA-256 is stored.
* Personal fields (ID numbers, phones, session keys) are encrypted with AES-256-GCM under a key id,
  so keys can rotate: ``v1.<kid>.<base64url(nonce || ciphertext)>``. Lookups use an HMAC.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.core.config import SecuritySettings, parse_field_keys

JWT_ALGORITHM = "HS256"
JWT_ISSUER = "dongsheng-jobs"
JWT_AUDIENCE = "dongsheng-jobs-api"

SubjectKind = Literal["user", "staff"]


@dataclass(frozen=True)
class AccessClaims:
    subject_id: uuid.UUID
    kind: SubjectKind
    roles: tuple[str, ...]
    expires_at: datetime


class InvalidToken(Exception):
    """The bearer token is malformed, expired or signed with another key."""


VERIFIED_TOKENS_KEPT = 20_000  # ≈ 4 MB: the tokens of the people active in the last minutes


@dataclass
class TokenService:
    secret: str
    ttl: timedelta
    # Tokens whose signature and claims were verified, by their text: the signature check is a
    # good part of a lean read's CPU, and a phone sends the same token for its whole life. The
    # time rules are applied again on every use; an invalid token is never kept.
    _verified: OrderedDict[str, tuple[dict[str, Any], AccessClaims]] = field(
        default_factory=OrderedDict, init=False, repr=False, compare=False
    )

    def issue(
        self, subject_id: uuid.UUID, kind: SubjectKind, roles: tuple[str, ...], now: datetime
    ) -> str:
        """A token issued at ``now`` (``iat``) that expires ``ttl`` later (``exp``)."""
        claims = {
            "sub": str(subject_id),
            "typ": kind,
            "roles": list(roles),
            "iat": int(now.timestamp()),
            "exp": int((now + self.ttl).timestamp()),
            "iss": JWT_ISSUER,
            "aud": JWT_AUDIENCE,
            "jti": secrets.token_hex(8),
        }
        return jwt.encode(claims, self.secret, algorithm=JWT_ALGORITHM)

    def decode(self, token: str, now: datetime) -> AccessClaims:
        """The claims of a genuine token that is valid at ``now``; ``InvalidToken`` otherwise.

        PyJWT would judge ``exp``/``iat``/``nbf`` by the system clock, so those checks are made
        here against ``now`` (the injected clock), with PyJWT's rules and no leeway.
        """
        known = self._verified.get(token)
        if known is not None:
            _check_times(known[0], now.timestamp())
            self._verified.move_to_end(token)
            return known[1]
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=[JWT_ALGORITHM],
                audience=JWT_AUDIENCE,
                issuer=JWT_ISSUER,
                options={
                    "require": ["exp", "sub", "typ", "iat"],
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                },
            )
            _check_times(claims, now.timestamp())
            kind = claims["typ"]
            if kind not in ("user", "staff"):
                raise InvalidToken("unknown subject kind")
            verified = AccessClaims(
                subject_id=uuid.UUID(claims["sub"]),
                kind=kind,
                roles=tuple(str(r) for r in claims.get("roles", [])),
                expires_at=datetime.fromtimestamp(claims["exp"], UTC),
            )
        except (jwt.PyJWTError, ValueError, KeyError, TypeError) as exc:
            raise InvalidToken(str(exc)) from None
        self._verified[token] = (claims, verified)
        if len(self._verified) > VERIFIED_TOKENS_KEPT:
            self._verified.popitem(last=False)
        return verified


def _check_times(claims: dict[str, Any], now: float) -> None:
    """PyJWT's time rules at ``now``: expired when ``exp <= now``; not yet valid when ``iat`` or
    ``nbf`` lies after ``now``."""
    if int(claims["exp"]) <= now:
        raise InvalidToken("Signature has expired")
    if int(claims["iat"]) > now:
        raise InvalidToken("The token is not yet valid (iat)")
    if "nbf" in claims and int(claims["nbf"]) > now:
        raise InvalidToken("The token is not yet valid (nbf)")


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class FieldCipher:
    """AES-256-GCM with key ids; the first key encrypts, every key decrypts."""

    keys: dict[str, bytes]
    current: str
    _aead: dict[str, AESGCM] = field(default_factory=dict, repr=False)

    @classmethod
    def from_spec(cls, spec: str) -> FieldCipher:
        keys = parse_field_keys(spec)
        return cls(keys=keys, current=next(iter(keys)))

    def _cipher(self, kid: str) -> AESGCM:
        if kid not in self._aead:
            self._aead[kid] = AESGCM(self.keys[kid])
        return self._aead[kid]

    def encrypt(self, plaintext: str, *, context: str) -> str:
        nonce = os.urandom(12)
        sealed = self._cipher(self.current).encrypt(nonce, plaintext.encode(), context.encode())
        return f"v1.{self.current}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str, *, context: str) -> str:
        version, kid, payload = token.split(".", 2)
        if version != "v1" or kid not in self.keys:
            raise ValueError("unknown field encryption key")
        raw = base64.urlsafe_b64decode(payload.encode())
        return self._cipher(kid).decrypt(raw[:12], raw[12:], context.encode()).decode()

    def seal_bytes(self, data: bytes, *, context: str) -> bytes:
        """``encrypt`` for bytes (an uploaded file): ``v1.<kid>.`` + nonce + ciphertext."""
        nonce = os.urandom(12)
        sealed = self._cipher(self.current).encrypt(nonce, data, context.encode())
        return f"v1.{self.current}.".encode() + nonce + sealed

    def open_bytes(self, token: bytes, *, context: str) -> bytes:
        version, kid, raw = token.split(b".", 2)
        if version != b"v1" or kid.decode() not in self.keys:
            raise ValueError("unknown field encryption key")
        return self._cipher(kid.decode()).decrypt(raw[:12], raw[12:], context.encode())


@dataclass
class KeyedHasher:
    key: bytes

    def digest(self, value: str, *, purpose: str) -> str:
        return hmac.new(self.key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


_password_hasher = PasswordHasher()  # argon2id with the library's current recommended costs


def hash_password(password: str) -> str:
    return _password_hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _password_hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash of a random password, verified against when the username is unknown, so that response
# time does not reveal which usernames exist.
DUMMY_PASSWORD_HASH = _password_hasher.hash(secrets.token_hex(16))


@dataclass
class Security:
    tokens: TokenService
    cipher: FieldCipher
    hasher: KeyedHasher
    refresh_ttl: timedelta

    @classmethod
    def from_settings(cls, settings: SecuritySettings) -> Security:
        return cls(
            tokens=TokenService(
                settings.jwt_secret.get_secret_value(),
                timedelta(minutes=settings.access_token_minutes),
            ),
            cipher=FieldCipher.from_spec(settings.field_keys.get_secret_value()),
            hasher=KeyedHasher(settings.hash_key.get_secret_value().encode()),
            refresh_ttl=timedelta(days=settings.refresh_token_days),
        )


def constant_time_equals(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


__all__: list[Any] = [
    "AccessClaims",
    "FieldCipher",
    "InvalidToken",
    "KeyedHasher",
    "Security",
    "TokenService",
    "hash_password",
    "verify_password",
]
