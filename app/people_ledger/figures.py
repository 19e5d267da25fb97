"""The ledger's figures: counts by category and status, and the 帮扶就业率 (clause 10).

帮扶就业率 for year Y (computed, never typed):

* denominator — ledger people in the category 离校未就业高校毕业生 whose ledger year is Y
  (the year of 纳入台账日期, ``registered_on``);
* numerator — those of them whose status is 已就业 (``employed``), or who have a hire recorded on
  the platform (an ``employment_event`` of the mini-program account with the same ID-number hash)
  starting on or after the day they entered the ledger;
* rate — numerator / denominator rounded half-up to four places (0.9000 = 90 %); ``None`` when
  the denominator is 0. The figure is live: it is "as of now", the reports snapshot it.

``assistance_employment_rate(session, year)`` is what the bureau's targets call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications.models import EmploymentEvent
from app.identity.models import User
from app.people_ledger.codes import CATEGORY_LABELS, EMPLOYED, GRADUATE, STATUS_LABELS
from app.people_ledger.models import LedgerPerson

_PLACES = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class RateFigures:
    year: int
    graduates: int
    employed: int

    @property
    def rate(self) -> Decimal | None:
        if not self.graduates:
            return None
        return (Decimal(self.employed) / Decimal(self.graduates)).quantize(_PLACES, ROUND_HALF_UP)


def in_year(year: int) -> ColumnElement[bool]:
    return and_(
        LedgerPerson.registered_on >= date(year, 1, 1),
        LedgerPerson.registered_on < date(year + 1, 1, 1),
    )


def has_category(category: str) -> ColumnElement[bool]:
    return LedgerPerson.categories.contains([category])


def hired_on_platform() -> ColumnElement[bool]:
    """A hire through the platform of the person's own account, since they entered the ledger."""
    return exists(
        select(EmploymentEvent.id)
        .join(User, User.id == EmploymentEvent.user_id)
        .where(
            User.id_number_hash == LedgerPerson.id_number_hash,
            EmploymentEvent.start_date >= LedgerPerson.registered_on,
        )
    )


async def assistance_employment_figures(session: AsyncSession, year: int) -> RateFigures:
    employed = or_(LedgerPerson.status == EMPLOYED, hired_on_platform())
    stmt = select(func.count(), func.count().filter(employed)).where(
        has_category(GRADUATE), in_year(year)
    )
    graduates, hired = (await session.execute(stmt)).one()
    return RateFigures(year=year, graduates=int(graduates), employed=int(hired))


async def assistance_employment_rate(session: AsyncSession, year: int) -> Decimal | None:
    """帮扶就业率 of ``year`` (0.9000 = 90 %), or None when the year has no ledger graduates."""
    return (await assistance_employment_figures(session, year)).rate


async def counts(session: AsyncSession, year: int) -> tuple[int, dict[str, int], dict[str, int]]:
    """(people of the ledger year, by category, by status); every code present, zeros included."""
    total = await session.scalar(select(func.count()).where(in_year(year))) or 0
    category = func.unnest(LedgerPerson.categories).label("category")
    by_category = dict.fromkeys(CATEGORY_LABELS, 0)
    rows = await session.execute(
        select(category, func.count()).where(in_year(year)).group_by(category)
    )
    by_category.update({code: int(n) for code, n in rows})
    by_status = dict.fromkeys(STATUS_LABELS, 0)
    rows = await session.execute(
        select(LedgerPerson.status, func.count()).where(in_year(year)).group_by(LedgerPerson.status)
    )
    by_status.update({code: int(n) for code, n in rows})
    return int(total), by_category, by_status
