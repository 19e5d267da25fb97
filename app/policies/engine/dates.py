"""Calendar arithmetic used by the rules: whole months and years, ages.

Conventions (documented in docs/policies.md):
- A month (year) is complete on the same day-of-month (day-of-year) as the start; a start on the
  31st completes on the last day of a shorter month, a start on 29 February on 28 February.
- Periods end *inclusive* of their last day: someone employed from 2025-01-15 to 2025-07-14
  has completed 6 months.
- Chinese legal usage counts the boundary in "以上 / 以内 / 满" (Civil Code art. 1259), so
  "6 个月以上" means ">= 6 months" and "离校 2 年内" means "on or before the 2nd anniversary".
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(start: date, months: int) -> date:
    """The same day-of-month `months` later, clamped to the end of a shorter month."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last_day))


def add_years(start: date, years: int) -> date:
    """The same day `years` later (29 February becomes 28 February)."""
    return add_months(start, 12 * years)


def full_months(start: date, until: date) -> int:
    """Whole months completed from `start` up to the beginning of day `until`."""
    if until <= start:
        return 0
    months = (until.year - start.year) * 12 + (until.month - start.month)
    while months > 0 and add_months(start, months) > until:
        months -= 1
    return months


def full_years(start: date, until: date) -> int:
    """Whole years completed from `start` up to the beginning of day `until`."""
    return full_months(start, until) // 12


def months_served(start: date, last_day: date) -> int:
    """Whole months in a period whose last day (inclusive) is `last_day`."""
    return full_months(start, last_day + timedelta(days=1))


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on `day` (the birthday itself counts)."""
    return full_years(birth_date, day) if day >= birth_date else -1


def age_bounds(age_today: int, today: date, day: date) -> tuple[int, int]:
    """The possible ages on `day` of someone who is `age_today` on `today` (birth date unknown)."""
    latest_birth = add_years(today, -age_today)
    earliest_birth = add_years(today, -(age_today + 1)) + timedelta(days=1)
    return age_on(latest_birth, day), age_on(earliest_birth, day)


def iso(day: date | None) -> str:
    """A date as the service writes it in Chinese text (ISO, e.g. 2025-07-01)."""
    return day.isoformat() if day else "（未填写）"
