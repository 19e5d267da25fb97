"""The shortcuts the match pages take through a gig's time arithmetic give the same answers."""

from __future__ import annotations

import random
from datetime import date, timedelta

from app.gigs.schedule import (
    build_occurrences,
    local_pieces,
    merge_windows,
    occurrence_segments,
    week_spans,
    windows_from_week,
)


def test_local_pieces_are_the_occurrences_split_at_local_midnight() -> None:
    rng = random.Random(16)
    first = date(2026, 12, 1)
    checked = 0
    for _ in range(300):
        days = [first + timedelta(days=rng.randrange(0, 20)) for _ in range(rng.randrange(1, 4))]
        start = rng.randrange(0, 48) * 30
        end = rng.choice([rng.randrange(1, 49) * 30, 24 * 60])
        if end == start:
            continue
        occurrences = build_occurrences(days, start, end)
        expected = occurrence_segments([(o.starts_at, o.ends_at) for o in occurrences])
        assert local_pieces(days, start, end) == expected, (days, start, end)
        checked += 1
    assert checked > 250


class _Range:
    def __init__(self, lower: int, upper: int) -> None:
        self.lower, self.upper = lower, upper


def _joined(spans: list[tuple[int, int]]) -> list[_Range]:
    """Spans as PostgreSQL keeps a multirange: touching ranges joined (across midnight too)."""
    out: list[list[int]] = []
    for lower, upper in sorted(spans):
        if out and lower <= out[-1][1]:
            out[-1][1] = max(out[-1][1], upper)
        else:
            out.append([lower, upper])
    return [_Range(lower, upper) for lower, upper in out]


def test_windows_from_week_undo_the_join_across_midnight() -> None:
    rng = random.Random(3)
    for _ in range(300):
        windows = []
        for weekday in range(1, 8):
            for _ in range(rng.randrange(0, 3)):
                start = rng.randrange(0, 48) * 30
                windows.append((weekday, start, rng.randrange(start // 30 + 1, 49) * 30))
        merged = merge_windows(windows)
        assert windows_from_week(_joined(week_spans(merged))) == merged
