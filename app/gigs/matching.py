"""Ranked matching both ways: SQL shortlists (app.gigs.matching_repository), Python scores.

Candidates arrive in batches, best ``sql_score`` first. Python scores each one (the documented
score of app.gigs.scoring, the source of truth), checks the time windows and keeps the best
``limit + 1``. Once the next row's ``sql_score`` is below the last result kept, no later row can
enter the page and reading stops: usually after the first batch. Pages continue after a cursor
holding the last (score, id); the next page's SQL starts just below that score.
"""

from __future__ import annotations

import uuid
from bisect import insort
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import local_date
from app.core.keyset import ID, NUMBER, keyset
from app.gigs import booking_repository, errors, repository
from app.gigs import matching_repository as candidates
from app.gigs.matching_repository import EPSILON
from app.gigs.schedule import (
    Segment,
    availability_reason,
    build_occurrences,
    covers,
    merge_windows,
    occurrence_segments,
    parse_hhmm,
)
from app.gigs.scoring import (
    MatchScore,
    Pair,
    Pay,
    Track,
    WorkerSkill,
    add_reasons,
    score_pair,
)
from app.gigs.views import requirements, worker_skills

BATCH = 32

# Best first: (score, worker or gig id); the id breaks ties in ascending text order.
SCORE_ID = keyset(NUMBER, ID)


@dataclass(slots=True)
class Ranked:
    match: MatchScore
    sort_id: str
    pair: Pair
    merged: dict[int, list[tuple[int, int]]]
    pieces: Sequence[Segment]
    row: Any

    @property
    def key(self) -> tuple[float, str]:
        return (-self.match.score, self.sort_id)


def parse_after(cursor: str | None) -> tuple[float, str] | None:
    after = SCORE_ID.decode(cursor)
    return (after[0], str(after[1])) if after is not None else None


def next_cursor(best: Sequence[Ranked], limit: int) -> str | None:
    _, cursor = SCORE_ID.cut(best, limit, key=lambda r: (r.match.score, uuid.UUID(r.sort_id)))
    return cursor


def _is_after(ranked: Ranked, after: tuple[float, str] | None) -> bool:
    if after is None:
        return True
    score, ident = after
    return ranked.match.score < score or (ranked.match.score == score and ranked.sort_id > ident)


async def top(
    session: AsyncSession,
    query: tuple[Any, dict[str, Any]],
    evaluate: Callable[[Any], Ranked | None],
    limit: int,
    after: tuple[float, str] | None,
    *,
    custom_plan: bool = True,
) -> list[Ranked]:
    """The best ``limit + 1`` results after ``after`` (one extra says whether a page follows).

    ``custom_plan`` plans the statement for its values each time (see
    ``matching_repository.plan_each_time``); a statement whose every plan is the same needs
    no such setting, which saves a round trip.
    """
    statement, params = query
    below = after[0] if after else None
    best: list[Ranked] = []
    size = max(BATCH, (limit + 1) * 3 // 2)
    offset = 0
    if custom_plan:
        await candidates.plan_each_time(session)
    while True:
        rows = await candidates.candidates(session, statement, params, below, size, offset)
        for row in rows:
            if len(best) > limit and row.sql_score + EPSILON < best[-1].match.score:
                return best
            ranked = evaluate(row)
            if ranked is None or not _is_after(ranked, after):
                continue
            insort(best, ranked, key=lambda r: r.key)
            del best[limit + 1 :]
        if len(rows) < size:
            return best
        offset += size


def merged_windows(availability: Sequence[dict[str, Any]]) -> dict[int, list[tuple[int, int]]]:
    return merge_windows(
        (w["weekday"], parse_hhmm(w["start"]), parse_hhmm(w["end"])) for w in availability
    )


def with_reasons(ranked: Ranked, *, for_poster: bool) -> Ranked:
    reason = availability_reason(ranked.merged, ranked.pieces)
    ranked.pair = replace(ranked.pair, availability_reason=reason)
    add_reasons(ranked.match, ranked.pair, for_poster=for_poster)
    return ranked


def _pay(gig: Any) -> Pay:
    return Pay(gig.pay_fen, gig.pay_unit, gig.minutes_per_day)


async def workers_for_gig(
    session: AsyncSession,
    poster_id: uuid.UUID,
    gig_id: uuid.UUID,
    limit: int,
    after: tuple[float, str] | None,
    now: datetime,
) -> list[Ranked]:
    """Workers ranked for the poster's gig (``limit + 1`` at most), reasons on the first page."""
    gig = await repository.get_own(session, gig_id, poster_id)
    if gig is None:
        raise errors.GigNotFound()
    intervals = [(o.starts_at, o.ends_at) for o in await repository.occurrences(session, gig.id)]
    pieces = occurrence_segments(intervals)
    reqs = requirements(gig.required_skills)
    pay = _pay(gig)
    starts_today = local_date(gig.starts_at) == local_date(now)

    def evaluate(row: Any) -> Ranked | None:
        merged = merged_windows(row.availability)
        if not covers(merged, row.dates_off, pieces):
            return None
        track = Track(
            row.completed_count,
            row.cancelled_count,
            row.late_cancelled_count,
            row.rating_count,
            row.rating_sum,
        )
        pair = Pair(
            reqs,
            worker_skills(row.skills),
            row.distance_km,
            track,
            pay,
            row.expected_pay_fen,
            row.expected_pay_unit,
        )
        match = score_pair(pair)
        if match is None:
            return None
        return Ranked(match, str(row.user_id), pair, merged, pieces, row)

    params = candidates.worker_params(gig, reqs, intervals, starts_today)
    statement = candidates.workers_sql(len(reqs))
    # With a required skill the statement reads that skill's index entries whichever plan
    # PostgreSQL picks (generic or custom), so it needs no forced custom plan.
    best = await top(session, (statement, params), evaluate, limit, after, custom_plan=not reqs)
    return [with_reasons(r, for_poster=True) for r in best[:limit]] + best[limit:]


async def gigs_for_worker(
    session: AsyncSession,
    user_id: uuid.UUID,
    limit: int,
    after: tuple[float, str] | None,
    now: datetime,
) -> list[Ranked]:
    """Open gigs ranked for the worker (``limit + 1`` at most)."""
    profile = await repository.get_profile(session, user_id)
    if profile is None:
        raise errors.ProfileRequired()
    busy = await booking_repository.busy_intervals(session, user_id, now)
    skills: list[WorkerSkill] = worker_skills(profile.skills)
    merged = merged_windows(profile.availability)
    dates_off = profile.dates_off

    def evaluate(row: Any) -> Ranked | None:
        occurrences = build_occurrences(row.work_dates, row.start_minute, row.end_minute)
        pieces = occurrence_segments([(o.starts_at, o.ends_at) for o in occurrences])
        if not covers(merged, dates_off, pieces):
            return None
        track = Track(
            row.completed_count,
            row.cancelled_count,
            row.late_cancelled_count,
            row.rating_count,
            row.rating_sum,
        )
        pair = Pair(
            requirements(row.required_skills),
            skills,
            row.distance_km,
            track,
            _pay(row),
            profile.expected_pay_fen,
            profile.expected_pay_unit,
        )
        match = score_pair(pair)
        if match is None:
            return None
        return Ranked(match, str(row.id), pair, merged, pieces, row)

    params = candidates.gig_params(profile, busy, now, local_date(now))
    best = await top(session, (candidates.GIGS_SQL, params), evaluate, limit, after)
    return [with_reasons(r, for_poster=False) for r in best[:limit]] + best[limit:]
