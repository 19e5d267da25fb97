"""Time arithmetic of the gig market, pure and in Asia/Shanghai.

A gig runs on one or several local dates with one daily time window; each occurrence is stored in
UTC. An end time at or before the start time means the shift ends the next morning. A worker's
availability is weekly time windows (1 = Monday … 7 = Sunday, minutes since local midnight, an end
of 24:00 allowed) plus dates off. An occurrence is *covered* when every local-day piece of it lies
inside one window of that weekday and none of its dates is a day off.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

from app.core.clock import SHANGHAI, local_midnight

MINUTES_PER_DAY = 24 * 60
WEEKDAY_NAMES = {1: "周一", 2: "周二", 3: "周三", 4: "周四", 5: "周五", 6: "周六", 7: "周日"}
FULL_DAY_MINUTES = 12 * 60  # a window this long (or longer) reads as "全天"

_HHMM = re.compile(r"^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$")
HHMM_PATTERN = _HHMM.pattern


@cache
def parse_hhmm(value: str) -> int:
    """``"08:30"`` → 510 minutes; ``"24:00"`` → 1440."""
    match = _HHMM.match(value)
    if match is None:
        raise ValueError(f"not a HH:MM time: {value!r}")
    hours, minutes = (match.group(1), match.group(2)) if match.group(1) else ("24", "00")
    return int(hours) * 60 + int(minutes)


def format_hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True, slots=True)
class Occurrence:
    local_date: date
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC


@dataclass(frozen=True, slots=True)
class Segment:
    """The part of an occurrence that falls on one local date."""

    local_date: date
    start: int  # minutes since local midnight
    end: int  # 1..1440


def _local(day: date, minutes: int) -> datetime:
    return local_midnight(day) + timedelta(minutes=minutes)


def build_occurrences(days: Iterable[date], start: int, end: int) -> list[Occurrence]:
    """One occurrence per local date, ``start``–``end`` minutes (overnight when end <= start)."""
    out = []
    for day in sorted(set(days)):
        local_start = _local(day, start)
        local_end = _local(day, end) if end > start else _local(day + timedelta(days=1), end)
        out.append(Occurrence(day, local_start.astimezone(UTC), local_end.astimezone(UTC)))
    return out


def local_pieces(days: Iterable[date], start: int, end: int) -> list[Segment]:
    """The local-day pieces of a gig's occurrences, in time order, computed in local time:
    ``occurrence_segments`` of ``build_occurrences`` without the round trip through UTC (the
    zone keeps no daylight saving)."""
    out = []
    for day in sorted(set(days)):
        if end > start:
            out.append(Segment(day, start, end))
        else:
            out.append(Segment(day, start, MINUTES_PER_DAY))
            out.append(Segment(day + timedelta(days=1), 0, end))
    return out


def duration_minutes(start: int, end: int) -> int:
    return end - start if end > start else MINUTES_PER_DAY - start + end


def segments(starts_at: datetime, ends_at: datetime) -> list[Segment]:
    """Split a UTC interval at local midnights."""
    local_start = starts_at.astimezone(SHANGHAI)
    local_end = ends_at.astimezone(SHANGHAI)
    out = []
    cursor = local_start
    while cursor < local_end:
        midnight = local_midnight(cursor.date() + timedelta(days=1))
        piece_end = min(midnight, local_end)
        start = cursor.hour * 60 + cursor.minute
        end = start + int((piece_end - cursor).total_seconds() // 60)
        out.append(Segment(cursor.date(), start, end))
        cursor = piece_end
    return out


def occurrence_segments(occurrences: Sequence[tuple[datetime, datetime]]) -> list[Segment]:
    return [seg for starts_at, ends_at in occurrences for seg in segments(starts_at, ends_at)]


def weekday_mask(dates: Iterable[date]) -> int:
    """Bit (isoweekday - 1) set for each date's weekday."""
    mask = 0
    for day in dates:
        mask |= 1 << (day.isoweekday() - 1)
    return mask


