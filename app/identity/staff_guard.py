"""Staff login guard: lockout per (username, client address), slowdown under a spread attack.

* N wrong passwords from one address lock that username *for that address* (423) for the
  lockout window; the owner at another address still logs in.
* Failures on one username from several addresses within the window are an attack: addresses
  that have not logged into that username successfully within ``RECOGNISED_FOR`` may then try
  once per interval across the whole username (429 with ``Retry-After``) — a slowdown, never a
  lock. An audit alert (``staff.login_attack``) and a warning log line are written once per window.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.core.config import SecuritySettings
from app.identity import repository
from app.identity.errors import StaffLocked, StaffLoginThrottled
from app.identity.models import StaffLoginSource

logger = logging.getLogger(__name__)

RECOGNISED_FOR = timedelta(days=30)
ATTACK_ACTION = "staff.login_attack"


def _window(settings: SecuritySettings) -> timedelta:
    return timedelta(minutes=settings.staff_lockout_minutes)


def _seconds_until(moment: datetime, now: datetime) -> int:
    return int((moment - now).total_seconds()) + 1


def _recognised(source: StaffLoginSource, now: datetime) -> bool:
    return source.last_success_at is not None and source.last_success_at > now - RECOGNISED_FOR


async def admit(
    session: AsyncSession,
    settings: SecuritySettings,
    username: str,
    client: str,
    now: datetime,
) -> StaffLoginSource:
    """The (username, address) row, locked; refuse a locked pair or an unrecognised address
    while the username is under a spread attack."""
    source = await repository.staff_login_source_for_update(session, username.lower(), client)
    if source.locked_until is not None and source.locked_until > now:
        raise StaffLocked(headers={"Retry-After": str(_seconds_until(source.locked_until, now))})
    if _recognised(source, now):
        return source
    since = now - _window(settings)
    spread = await repository.staff_failure_spread(session, source.username, since)
    if spread.addresses >= settings.staff_attack_addresses and spread.last_failed_at is not None:
        next_try = spread.last_failed_at + timedelta(seconds=settings.staff_attack_interval_seconds)
        if next_try > now:
            raise StaffLoginThrottled(retry_after=_seconds_until(next_try, now))
    return source


async def record_failure(
    session: AsyncSession,
    settings: SecuritySettings,
    source: StaffLoginSource,
    now: datetime,
) -> bool:
    """Count a wrong password from this address; True when it now locks the pair."""
    window = _window(settings)
    if source.last_failed_at is None or source.last_failed_at <= now - window:
        source.failures = 0
    source.failures += 1
    source.last_failed_at = now
    locked = source.failures >= settings.staff_max_failures
    if locked:
        source.locked_until = now + window
        source.failures = 0
        await audit.record(
            session,
            actor_kind="system",
            actor_id=None,
            action="staff.locked",
            subject_kind="staff_username",
            subject_id=source.username,
            details={
                "client_address": source.client_address,
                "minutes": settings.staff_lockout_minutes,
            },
        )
    await session.flush()
    await _alert_if_spread(session, settings, source.username, now)
    return locked


async def _alert_if_spread(
    session: AsyncSession, settings: SecuritySettings, username: str, now: datetime
) -> None:
    since = now - _window(settings)
    spread = await repository.staff_failure_spread(session, username, since)
    if spread.addresses < settings.staff_attack_addresses:
        return
    if await repository.audit_exists_since(session, ATTACK_ACTION, username, since):
        return
    logger.warning(
        "staff login attack suspected: username=%s addresses=%d failures=%d",
        username,
        spread.addresses,
        spread.failures,
    )
    await audit.record(
        session,
        actor_kind="system",
        actor_id=None,
        action=ATTACK_ACTION,
        subject_kind="staff_username",
        subject_id=username,
        details={"addresses": spread.addresses, "failures": spread.failures},
    )


async def record_success(session: AsyncSession, source: StaffLoginSource, now: datetime) -> None:
    """A right password: this address is recognised from now on and its failures forgotten."""
    source.failures = 0
    source.locked_until = None
    source.last_success_at = now
    await session.flush()
