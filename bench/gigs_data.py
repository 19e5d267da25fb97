"""Load a synthetic gig market for the matching bench (≥ 50,000 workers, 5,000 open gigs).

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dsjobs_bench \
        .venv/bin/python -m bench.gigs_data --workers 50000 --gigs 5000

Migrates the database, removes an earlier gig bench load (people whose openid starts with
``bench-gig-``), then COPYs bench workers (users with a bound phone and real name, encrypted with
the service's keys as in production, and their gig profiles — skills, weekly availability, home,
travel radius — from ``app.demo.content``, validated by the same code as ``PUT /me/gig-profile``),
200 posters with 5,000 open gigs starting within two weeks (built by the same code as
``POST /gigs``), records (completed / cancelled bookings, ratings) on both sides, and a few
thousand existing bookings so the overlap rule has work to do. Then ``ANALYZE``.

Run the load soon before ``bench.gigs_load``: the gigs start from tomorrow on.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import time
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import asyncpg

from app.core import migrate
from app.core.clock import local_date
from app.core.config import get_settings, normalise_database_url
from app.core.security import Security
from app.demo.content import DemoContent
from app.demo.gigs import SEEDED, gig_create, worker_profile
from app.gigs.models import Gig
from app.gigs.posting_service import gig_row
from app.gigs.profile_service import profile_values

BENCH_SEED = 2025
PREFIX = "bench-gig-"
POSTERS = 200
BOOKINGS = 3_000

VALUE_COLUMNS = (
    "skills", "skill_codes", "skill_ranks", "certified_skill_codes", "availability",
    "week_windows", "weekday_mask", "dates_off", "home_lat", "home_lng", "area_code",
    "travel_radius_km", "expected_pay_fen", "expected_pay_unit", "accepts_same_day",
)  # fmt: skip
RECORD_COLUMNS = (
    "completed_count", "cancelled_count", "late_cancelled_count", "rating_count", "rating_sum"
)  # fmt: skip
PROFILE_COLUMNS = ("id", "user_id", *VALUE_COLUMNS, *RECORD_COLUMNS)
USER_COLUMNS = (
    "id", "openid", "nickname", "phone_encrypted", "phone_hash", "phone_bound_at",
    "real_name_encrypted", "real_name_verified_at",
)  # fmt: skip
JSON_COLUMNS = {"skills", "availability", "required_skills", "moderation"}
GIG_COLUMNS = tuple(
    c.name for c in Gig.__table__.columns if c.name not in ("created_at", "updated_at")
)


def _people(
    security: Security, kind: str, names: Sequence[str], now: datetime, phone_base: int
) -> list[tuple[Any, ...]]:
    rows = []
    for i, name in enumerate(names):
        phone = str(phone_base + i)
        rows.append(
            (
                uuid.uuid4(), f"{PREFIX}{kind}-{i}", f"压测{name}",
                security.cipher.encrypt(phone, context="phone"),
                security.hasher.digest(phone, purpose="phone"), now,
                security.cipher.encrypt(name, context="real_name"), now,
            )
        )  # fmt: skip
    return rows


def _ranges(values: Iterable[Any]) -> list[asyncpg.Range]:
    """SQLAlchemy ranges as the driver's, for COPY."""
    return [asyncpg.Range(r.lower, r.upper) for r in values]


def _record(rng: random.Random) -> tuple[int, int, int, int, int]:
    """(completed, cancelled, late, ratings, stars): many newcomers, some old hands."""
    if rng.random() < 0.4:
        return 0, 0, 0, 0, 0
    completed = int(rng.expovariate(1 / 12))
    cancelled = int(rng.expovariate(1 / 1.5))
    late = min(cancelled, int(rng.expovariate(1 / 0.6)))
    ratings = min(completed, int(completed * rng.uniform(0.3, 0.9)))
    stars = sum(rng.choice((3, 4, 4, 5, 5, 5)) for _ in range(ratings))
    return completed, cancelled, late, ratings, stars


def _profiles(
    content: DemoContent, users: Sequence[tuple[Any, ...]], rng: random.Random, now: datetime
) -> list[tuple[Any, ...]]:
    rows = []
    today = local_date(now)
    for user, worker in zip(users, content.workers(len(users)), strict=True):
        values = profile_values(worker_profile(worker), today)
        values["skills"] = json.dumps(values["skills"], ensure_ascii=False)
        values["availability"] = json.dumps(values["availability"])
        values["week_windows"] = _ranges(values["week_windows"])
        record = _record(rng)
        rows.append((uuid.uuid4(), user[0], *(values[c] for c in VALUE_COLUMNS), *record))
    return rows


def _gigs(
    security: Security,
    content: DemoContent,
    posters: Sequence[tuple[Any, ...]],
    count: int,
    rng: random.Random,
    now: datetime,
) -> tuple[list[Gig], list[tuple[Any, ...]]]:
    gigs: list[Gig] = []
    occurrences: list[tuple[Any, ...]] = []
    for demo in content.gigs(count):
        body = gig_create(demo, local_date(now), "19800009999")
        gig, occ = gig_row(security, body, rng.choice(posters)[0], now, SEEDED)
        gig.id, gig.booked_count = uuid.uuid4(), 0
        gigs.append(gig)
        occurrences += [(uuid.uuid4(), gig.id, o.local_date, o.starts_at, o.ends_at) for o in occ]
    return gigs, occurrences


