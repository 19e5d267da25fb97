"""The contact person's phone of an employer: personal data, stored AES-GCM sealed.

Only members of the employer (``EmployerPrivate``) and reviewing staff (``EmployerAdminRead``)
see it, in full, as before; the column ``employer.contact_phone_encrypted`` never holds digits.
"""

from __future__ import annotations

from typing import TypeVar

from app.core.schemas import ReadSchema
from app.core.security import Security
from app.employers.models import Employer
from app.employers.schemas import EmployerAdminRead, EmployerPrivate

EMPLOYER_CONTACT_PHONE = "employer.contact_phone"
"""The AES-GCM context (associated data): a sealed value decrypts for this column only."""

R = TypeVar("R", bound=ReadSchema)


def seal_contact_phone(security: Security, phone: str) -> str:
    return security.cipher.encrypt(phone, context=EMPLOYER_CONTACT_PHONE)


def contact_phone_of(security: Security, employer: Employer) -> str:
    """The contact phone in clear; empty once the contact person's account was erased."""
    if not employer.contact_phone_encrypted:
        return ""
    return security.cipher.decrypt(employer.contact_phone_encrypted, context=EMPLOYER_CONTACT_PHONE)


def _with_contact(schema: type[R], security: Security, employer: Employer) -> R:
    values = {
        name: getattr(employer, name) for name in schema.model_fields if name != "contact_phone"
    }
    return schema.model_validate({**values, "contact_phone": contact_phone_of(security, employer)})


def private_read(security: Security, employer: Employer) -> EmployerPrivate:
    """What members see beyond the summary (the contact phone in full)."""
    return _with_contact(EmployerPrivate, security, employer)


def admin_read(security: Security, employer: Employer) -> EmployerAdminRead:
    """The reviewer's view (the contact phone in full)."""
    return _with_contact(EmployerAdminRead, security, employer)
