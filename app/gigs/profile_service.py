"""A worker's gig profile: validated against the skill taxonomy and flattened for matching."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.dialects.postgresql import Range
from sqlalchemy.ext.asyncio import AsyncSession

from app.gigs import errors, repository
from app.gigs.models import GigWorkerProfile
from app.gigs.schedule import merge_windows, parse_hhmm, week_spans, windows_mask
from app.gigs.schemas import AvailabilityWindow, GigProfileUpdate, WorkerSkillIn
from app.identity.errors import PhoneRequired
from app.identity.models import User
from app.taxonomy import SkillLevel, areas_by_code, skills_by_code


def _skills(items: list[WorkerSkillIn]) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    """(skills as stored, their codes, the codes the worker holds a certificate for)."""
    stored: list[dict[str, Any]] = []
    certified: list[str] = []
    for item in items:
        skill = skills_by_code().get(item.code)
        if skill is None:
            raise errors.InvalidSkill(details={"skill": item.code})
        foreign = [c for c in item.certificates if c not in skill.certificates]
        if foreign:
            raise errors.InvalidSkill(
                f"证书与技能“{skill.name}”不对应",
                details={"skill": item.code, "certificates": foreign},
            )
        certs = sorted(set(item.certificates))
        stored.append({"code": item.code, "level": item.level, "certificates": certs})
        if certs:
            certified.append(item.code)
    return stored, [s["code"] for s in stored], certified


def _ranks(stored: list[dict[str, Any]]) -> list[int]:
    return [SkillLevel(s["level"]).rank for s in stored]


def _windows(items: list[AvailabilityWindow]) -> list[dict[str, Any]]:
    ordered = sorted(items, key=lambda w: (w.weekday, parse_hhmm(w.start)))
    return [{"weekday": w.weekday, "start": w.start, "end": w.end} for w in ordered]


def check_area(area_code: str | None) -> None:
    if area_code is not None and area_code not in areas_by_code():
        raise errors.InvalidArea(details={"area_code": area_code})


def profile_values(body: GigProfileUpdate, today: date) -> dict[str, Any]:
    """The columns of a profile from its body (raises on unknown skills or areas)."""
    skills, codes, certified = _skills(body.skills)
    check_area(body.area_code)
    windows = _windows(body.availability)
    triples = [(w["weekday"], parse_hhmm(w["start"]), parse_hhmm(w["end"])) for w in windows]
    return {
        "skills": skills,
        "skill_codes": codes,
        "skill_ranks": _ranks(skills),
        "certified_skill_codes": certified,
        "availability": windows,
        "weekday_mask": windows_mask(triples),
        "week_windows": [Range(a, b) for a, b in week_spans(merge_windows(triples))],
        # Past days off matter to nobody; keeping them would only grow the row.
        "dates_off": sorted({d for d in body.dates_off if d >= today}),
        "home_lat": body.home_lat,
        "home_lng": body.home_lng,
        "area_code": body.area_code,
        "travel_radius_km": body.travel_radius_km,
        "expected_pay_fen": body.expected_pay_fen,
        "expected_pay_unit": body.expected_pay_unit,
        "accepts_same_day": body.accepts_same_day,
    }


async def put_profile(
    session: AsyncSession, user: User, body: GigProfileUpdate, today: date
) -> GigWorkerProfile:
    """Create or replace the profile; a bound phone is required (posters must reach the worker)."""
    if user.phone_hash is None:
        raise PhoneRequired()
    return await repository.upsert_profile(session, user.id, profile_values(body, today))


async def get_profile(session: AsyncSession, user_id: uuid.UUID) -> GigWorkerProfile:
    profile = await repository.get_profile(session, user_id)
    if profile is None:
        raise errors.ProfileNotFound()
    return profile
