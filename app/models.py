"""Import every domain's models so that ``Base.metadata`` knows all tables (Alembic, tests)."""

from app.audit import models as audit_models
from app.core import idempotency
from app.core.db import Base
from app.identity import models as identity_models

__all__ = ["Base", "audit_models", "identity_models", "idempotency"]
