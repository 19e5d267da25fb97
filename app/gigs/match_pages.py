"""The pages of both match lists, from the ranked rows: contacts, reasons, list items.

Only the page's rows are decoded and explained (their skills and time windows travel as JSON
text and are parsed here); the score and components are the rows' own (app.gigs.matching).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from app.core.pagination import Page
from app.core.security import Security
from app.gigs import scoring, views
from app.gigs.matching import GigSide, Ranked, components, next_cursor
from app.gigs.reads import revealed_by
from app.gigs.schedule import availability_reason, local_pieces, windows_from_week
from app.gigs.schemas import (
    GigMatch,
    SkillRequirementRead,
    WorkerApplicationBrief,
    WorkerMatch,
    WorkerSkillRead,
)
from app.gigs.scoring import Pair, Pay, Requirement, Track, WorkerSkill


def _track(row: Any) -> Track:
    return Track(
        row.completed_count,
        row.cancelled_count,
        row.late_cancelled_count,
        row.rating_count,
        row.rating_sum,
    )


def worker_page(
    security: Security, side: GigSide, ranked: list[Ranked], limit: int
) -> Page[WorkerMatch]:
    """The poster's page: each worker with contact (masked unless revealed), reasons, skills."""
    head = side.head
    pay = Pay(head.pay_fen, head.pay_unit, head.minutes_per_day)
    items = [_worker_match(security, side, pay, r) for r in ranked[:limit]]
    return Page(items=items, next_cursor=next_cursor(ranked, limit))


@lru_cache(maxsize=4096)
def _skills(text: str) -> tuple[tuple[WorkerSkill, ...], tuple[WorkerSkillRead, ...]]:
    """A profile's skills (JSON text) as scoring and the answer read them; many workers share
    the same few combinations, so each is decoded once (the reads are never changed)."""
    skills = json.loads(text)
    return tuple(views.worker_skills(skills)), tuple(views.worker_skill_reads(skills))


def _worker_match(security: Security, side: GigSide, pay: Pay, ranked: Ranked) -> WorkerMatch:
    row = ranked.row
    skills, skill_reads = _skills(row.skills_json)
    pair = Pair(
        side.requirements,
        skills,
        row.distance_km,
        _track(row),
        pay,
        row.expected_pay_fen,
        row.expected_pay_unit,
        availability_reason(windows_from_week(row.week_windows), side.pieces),
    )
    shown = components(row)
    reasons = scoring.reasons(pair, shown["pay"], for_poster=True)
    applied = row.application_id is not None
    revealed = applied and revealed_by(row.application_origin, row.application_status)
    name, phone = views.contact_from(
        security, row.nickname, row.real_name_encrypted, row.phone_encrypted, revealed=revealed
    )
    return WorkerMatch(
        worker_id=row.user_id,
        name=name,
        phone=phone,
        contact_revealed=revealed,
        score=ranked.score,
        components=shown,
        reasons=reasons,
        reason_text="；".join(reasons),
        distance_km=round(row.distance_km, 2),
        skills=list(skill_reads),
        application=(
            WorkerApplicationBrief(
                id=row.application_id,
                origin=row.application_origin,
                status=row.application_status,
            )
            if applied
            else None
        ),
    )


@lru_cache(maxsize=1024)
def _requirements(
    text: str,
) -> tuple[tuple[Requirement, ...], tuple[SkillRequirementRead, ...]]:
    """A gig's required skills (JSON text) as scoring and the answer read them, decoded once."""
    required = json.loads(text)
    return tuple(views.requirements(required)), tuple(views.requirement_reads(required))


def gig_page(head: Any, ranked: list[Ranked], limit: int) -> Page[GigMatch]:
    """The worker's page: each gig as lists show it, with the score and reasons."""
    skills = views.worker_skills(head.skills)
    merged = windows_from_week(head.week_windows)
    items = []
    for r in ranked[:limit]:
        row = r.row
        pieces = local_pieces(row.work_dates, row.start_minute, row.end_minute)
        requirements, requirement_reads = _requirements(row.required_skills_json)
        pair = Pair(
            requirements,
            skills,
            row.distance_km,
            _track(row),
            Pay(row.pay_fen, row.pay_unit, row.minutes_per_day),
            head.expected_pay_fen,
            head.expected_pay_unit,
            availability_reason(merged, pieces),
        )
        shown = components(row)
        reasons = scoring.reasons(pair, shown["pay"], for_poster=False)
        items.append(
            GigMatch(
                gig=views.gig_list_item(row, row.distance_km, requirement_reads),
                score=r.score,
                components=shown,
                reasons=reasons,
                reason_text="；".join(reasons),
            )
        )
    return Page(items=items, next_cursor=next_cursor(ranked, limit))
