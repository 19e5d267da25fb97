"""Ranked matching both ways: SQL ranks (app.gigs.matching_sql), Python cuts the page.

Candidates arrive in batches, best ``sql_score`` first, each with its five components; the
score shown is ``sql_score`` rounded to 0.01, ties broken by id. Once a row's rounded score is
below that of the last result kept (the ``limit + 1``-th), no later row can enter the page and
reading stops: normally after the first batch. Pages continue after a cursor holding the last
(score, id); the next page's SQL starts just above that score. Reasons are built for the
page's rows only.

The hard rules and the values are SQL's at run time, built from the one definition in
``app.gigs.scoring``; ``tests/gigs/test_match_equivalence.py`` checks them against the Python
rules (``schedule.covers``, ``scoring.score_pair``) on varied data.
"""

from __future__ import annotations

import uuid
from bisect import insort
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import TextClause

from app.core.clock import local_date
from app.core.keyset import ID, NUMBER, keyset
from app.gigs import errors
from app.gigs import matching_repository as repository
from app.gigs.matching_sql import COMPONENTS, gigs_sql, workers_sql
from app.gigs.schedule import Segment, occurrence_segments
from app.gigs.views import requirements
from app.identity.dependencies import TokenInvalid

# A batch holds the page, the row that tells whether another follows, and this many more for
# the rows the page cannot take (busy workers, rows above a later page's cursor); more are read
# in further batches when they run short.
SLACK = 3

# Best first: (score, worker or gig id); the id breaks ties in ascending text order.
SCORE_ID = keyset(NUMBER, ID)

Shape = Callable[[bool, int, int], TextClause]  # (continuing, size, offset) → statement


@dataclass(slots=True)
class Ranked:
    score: float  # rounded to 0.01, as shown
    sort_id: str
    row: Any

    @property
    def key(self) -> tuple[float, str]:
        return (-self.score, self.sort_id)


def parse_after(cursor: str | None) -> tuple[float, str] | None:
    after = SCORE_ID.decode(cursor)
    return (after[0], str(after[1])) if after is not None else None


def next_cursor(best: Sequence[Ranked], limit: int) -> str | None:
    _, cursor = SCORE_ID.cut(best, limit, key=lambda r: (r.score, uuid.UUID(r.sort_id)))
    return cursor


def components(row: Any) -> dict[str, float]:
    """The five components of a candidate row, rounded as shown."""
    return {name: round(row[f"{name}_part"], 4) for name in COMPONENTS}


def _is_after(ranked: Ranked, after: tuple[float, str] | None) -> bool:
    if after is None:
        return True
    score, ident = after
    return ranked.score < score or (ranked.score == score and ranked.sort_id > ident)


async def top(
    driver: Any,
    shape: Shape,
    params: dict[str, Any],
    id_column: str,
    limit: int,
    after: tuple[float, str] | None,
) -> list[Ranked]:
    """The best ``limit + 1`` results after ``after`` (one extra says whether a page follows)."""
    below = after[0] if after else None
    best: list[Ranked] = []
    size = limit + 1 + SLACK
    offset = 0
    while True:
        statement = shape(after is not None, size, offset)
        rows = await repository.candidates(driver, statement, params, below)
        for row in rows:
            ranked = Ranked(round(row.sql_score, 2), str(row[id_column]), row)
            if len(best) > limit and ranked.score < best[-1].score:
                return best
            if row.get("busy") or not _is_after(ranked, after):
                continue
            insort(best, ranked, key=lambda r: r.key)
            del best[limit + 1 :]
        if len(rows) < size:
            return best
        offset += size


@dataclass(frozen=True, slots=True)
class GigSide:
    """A poster's gig as its ranking needs it: the head row, requirements, working pieces."""

    head: Any
    requirements: list[Any]
    pieces: list[Segment]


async def workers_for_gig(
    driver: Any,
    poster_id: uuid.UUID,
    gig_id: uuid.UUID,
    cursor: str | None,
    limit: int,
    now: datetime,
) -> tuple[GigSide, list[Ranked]]:
    """Workers ranked for the poster's gig (``limit + 1`` at most).

    401 when the account can no longer act, 422 for a bad cursor, 404 for another's gig — in
    the order the documented route's dependencies check them.
    """
    head = await repository.poster_head(driver, poster_id, gig_id)
    if head is None or not head.usable:
        raise TokenInvalid()
    after = parse_after(cursor)
    if head.gig_id is None:
        raise errors.GigNotFound()
    intervals = list(zip(head.occ_starts, head.occ_ends, strict=True))
    reqs = requirements(head.required_skills)
    starts_today = local_date(head.starts_at) == local_date(now)
    params = repository.worker_params(head, reqs, intervals, starts_today)
    certified = bool(head.certificate_skill_codes)

    def shape(continuing: bool, size: int, offset: int) -> TextClause:
        return workers_sql(len(reqs), certified, continuing, size, offset)

    best = await top(driver, shape, params, "user_id", limit, after)
    return GigSide(head, reqs, occurrence_segments(intervals)), best


async def gigs_for_worker(
    driver: Any, user_id: uuid.UUID, cursor: str | None, limit: int, now: datetime
) -> tuple[Any, list[Ranked]]:
    """Open gigs ranked for the worker (``limit + 1`` at most), with the worker's head row.

    401 when the account can no longer act, 422 for a bad cursor, 409 without a profile.
    """
    head = await repository.worker_head(driver, user_id, now)
    if head is None or not head.usable:
        raise TokenInvalid()
    after = parse_after(cursor)
    if head.profile_user_id is None:
        raise errors.ProfileRequired()
    params = repository.gig_params(head, now, local_date(now))
    best = await top(driver, gigs_sql, params, "id", limit, after)
    return head, best
