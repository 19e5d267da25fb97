"""Parameters of the booking rules, in one place (the tests pass their own values)."""

from __future__ import annotations

from datetime import datetime, timedelta

# A cancellation this close to the start (or later) is "late" and weighs more against the
# reliability of whoever cancels (see app.gigs.scoring.LATE_CANCEL_WEIGHT).
LATE_CANCEL_HOURS = 12.0
# Every daily shift lasts between these (the overlap queries rely on the maximum).
MIN_SHIFT_MINUTES = 30
MAX_SHIFT_MINUTES = 16 * 60
# Workers may check in from this long before the start until the end of the last shift.
CHECK_IN_OPENS_HOURS = 2.0


def is_late(starts_at: datetime, now: datetime, late_hours: float = LATE_CANCEL_HOURS) -> bool:
    return now >= starts_at - timedelta(hours=late_hours)


def check_in_open(starts_at: datetime, ends_at: datetime, now: datetime) -> bool:
    return starts_at - timedelta(hours=CHECK_IN_OPENS_HOURS) <= now <= ends_at
