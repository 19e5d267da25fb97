"""Opening hours: weekly intervals plus dated exceptions, evaluated in Asia/Shanghai.

An interval is ``opens``–``closes`` in "HH:MM" local time. ``closes`` may be "24:00" (until
midnight) or earlier than ``opens`` (an overnight interval that ends the next morning, e.g. a gig
market opening 22:00–02:00). A dated exception replaces the weekly intervals of that day: closed
(no intervals) or special hours. Time is always compared as an aware datetime in Asia/Shanghai,
never by the UTC date — 00:30 in Dongsheng on a Tuesday is still Monday in UTC.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from app.core.clock import SHANGHAI, local_date, local_midnight

MINUTES_PER_DAY = 24 * 60
WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def parse_hhmm(value: str) -> int:
    """'08:30' → 510 minutes after midnight; '24:00' → 1440. Raises ValueError otherwise."""
    hours, sep, minutes = value.partition(":")
    if not sep or len(hours) != 2 or len(minutes) != 2:
        raise ValueError(f"not HH:MM: {value!r}")
    h, m = int(hours), int(minutes)
    if not (0 <= h <= 24 and 0 <= m < 60) or (h == 24 and m != 0):
        raise ValueError(f"not a time of day: {value!r}")
    return h * 60 + m


@dataclass(frozen=True)
class Interval:
    """Minutes after local midnight; ``end`` > 1440 for an interval that runs past midnight."""

    start: int
    end: int

    @classmethod
    def parse(cls, opens: str, closes: str) -> Interval:
        start, end = parse_hhmm(opens), parse_hhmm(closes)
        if start == MINUTES_PER_DAY:
            raise ValueError("an interval cannot open at 24:00")
        if end == start:
            raise ValueError("an interval cannot open and close at the same time")
        if end < start:
            end += MINUTES_PER_DAY
        return cls(start, end)


@dataclass(frozen=True)
class Schedule:
    """Weekly intervals (ISO weekday 1–7) and exceptions by date (an empty list = closed)."""

    weekly: Mapping[int, Sequence[Interval]]
    exceptions: Mapping[date, Sequence[Interval]] = field(default_factory=dict)

    @classmethod
    def from_rows(
        cls, weekly_hours: Iterable[Mapping[str, Any]], exceptions: Iterable[Any] = ()
    ) -> Schedule:
        """Build from stored JSON rows and StationException-like objects (day, closed, hours)."""
        weekly: dict[int, list[Interval]] = {}
        for row in weekly_hours:
            interval = Interval.parse(row["opens"], row["closes"])
            weekly.setdefault(int(row["weekday"]), []).append(interval)
        by_day: dict[date, list[Interval]] = {}
        for exc in exceptions:
            hours = (
                [] if exc.closed else [Interval.parse(h["opens"], h["closes"]) for h in exc.hours]
            )
            by_day[exc.day] = hours
        return cls(weekly=weekly, exceptions=by_day)

    def intervals(self, day: date) -> Sequence[Interval]:
        if day in self.exceptions:
            return self.exceptions[day]
        return self.weekly.get(day.isoweekday(), ())

    def spans(self, day: date) -> list[tuple[datetime, datetime]]:
        """The opening periods that start on ``day``, as aware local datetimes."""
        midnight = local_midnight(day)
        return [
            (midnight + timedelta(minutes=i.start), midnight + timedelta(minutes=i.end))
            for i in sorted(self.intervals(day), key=lambda i: i.start)
        ]

    def _candidate_spans(self, at: datetime) -> list[tuple[datetime, datetime]]:
        # An overnight interval of the previous day may still be running.
        day = local_date(at)
        return self.spans(day - timedelta(days=1)) + self.spans(day)

    def is_open(self, at: datetime) -> bool:
        return any(start <= at < end for start, end in self._candidate_spans(at))

    def covers(self, starts_at: datetime, ends_at: datetime) -> bool:
        """Whether one opening period holds the whole of [starts_at, ends_at)."""
        return any(s <= starts_at and ends_at <= e for s, e in self._candidate_spans(starts_at))

    def is_closed_day(self, day: date) -> bool:
        """A dated exception closes the station for the whole day."""
        return day in self.exceptions and not self.exceptions[day]


def format_span(start: datetime, end: datetime) -> str:
    """'08:30-12:00' (an end at the next midnight reads 24:00, past it 次日02:00)."""
    a, b = start.astimezone(SHANGHAI), end.astimezone(SHANGHAI)
    days = (b.date() - a.date()).days
    end_text = b.strftime("%H:%M")
    if days == 1 and end_text == "00:00":
        end_text = "24:00"
    elif days >= 1:
        end_text = f"次日{end_text}"
    return f"{a.strftime('%H:%M')}-{end_text}"
