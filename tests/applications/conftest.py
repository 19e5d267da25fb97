"""Fixtures of the application tests (helpers live in ``helpers.py``)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from tests.applications.helpers import World, build_world


@pytest.fixture
async def world(session: AsyncSession, app: FastAPI) -> World:
    """Employers A and B (one recruiter and one published job each) and two seekers with phones."""
    return await build_world(session, app)
