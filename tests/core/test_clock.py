"""One home for time: nothing in ``app/`` reads the wall clock except ``app/core/clock.py``."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from app.core.clock import SHANGHAI, local_date, local_midnight, today
from tests.support.clock import FakeClock, local

APP = Path(__file__).resolve().parents[2] / "app"
HOME = "core/clock.py"
# Reading the wall clock directly, or a zone of our own, instead of the injected clock.
WALL_CLOCK = re.compile(r"\b(?:datetime\.(?:now|utcnow|today)|date\.today|time\.time)\(")
OWN_ZONE = re.compile(r"\bZoneInfo\(")

# Files allowed to keep a match, each with its reason. An entry that no longer matches fails the
# test too, so the list only shrinks.
WALL_CLOCK_ALLOWED = {
    "core/ratelimit.py": "Redis rate-limit windows are infrastructure time, not business time",
}
OWN_ZONE_ALLOWED: dict[str, str] = {}


def _offenders(pattern: re.Pattern[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(APP.rglob("*.py")):
        name = path.relative_to(APP).as_posix()
        if name == HOME:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        hits = [f"{i}: {line.strip()}" for i, line in enumerate(lines, 1) if pattern.search(line)]
        if hits:
            found[name] = hits
    return found


def _check(pattern: re.Pattern[str], allowed: dict[str, str]) -> None:
    found = _offenders(pattern)
    unexpected = {name: hits for name, hits in found.items() if name not in allowed}
    assert not unexpected, (
        "take 'now' from the injected Clock (app.core.clock: ClockDep in routers, a `clock` or "
        f"`now` argument in services), not from the wall clock: {unexpected}"
    )
    stale = sorted(set(allowed) - set(found))
    assert not stale, f"no longer needed, remove from the allow-list: {stale}"


def test_only_the_clock_module_reads_the_wall_clock() -> None:
    _check(WALL_CLOCK, WALL_CLOCK_ALLOWED)


def test_only_the_clock_module_names_the_business_zone() -> None:
    _check(OWN_ZONE, OWN_ZONE_ALLOWED)


def test_the_guard_recognises_what_it_forbids() -> None:
    for line in ("now = datetime.now(UTC)", "d = date.today()", "t = time.time()"):
        assert WALL_CLOCK.search(line), line
    for line in ("now = clock()", "time.monotonic()", "local_date(now)"):
        assert not WALL_CLOCK.search(line), line


def test_business_dates_are_dongsheng_dates() -> None:
    # 23:30 UTC on 1 December is already 2 December in Dongsheng.
    late = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    assert local_date(late) == date(2026, 12, 2)
    assert today(FakeClock(late)) == date(2026, 12, 2)
    assert local_midnight(date(2026, 12, 2)) == local(2026, 12, 2, 0, 0)
    assert local_midnight(date(2026, 12, 2)).tzinfo is SHANGHAI
    assert local_midnight(date(2026, 12, 2)) == datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
