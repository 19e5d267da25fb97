"""账号注销: erase or pseudonymise everything about the caller, keep what the law needs.

The user row stays as a tombstone (``deleted_at`` set, every personal field empty, the openid
replaced) so the records kept by law still point at one stable pseudonym: the user id. Logging in
again with the same WeChat account creates a new, empty account. Which data goes and which stays
is decided in ``app.privacy.personal_data``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.identity.errors import AccountHasLiveGigs, AccountHasOpenSubsidy, AccountOwnsEmployer
from app.identity.models import User
from app.privacy import personal_data as data


@dataclass(frozen=True)
class Erasure:
    """What the deletion did: rows touched per kind, and file bytes to remove after commit."""

    counts: dict[str, int] = field(default_factory=dict)
    storage_keys: list[str] = field(default_factory=list)


async def _refuse_blockers(session: AsyncSession, user: User) -> None:
    """Things that must be handed over or finished first (others depend on them)."""
    owned = await data.owned_employer_names(session, user.id)
    if owned:
        raise AccountOwnsEmployer(details={"employers": owned})
    if await data.open_subsidy_count(session, user.id):
        raise AccountHasOpenSubsidy()
    if await data.live_gig_count(session, user.id):
        raise AccountHasLiveGigs()


async def delete_account(session: AsyncSession, user: User, now: datetime) -> Erasure:
    """Erase the caller's personal data; a second call on a deleted account does nothing."""
    if user.deleted_at is not None:
        return Erasure()
    await _refuse_blockers(session, user)
    counts: dict[str, int] = {}
    counts |= await data.erase_identity_links(session, user.id)
    counts |= await data.erase_job_seeking(session, user.id)
    counts |= await data.erase_gigs(session, user.id)
    counts |= await data.erase_memberships(session, user.id, now)
    counts |= await data.release_bookings(session, user.id, now)
    counts |= await data.erase_subsidy_notes(session, user.id)
    keys, kept_files = await data.erase_files(session, user.id)
    counts |= {"files_deleted": len(keys), "files_kept": kept_files}
    await data.tombstone_user(session, user, now)
    await audit.record(
        session,
        actor_kind="user",
        actor_id=user.id,
        action="account.deleted",
        subject_kind="user",
        subject_id=user.id,
        details={"counts": {k: v for k, v in counts.items() if v}},
    )
    return Erasure(counts=counts, storage_keys=keys)
