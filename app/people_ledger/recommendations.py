"""Live postings for a ledger person, through the job search the mini-program uses.

Tiers, first that finds anything wins: wanted occupation in the person's street or town; wanted
occupation anywhere; the person's street or town; newest postings (open to graduates for a
graduate). Every tier keeps the education filter (postings asking no more than the person has).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import Clock
from app.jobs.search_schemas import JobSearchParams
from app.jobs.search_service import search_jobs
from app.people_ledger.codes import GRADUATE
from app.people_ledger.errors import PersonNotFound
from app.people_ledger.repository import get_person
from app.people_ledger.schemas import Recommendations
from app.taxonomy.display import area_name, occupation_name


async def recommend(
    session: AsyncSession, clock: Clock, person_id: uuid.UUID, *, limit: int
) -> Recommendations:
    person = await get_person(session, person_id)
    if person is None:
        raise PersonNotFound()
    occupation, area = person.wanted_occupation_code, person.area_code
    common: dict[str, Any] = {"limit": limit, "education": person.education}
    tiers: list[dict[str, Any]] = []
    if occupation and area:
        tiers.append({"occupation": occupation, "area_code": area})
    if occupation:
        tiers.append({"occupation": occupation})
    if area:
        tiers.append({"area_code": area})
    tiers.append({"open_to_graduates": True} if GRADUATE in person.categories else {})
    for tier in tiers:
        page = await search_jobs(session, clock, JobSearchParams(**common, **tier))
        if page.items or tier is tiers[-1]:
            return Recommendations(basis=_basis(tier), items=page.items)
    raise AssertionError("unreachable")  # pragma: no cover


def _basis(tier: dict[str, Any]) -> str:
    parts = []
    if "occupation" in tier:
        parts.append(f"求职意向：{occupation_name(tier['occupation'])}")
    if "area_code" in tier:
        parts.append(f"镇街：{area_name(tier['area_code'])}")
    if tier.get("open_to_graduates"):
        parts.append("接受应届毕业生的最新岗位")
    return "；".join(parts) or "最新岗位"
