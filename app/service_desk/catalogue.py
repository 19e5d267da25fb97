"""The standard service items (服务清单) shipped as data, and loading them into the database."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.service_desk.models import ServiceItem


@cache
def service_item_data() -> tuple[dict[str, Any], ...]:
    """The items of ``data/service_items.json`` (codes are stable identifiers)."""
    raw = resources.files("app.service_desk").joinpath("data/service_items.json").read_text("utf-8")
    items: list[dict[str, Any]] = json.loads(raw)
    return tuple(items)


async def load_service_items(session: AsyncSession) -> int:
    """Insert or refresh every shipped item by code (idempotent); returns how many were written."""
    rows = list(service_item_data())
    stmt = insert(ServiceItem).values(rows)
    updates = {name: stmt.excluded[name] for name in rows[0] if name != "code"}
    stmt = stmt.on_conflict_do_update(
        index_elements=["code"], set_={**updates, "updated_at": func.now()}
    )
    await session.execute(stmt)
    return len(rows)
