"""Demo data: a small, clearly labelled sample, loaded idempotently.

Each domain has a seeder in this package (``app.demo.<domain>``, above every domain: no domain
imports the demo); ``seed_demo`` runs them in order in one transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import get_settings
from app.core.db import create_engine, create_sessionmaker

Seeder = Callable[[AsyncSession], Awaitable[int]]


def _seeders() -> list[tuple[str, Seeder]]:
    """Seeders in dependency order (people and staff first, then what refers to them)."""
    from app.demo import events as events_demo
    from app.demo import service_desk as services_demo
    from app.demo.applications import seed_applications
    from app.demo.employers import seed_employers
    from app.demo.gigs import seed_gig_market
    from app.demo.identity import seed_staff
    from app.demo.jobs import seed_jobs
    from app.demo.subsidies import seed_subsidy_applications

    return [
        ("staff", seed_staff),
        ("service_items", services_demo.seed_service_items),
        ("stations", services_demo.seed_stations),
        ("appointment_slots", services_demo.seed_slots),
        ("employers", seed_employers),
        ("jobs", seed_jobs),
        ("applications", seed_applications),
        ("subsidy_applications", seed_subsidy_applications),
        ("events", events_demo.seed_events),
        ("training_courses", events_demo.seed_training_courses),
        ("gig_market", seed_gig_market),
    ]


async def _is_empty(session: AsyncSession) -> bool:
    """No people and no staff yet: a fresh database."""
    has_rows = await session.execute(
        text('SELECT EXISTS (SELECT 1 FROM "user") OR EXISTS (SELECT 1 FROM staff_account)')
    )
    return not has_rows.scalar_one()


async def seed_demo(database_url: str, *, only_if_empty: bool) -> dict[str, int]:
    """Run every seeder; with ``only_if_empty`` do nothing when the database has data."""
    engine = create_engine(get_settings(), database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            if only_if_empty and not await _is_empty(session):
                return {}
            counts = {name: await seeder(session) for name, seeder in _seeders()}
            await session.commit()
            return counts
    finally:
        await engine.dispose()
