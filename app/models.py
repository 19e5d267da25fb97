"""Import every domain's models so that ``Base.metadata`` knows all tables (Alembic, tests)."""

from app.applications import models as application_models
from app.audit import models as audit_models
from app.complaints import models as complaint_models
from app.core import idempotency, ratelimit
from app.core.db import Base
from app.employers import models as employer_models
from app.events import tables as event_tables
from app.files import models as file_models
from app.gigs import models as gig_models
from app.identity import models as identity_models
from app.integrations.wechat import models as wechat_models
from app.jobs import models as job_models
from app.services import models as service_models
from app.subsidies import models as subsidy_models

__all__ = [
    "Base",
    "application_models",
    "audit_models",
    "complaint_models",
    "employer_models",
    "event_tables",
    "file_models",
    "gig_models",
    "idempotency",
    "identity_models",
    "job_models",
    "ratelimit",
    "service_models",
    "subsidy_models",
    "wechat_models",
]
