"""Offers for their holders (list, apply in one call, dismiss) and for staff (list, take-up)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.keyset import TIME_ID, created_key
from app.core.pagination import Page
from app.core.security import KeyedHasher
from app.employers.repository import member_clause
from app.identity.models import User
from app.policies.catalogue import load_catalogue
from app.policies.engine import Facts
from app.subsidies import service as subsidies
from app.subsidies.models import SubsidyApplication
from app.subsidies.schemas import ApplicantRef, SubsidyApplicationCreate
from app.subsidy_offers.errors import OfferClosed, OfferNotFound
from app.subsidy_offers.models import SubsidyOffer
from app.subsidy_offers.schemas import OfferStats, OfferTakeUp, SubsidyOfferApply, SubsidyOfferRead


def _title(code: str) -> str:
    return load_catalogue().get(code).title


def read(offer: SubsidyOffer) -> SubsidyOfferRead:
    return SubsidyOfferRead(
        id=offer.id,
        subject_kind=offer.subject_kind,
        employer_id=offer.employer_id,
        policy_code=offer.policy_code,
        policy_title=_title(offer.policy_code),
        period=offer.period,
        amount_fen=offer.amount_fen,
        engine_status=offer.engine_status,
        missing=offer.missing,
        status=offer.status,
        facts=offer.facts,
        application_id=offer.application_id,
        created_at=offer.created_at,
    )


async def _newest_first(
    session: AsyncSession, stmt: Select[SubsidyOffer], cursor: str | None, limit: int
) -> Page[SubsidyOfferRead]:
    after = TIME_ID.decode(cursor)
    if after is not None:
        stmt = stmt.where(tuple_(SubsidyOffer.created_at, SubsidyOffer.id) < after)
    stmt = stmt.order_by(SubsidyOffer.created_at.desc(), SubsidyOffer.id.desc()).limit(limit + 1)
    rows = list((await session.execute(stmt)).scalars())
    return TIME_ID.page(rows, limit, created_key, read)


def _holder(user_id: uuid.UUID) -> ColumnElement[bool]:
    """The person told, or any member of the unit an organisation offer is for."""
    return or_(
        SubsidyOffer.user_id == user_id,
        and_(
            SubsidyOffer.employer_id.is_not(None), member_clause(SubsidyOffer.employer_id, user_id)
        ),
    )


async def mine(
    session: AsyncSession, user: User, *, open_only: bool, cursor: str | None, limit: int
) -> Page[SubsidyOfferRead]:
    """The user's offers (and their units'), newest first."""
    stmt = select(SubsidyOffer).where(_holder(user.id))
    if open_only:
        stmt = stmt.where(SubsidyOffer.status == "offered")
    return await _newest_first(session, stmt, cursor, limit)


async def get(
    session: AsyncSession, user: User, offer_id: uuid.UUID, *, for_update: bool = False
) -> SubsidyOffer:
    """The offer (locked with ``for_update``); 404 for anyone who does not hold it."""
    stmt = select(SubsidyOffer).where(SubsidyOffer.id == offer_id, _holder(user.id))
    if for_update:
        stmt = stmt.with_for_update(of=SubsidyOffer)
    offer = (await session.execute(stmt)).scalar_one_or_none()
    if offer is None:
        raise OfferNotFound()
    return offer


async def apply(
    session: AsyncSession,
    hasher: KeyedHasher,
    user: User,
    offer_id: uuid.UUID,
    body: SubsidyOfferApply,
    now: datetime,
) -> SubsidyApplication:
    """Submit the offer's draft through the normal application flow (same checks, same engine)."""
    offer = await get(session, user, offer_id, for_update=True)
    if offer.status != "offered":
        raise OfferClosed()
    request = SubsidyApplicationCreate(
        policy_code=offer.policy_code,
        applicant=ApplicantRef(kind=offer.subject_kind, employer_id=offer.employer_id),
        period=offer.period,
        facts=Facts.model_validate(offer.facts),
        material_file_ids=body.material_file_ids,
        note=body.note,
    )
    application = await subsidies.submit(session, hasher, user, request, now)
    offer.status, offer.application_id, offer.decided_at = "applied", application.id, now
    await session.flush()
    return application


async def dismiss(
    session: AsyncSession, user: User, offer_id: uuid.UUID, now: datetime
) -> SubsidyOffer:
    offer = await get(session, user, offer_id, for_update=True)
    if offer.status != "offered":
        raise OfferClosed()
    offer.status, offer.decided_at = "dismissed", now
    await session.flush()
    return offer


async def staff_list(
    session: AsyncSession,
    *,
    policy_code: str | None,
    status: str | None,
    cursor: str | None,
    limit: int,
) -> Page[SubsidyOfferRead]:
    """Offers made, newest first."""
    stmt = select(SubsidyOffer)
    if policy_code is not None:
        stmt = stmt.where(SubsidyOffer.policy_code == policy_code)
    if status is not None:
        stmt = stmt.where(SubsidyOffer.status == status)
    return await _newest_first(session, stmt, cursor, limit)


def _take_up(code: str, title: str, offered: int, applied: int, dismissed: int) -> OfferTakeUp:
    return OfferTakeUp(
        policy_code=code,
        policy_title=title,
        offered=offered,
        applied=applied,
        dismissed=dismissed,
        waiting=offered - applied - dismissed,
        take_up_rate=round(applied / offered, 4) if offered else None,
    )


async def stats(session: AsyncSession, *, period: str | None) -> OfferStats:
    """Offers made and their take-up, by policy (one aggregate query)."""
    stmt = select(
        SubsidyOffer.policy_code,
        func.count(),
        func.count().filter(SubsidyOffer.status == "applied"),
        func.count().filter(SubsidyOffer.status == "dismissed"),
    ).group_by(SubsidyOffer.policy_code)
    if period is not None:
        stmt = stmt.where(SubsidyOffer.period == period)
    rows = (await session.execute(stmt.order_by(SubsidyOffer.policy_code))).all()
    by_policy = [_take_up(code, _title(code), o, a, d) for code, o, a, d in rows]
    total = _take_up(
        "*",
        "全部政策",
        sum(r.offered for r in by_policy),
        sum(r.applied for r in by_policy),
        sum(r.dismissed for r in by_policy),
    )
    return OfferStats(total=total, by_policy=by_policy)
