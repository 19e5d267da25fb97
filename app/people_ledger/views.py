"""Rows → response shapes: personal fields decrypted only to be masked here."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.core.security import Security
from app.identity.masking import mask_id_number, mask_name, mask_phone
from app.people_ledger.codes import (
    CATEGORY_LABELS,
    FOLLOW_UP_LABELS,
    IMPORT_STATUS_LABELS,
    STATUS_LABELS,
)
from app.people_ledger.models import LedgerFollowUp, LedgerImport, LedgerPerson
from app.people_ledger.schemas import FollowUpRead, ImportListItem, ImportRead, PersonListItem
from app.people_ledger.tasks import MAX_REPORTED_ERRORS
from app.taxonomy.display import area_name, occupation_name


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def list_fields(security: Security, person: LedgerPerson, today: date) -> dict[str, Any]:
    cipher = security.cipher
    phone = (
        cipher.decrypt(person.phone_encrypted, context="phone") if person.phone_encrypted else None
    )
    return {
        "id": person.id,
        "name_masked": mask_name(cipher.decrypt(person.name_encrypted, context="real_name")),
        "id_number_masked": mask_id_number(
            cipher.decrypt(person.id_number_encrypted, context="id_number")
        ),
        "phone_masked": mask_phone(phone) if phone else None,
        "sex": person.sex,
        "age": _age(person.birth_date, today),
        "categories": list(person.categories),
        "category_names": [CATEGORY_LABELS[c] for c in person.categories],
        "status": person.status,
        "status_name": STATUS_LABELS[person.status],
        "area_code": person.area_code,
        "area_name": area_name(person.area_code),
        "wanted_occupation_code": person.wanted_occupation_code,
        "occupation_name": occupation_name(person.wanted_occupation_code),
        "registered_on": person.registered_on,
        "created_at": person.created_at,
    }


def list_item(security: Security, person: LedgerPerson, today: date) -> PersonListItem:
    return PersonListItem(**list_fields(security, person, today))


def follow_up(row: LedgerFollowUp, staff_name: str | None) -> FollowUpRead:
    return FollowUpRead(
        id=row.id,
        kind=row.kind,
        kind_name=FOLLOW_UP_LABELS[row.kind],
        happened_at=row.happened_at,
        note=row.note,
        job_id=row.job_id,
        status_before=row.status_before,
        status_after=row.status_after,
        staff_id=row.staff_id,
        staff_name=staff_name,
        created_at=row.created_at,
    )


def import_fields(job: LedgerImport) -> dict[str, Any]:
    return {
        "id": job.id,
        "status": job.status,
        "status_name": IMPORT_STATUS_LABELS[job.status],
        "file_name": job.file_name,
        "total": job.total,
        "read": job.read,
        "processed": job.processed,
        "created": job.created_count,
        "updated": job.updated_count,
        "unchanged": job.unchanged_count,
        "duplicates": job.duplicate_count,
        "rejected": job.rejected_count,
        "error_count": job.error_count,
        "failure": job.failure,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


def import_item(job: LedgerImport) -> ImportListItem:
    return ImportListItem(**import_fields(job))


def import_read(job: LedgerImport) -> ImportRead:
    return ImportRead(
        **import_fields(job),
        errors=job.errors,
        errors_truncated=job.error_count > min(len(job.errors), MAX_REPORTED_ERRORS),
    )
