"""Import every domain's models so that ``Base.metadata`` knows all tables (Alembic, tests)."""

from app.core.db import Base

__all__ = ["Base"]