def windows_mask(windows: Iterable[tuple[int, int, int]]) -> int:
    mask = 0
    for weekday, _start, _end in windows:
        mask |= 1 << (weekday - 1)
    return mask


def merge_windows(windows: Iterable[tuple[int, int, int]]) -> dict[int, list[tuple[int, int]]]:
    """``(weekday, start, end)`` triples → sorted, merged windows per weekday."""
    by_day: dict[int, list[tuple[int, int]]] = {}
    for weekday, start, end in sorted(windows):
        spans = by_day.setdefault(weekday, [])
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    return by_day


def covering_window(
    merged: dict[int, list[tuple[int, int]]], segment: Segment
) -> tuple[int, int] | None:
    for start, end in merged.get(segment.local_date.isoweekday(), ()):
        if start <= segment.start and end >= segment.end:
            return start, end
    return None


def covers(
    merged: dict[int, list[tuple[int, int]]],
    dates_off: Iterable[date],
    pieces: Sequence[Segment],
) -> bool:
    """Whether the worker is free for every piece (a day off anywhere refuses the whole gig)."""
    off = set(dates_off)
    return all(
        seg.local_date not in off and covering_window(merged, seg) is not None for seg in pieces
    )


def availability_reason(merged: dict[int, list[tuple[int, int]]], pieces: Sequence[Segment]) -> str:
    """``"周六全天有空"``, ``"周六、周日 08:00-12:00 有空"`` — for pieces already known covered."""
    full: list[int] = []
    partial: dict[int, tuple[int, int]] = {}
    for seg in pieces:
        window = covering_window(merged, seg)
        weekday = seg.local_date.isoweekday()
        if window is None:
            continue
        if window[1] - window[0] >= FULL_DAY_MINUTES:
            if weekday not in full:
                full.append(weekday)
        else:
            partial.setdefault(weekday, window)
    parts = []
    if full:
        parts.append("、".join(WEEKDAY_NAMES[d] for d in sorted(full)) + "全天有空")
    for weekday in sorted(set(partial) - set(full)):
        start, end = partial[weekday]
        parts.append(f"{WEEKDAY_NAMES[weekday]} {format_hhmm(start)}-{format_hhmm(end)} 有空")
    return "；".join(parts) if parts else "时间合适"


def week_minutes(weekday: int, start: int, end: int) -> tuple[int, int]:
    """A weekday's window as minutes since Monday 00:00 — the form SQL compares as ranges."""
    base = (weekday - 1) * MINUTES_PER_DAY
    return base + start, base + end


def week_spans(merged: dict[int, list[tuple[int, int]]]) -> list[tuple[int, int]]:
    return [
        week_minutes(day, start, end)
        for day, spans in sorted(merged.items())
        for start, end in spans
    ]


def windows_from_week(spans: Iterable[Any]) -> dict[int, list[tuple[int, int]]]:
    """The merged windows of each weekday from the week's minute ranges (a profile's
    ``week_windows``, whose adjacent ranges PostgreSQL joins across midnight): the inverse of
    ``week_spans``, equal to ``merge_windows`` of the profile's windows."""
    by_day: dict[int, list[tuple[int, int]]] = {}
    for span in spans:
        start, end = span.lower, span.upper
        day = start // MINUTES_PER_DAY
        while start < end:
            base = day * MINUTES_PER_DAY
            stop = min(end, base + MINUTES_PER_DAY)
            by_day.setdefault(day + 1, []).append((start - base, stop - base))
            start, day = stop, day + 1
    return by_day


def piece_spans(pieces: Sequence[Segment]) -> list[tuple[int, int]]:
    return sorted({week_minutes(p.local_date.isoweekday(), p.start, p.end) for p in pieces})


def overlaps(
    a: Sequence[tuple[datetime, datetime]], b: Sequence[tuple[datetime, datetime]]
) -> bool:
    """Whether any interval of ``a`` overlaps any of ``b`` (touching ends do not overlap)."""
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)
