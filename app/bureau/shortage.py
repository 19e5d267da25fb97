"""The 急需紧缺职业（工种）目录: drafted by the shortage rule, reviewed and published by staff."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.bureau.errors import (
    CatalogueItemUnknown,
    CatalogueNotDraft,
    CatalogueNotFound,
    MonthInFuture,
    NoPublishedCatalogue,
)
from app.bureau.models import ShortageCatalogue
from app.bureau.periods import Month
from app.bureau.ports import PeopleLedger
from app.bureau.schemas import ShortageCatalogueRead, ShortageItem, ShortageRuleRead
from app.bureau.supply_demand import DEFAULT_RULE, ShortageRule, shortage_candidates
from app.identity.models import StaffAccount


def catalogue_read(catalogue: ShortageCatalogue) -> ShortageCatalogueRead:
    return ShortageCatalogueRead(
        id=catalogue.id,
        status=catalogue.status,
        month=str(Month.of(catalogue.month)),
        rule=ShortageRuleRead.model_validate(catalogue.rule),
        items=[ShortageItem.model_validate(item) for item in catalogue.items],
        created_at=catalogue.created_at,
        published_at=catalogue.published_at,
    )


async def _audit(
    session: AsyncSession, staff: StaffAccount, action: str, catalogue: ShortageCatalogue
) -> None:
    await audit.record(
        session,
        actor_kind="staff",
        actor_id=staff.id,
        action=action,
        subject_kind="shortage_catalogue",
        subject_id=catalogue.id,
        details={"codes": [item["code"] for item in catalogue.items]},
    )


async def create_draft(
    session: AsyncSession,
    staff: StaffAccount,
    ledger: PeopleLedger,
    month: Month,
    now: datetime,
    rule: ShortageRule = DEFAULT_RULE,
) -> ShortageCatalogueRead:
    if month > Month.containing(now):
        raise MonthInFuture()
    items = await shortage_candidates(session, ledger, month, now, rule)
    catalogue = ShortageCatalogue(
        status="draft",
        month=month.first_day,
        rule=rule.read().model_dump(),
        items=[item.model_dump() for item in items],
        created_by=staff.id,
    )
    session.add(catalogue)
    await session.flush()
    await session.refresh(catalogue)
    await _audit(session, staff, "bureau.shortage_drafted", catalogue)
    return catalogue_read(catalogue)


async def _draft_for_update(session: AsyncSession, catalogue_id: uuid.UUID) -> ShortageCatalogue:
    catalogue = await session.get(ShortageCatalogue, catalogue_id, with_for_update=True)
    if catalogue is None:
        raise CatalogueNotFound()
    if catalogue.status != "draft":
        raise CatalogueNotDraft()
    return catalogue


async def keep_items(
    session: AsyncSession, staff: StaffAccount, catalogue_id: uuid.UUID, codes: list[str]
) -> ShortageCatalogueRead:
    """Staff review: keep only ``codes`` (each must be in the draft), in the draft's order."""
    catalogue = await _draft_for_update(session, catalogue_id)
    drafted = {item["code"] for item in catalogue.items}
    unknown = sorted(set(codes) - drafted)
    if unknown:
        raise CatalogueItemUnknown(details={"codes": unknown})
    catalogue.items = [item for item in catalogue.items if item["code"] in set(codes)]
    await session.flush()
    await session.refresh(catalogue)
    await _audit(session, staff, "bureau.shortage_reviewed", catalogue)
    return catalogue_read(catalogue)


async def publish(
    session: AsyncSession, staff: StaffAccount, catalogue_id: uuid.UUID, now: datetime
) -> ShortageCatalogueRead:
    """Publish a draft; the catalogue published before it becomes ``superseded``."""
    catalogue = await _draft_for_update(session, catalogue_id)
    await session.execute(
        update(ShortageCatalogue)
        .where(ShortageCatalogue.status == "published")
        .values(status="superseded")
    )
    catalogue.status, catalogue.published_by, catalogue.published_at = "published", staff.id, now
    await session.flush()
    await session.refresh(catalogue)
    await _audit(session, staff, "bureau.shortage_published", catalogue)
    return catalogue_read(catalogue)


async def get_catalogue(session: AsyncSession, catalogue_id: uuid.UUID) -> ShortageCatalogueRead:
    catalogue = await session.get(ShortageCatalogue, catalogue_id)
    if catalogue is None:
        raise CatalogueNotFound()
    return catalogue_read(catalogue)


async def recent_catalogues(session: AsyncSession, limit: int = 20) -> list[ShortageCatalogueRead]:
    rows = await session.scalars(
        select(ShortageCatalogue).order_by(ShortageCatalogue.created_at.desc()).limit(limit)
    )
    return [catalogue_read(c) for c in rows]


async def published_catalogue(session: AsyncSession) -> ShortageCatalogueRead:
    catalogue = await session.scalar(
        select(ShortageCatalogue).where(ShortageCatalogue.status == "published")
    )
    if catalogue is None:
        raise NoPublishedCatalogue()
    return catalogue_read(catalogue)