def _bookings(
    gigs: Sequence[Gig], workers: Sequence[tuple[Any, ...]], rng: random.Random, now: datetime
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Existing bookings: distinct workers, always leaving a place free."""
    applications, bookings = [], []
    chosen = rng.sample(list(workers), min(BOOKINGS, len(workers)))
    for worker in chosen:
        gig = rng.choice(gigs)
        if gig.booked_count + 1 >= gig.headcount:
            continue  # keep every gig open: the bench wants 5,000 open gigs
        gig.booked_count += 1
        application_id = uuid.uuid4()
        applications.append((application_id, gig.id, worker[0], "worker", "accepted", now))
        bookings.append((uuid.uuid4(), gig.id, worker[0], application_id, "booked"))
    return applications, bookings


def _gig_records(gigs: Iterable[Gig]) -> list[tuple[Any, ...]]:
    rows = []
    for gig in gigs:
        values = []
        for column in GIG_COLUMNS:
            value = getattr(gig, column)
            if column in JSON_COLUMNS:
                value = json.dumps(value, ensure_ascii=False)
            elif column == "week_pieces":
                value = _ranges(value)
            values.append(value)
        rows.append(tuple(values))
    return rows


async def _reset(conn: asyncpg.Connection) -> None:
    like = f"{PREFIX}%"
    await conn.execute(
        'DELETE FROM gig WHERE poster_id IN (SELECT id FROM "user" WHERE openid LIKE $1)', like
    )
    await conn.execute('DELETE FROM "user" WHERE openid LIKE $1', like)


async def _copy(
    conn: asyncpg.Connection, table: str, rows: list[Any], columns: Sequence[str]
) -> None:
    for start in range(0, len(rows), 20_000):
        await conn.copy_records_to_table(
            table, records=rows[start : start + 20_000], columns=list(columns)
        )


async def load(url: str, workers: int, gigs: int) -> None:
    started = time.perf_counter()
    security = Security.from_settings(get_settings().security)
    rng, now = random.Random(f"{BENCH_SEED}:gig-bench"), datetime.now(UTC)
    content = DemoContent(BENCH_SEED, employer_count=0)
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        await _reset(conn)
        names = [f"零工{i}" for i in range(workers)]
        worker_users = _people(security, "worker", names, now, 19_700_000_000)
        poster_users = _people(security, "poster", [f"雇主{i}" for i in range(POSTERS)], now,
                               19_800_000_000)  # fmt: skip
        profiles = _profiles(content, worker_users, rng, now)
        gig_rows, occurrences = _gigs(security, content, poster_users, gigs, rng, now)
        applications, bookings = _bookings(gig_rows, worker_users, rng, now)
        print(f"built in {time.perf_counter() - started:.1f}s", flush=True)
        await _copy(conn, "user", worker_users + poster_users, USER_COLUMNS)
        await _copy(conn, "gig_worker_profile", profiles, PROFILE_COLUMNS)
        stats = [(p[0], *_record(rng)) for p in poster_users]
        await _copy(
            conn,
            "gig_poster_stats",
            stats,
            ("user_id", *RECORD_COLUMNS),
        )  # fmt: skip
        await _copy(conn, "gig", _gig_records(gig_rows), GIG_COLUMNS)
        await _copy(
            conn,
            "gig_occurrence",
            occurrences,
            ("id", "gig_id", "local_date", "starts_at", "ends_at"),
        )
        await _copy(
            conn,
            "gig_application",
            applications,
            ("id", "gig_id", "worker_id", "origin", "status", "decided_at"),
        )
        await _copy(
            conn, "gig_booking", bookings, ("id", "gig_id", "worker_id", "application_id", "status")
        )
        # gig_worker_skill (filled by its trigger) is read index-only: set its visibility map.
        for table in ("user", "gig_worker_profile", "gig_worker_skill", "gig", "gig_occurrence",
                      "gig_booking", "gig_application", "gig_poster_stats"):  # fmt: skip
            await conn.execute(f'VACUUM ANALYZE "{table}"')
        open_gigs = await conn.fetchval("SELECT count(*) FROM gig WHERE status = 'open'")
    finally:
        await conn.close()
    print(
        f"done in {time.perf_counter() - started:.1f}s: {workers} worker profiles, "
        f"{gigs} gigs ({open_gigs} open), {len(bookings)} bookings, {POSTERS} posters",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--workers", type=int, default=50_000)
    parser.add_argument("--gigs", type=int, default=5_000)
    args = parser.parse_args()
    if not args.database_url:
        raise SystemExit("set DATABASE_URL or pass --database-url")
    url = normalise_database_url(args.database_url)
    migrate.upgrade(url)
    asyncio.run(load(url, args.workers, args.gigs))


if __name__ == "__main__":
    main()
