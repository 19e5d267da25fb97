"""Opening hours in Asia/Shanghai: midnight, overnight intervals, holiday exceptions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest

from app.service_desk.hours import Interval, Schedule, format_span, parse_hhmm
from tests.service_desk.conftest import local

UNTIL_MIDNIGHT = [{"weekday": d, "opens": "08:00", "closes": "24:00"} for d in range(1, 6)]
OVERNIGHT_FRIDAY = [{"weekday": 5, "opens": "17:00", "closes": "01:00"}]


@dataclass
class Exc:
    day: date
    closed: bool
    hours: list[dict[str, Any]]


def test_parse_hhmm_accepts_24_00_and_refuses_nonsense() -> None:
    assert parse_hhmm("00:00") == 0
    assert parse_hhmm("24:00") == 1440
    for bad in ("24:30", "8:00", "25:00", "12:60", "noon"):
        with pytest.raises(ValueError):
            parse_hhmm(bad)
    with pytest.raises(ValueError):
        Interval.parse("09:00", "09:00")


def test_open_until_midnight_then_closed_on_the_next_day() -> None:
    schedule = Schedule.from_rows(UNTIL_MIDNIGHT)
    # Friday 23:59 in Dongsheng is open; Saturday 00:00 is closed (no Saturday hours).
    assert schedule.is_open(local(2026, 12, 4, 23, 59))
    assert not schedule.is_open(local(2026, 12, 5, 0, 0))
    assert not schedule.is_open(local(2026, 12, 4, 7, 59))


def test_open_now_uses_the_shanghai_date_not_the_utc_date() -> None:
    schedule = Schedule.from_rows([{"weekday": 2, "opens": "00:00", "closes": "06:00"}])
    # Tuesday 00:30 in Dongsheng is Monday 16:30 UTC: the Tuesday interval applies.
    at = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)
    assert schedule.is_open(at)
    assert not schedule.is_open(datetime(2026, 12, 1, 16, 30, tzinfo=UTC))


def test_overnight_interval_runs_into_the_next_morning() -> None:
    schedule = Schedule.from_rows(OVERNIGHT_FRIDAY)
    assert schedule.is_open(local(2026, 12, 4, 23, 30))  # Friday night
    assert schedule.is_open(local(2026, 12, 5, 0, 30))  # Saturday 00:30, still Friday's interval
    assert not schedule.is_open(local(2026, 12, 5, 1, 0))
    assert schedule.covers(local(2026, 12, 4, 23, 30), local(2026, 12, 5, 0, 30))
    assert format_span(*schedule.spans(date(2026, 12, 4))[0]) == "17:00-次日01:00"


def test_holiday_exception_closes_the_whole_day() -> None:
    holiday = date(2026, 12, 2)
    schedule = Schedule.from_rows(UNTIL_MIDNIGHT, [Exc(holiday, True, [])])
    assert not schedule.is_open(local(2026, 12, 2, 10, 0))
    assert schedule.is_closed_day(holiday)
    assert schedule.is_open(local(2026, 12, 3, 10, 0))
    assert not schedule.covers(local(2026, 12, 2, 9, 0), local(2026, 12, 2, 9, 30))


def test_special_hours_replace_the_weekly_ones() -> None:
    schedule = Schedule.from_rows(
        UNTIL_MIDNIGHT, [Exc(date(2026, 12, 2), False, [{"opens": "10:00", "closes": "12:00"}])]
    )
    assert not schedule.is_open(local(2026, 12, 2, 9, 0))
    assert schedule.is_open(local(2026, 12, 2, 11, 0))
    assert not schedule.is_open(local(2026, 12, 2, 13, 0))
    assert format_span(*schedule.spans(date(2026, 12, 2))[0]) == "10:00-12:00"


def test_a_slot_must_fit_inside_one_opening_period() -> None:
    schedule = Schedule.from_rows(
        [
            {"weekday": 1, "opens": "08:30", "closes": "12:00"},
            {"weekday": 1, "opens": "14:30", "closes": "17:30"},
        ]
    )
    assert schedule.covers(local(2026, 11, 30, 11, 30), local(2026, 11, 30, 12, 0))
    assert not schedule.covers(local(2026, 11, 30, 11, 45), local(2026, 11, 30, 12, 15))
    assert not schedule.covers(local(2026, 11, 30, 12, 30), local(2026, 11, 30, 13, 0))
