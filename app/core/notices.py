"""Wording and timing shared by the notifications the domains write: Beijing wall-clock text for
bodies ("12月5日 09:30") and for subscribe-message keywords ("2026-12-05 09:30"), and when a
reminder goes out."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from app.core.clock import SHANGHAI, local_date, local_midnight

# A reminder of something on day D goes out at 18:00 on D-1: WeChat is silent 22:00-08:00 for
# ordinary kinds, and a reminder at 07:00 for a 08:30 visit comes too late to plan the morning.
EVENING_HOUR = 18


def moment_text(at: datetime) -> str:
    """An instant as a person in Dongsheng reads it in a sentence: ``12月5日 09:30``."""
    local = at.astimezone(SHANGHAI)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def day_text(day: date) -> str:
    """A business date in a sentence: ``12月5日``."""
    return f"{day.month}月{day.day}日"


def moment_keyword(at: datetime) -> str:
    """An instant for a template's ``time`` keyword: ``2026-12-05 09:30`` (Beijing)."""
    return f"{at.astimezone(SHANGHAI):%Y-%m-%d %H:%M}"


def day_keyword(day: date) -> str:
    """A date for a template's ``time`` keyword: ``2026-12-05``."""
    return day.isoformat()


def evening_before(start: datetime) -> datetime:
    """18:00 Beijing time on the day before ``start``'s local date."""
    day_before = local_date(start) - timedelta(days=1)
    return local_midnight(day_before) + timedelta(hours=EVENING_HOUR)
