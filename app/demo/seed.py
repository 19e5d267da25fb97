"""Demo data: a small, clearly labelled sample, loaded idempotently.

Each domain contributes a seeder; ``seed_demo`` runs them in order in one transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import get_settings
from app.core.db import create_engine, create_sessionmaker

Seeder = Callable[[AsyncSession], Awaitable[int]]


def _seeders() -> list[tuple[str, Seeder]]:
    return []


async def _is_empty(session: AsyncSession) -> bool:
    return True


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
