"""Import every domain's models so that ``Base.metadata`` knows all tables (Alembic, tests)."""

from app.applications import models as application_models
from app.audit import models as audit_models
from app.bureau import models as bureau_models
from app.complaints import models as complaint_models
from app.core import idempotency, ratelimit, read_routing
from app.core.db import Base
from app.employers import models as employer_models
from app.events import models as event_models
from app.files import models as file_models
from app.gigs import models as gig_models
from app.identity import models as identity_models
from app.integrations.wechat import models as wechat_models
from app.internships import models as internship_models
from app.jobs import models as job_models
from app.notifications import models as notification_models
from app.people_ledger import models as people_ledger_models
from app.service_desk import models as service_desk_models
from app.subsidies import models as subsidy_models
from app.subsidy_offers import models as subsidy_offer_models
from app.training import models as training_models

__all__ = [
    "Base",
    "application_models",
    "audit_models",
    "bureau_models",
    "complaint_models",
    "employer_models",
    "event_models",
    "file_models",
    "gig_models",
    "idempotency",
    "identity_models",
    "internship_models",
    "job_models",
    "notification_models",
    "people_ledger_models",
    "ratelimit",
    "read_routing",
    "service_desk_models",
    "subsidy_models",
    "subsidy_offer_models",
    "training_models",
    "wechat_models",
]
