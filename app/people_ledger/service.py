"""The people ledger's use cases: imports, reads (masked; unmasked reads audited), follow-ups."""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.core.clock import Clock, local_date
from app.core.keyset import TIME_ID, created_key
from app.core.pagination import Page
from app.core.queue import defer
from app.core.security import Security
from app.core.text import scrub
from app.identity.idcard import validate_id_number
from app.identity.models import StaffAccount
from app.people_ledger import figures, repository, views
from app.people_ledger.codes import CATEGORY_LABELS, STATUS_AFTER_FOLLOW_UP, STATUS_LABELS
from app.people_ledger.columns import MAX_FILE_BYTES
from app.people_ledger.errors import (
    REFUSALS,
    FileTooLarge,
    FollowUpInFuture,
    ImportNotFound,
    JobUnknown,
    PersonNotFound,
)
from app.people_ledger.models import LedgerFollowUp, LedgerImport, LedgerPerson
from app.people_ledger.schemas import (
    AssistanceRate,
    CountItem,
    FollowUpCreate,
    FollowUpRead,
    ImportListItem,
    ImportRead,
    LedgerStats,
    PersonIdentityRead,
    PersonListItem,
    PersonRead,
    PlatformApplication,
    PlatformHire,
    PlatformRecords,
    PlatformTraining,
)
from app.people_ledger.tasks import FILE_CONTEXT, import_job
from app.people_ledger.workbook import WorkbookRefused, inspect


async def start_import(
    session: AsyncSession,
    security: Security,
    *,
    data: bytes,
    file_name: str | None,
    actor: StaffAccount,
) -> LedgerImport:
    """Check the upload (size, type, headers, row count), keep it sealed, queue the worker."""
    if len(data) > MAX_FILE_BYTES:
        raise FileTooLarge(details={"max_bytes": MAX_FILE_BYTES})
    try:
        await anyio.to_thread.run_sync(inspect, data)
    except WorkbookRefused as refused:
        raise REFUSALS[refused.reason](refused.message, details=refused.details or None) from None
    job = LedgerImport(
        uploaded_by=actor.id,
        file_name=scrub(file_name or "")[:200] or "upload.xlsx",
        file_size=len(data),
        file_sha256=hashlib.sha256(data).hexdigest(),
        file_sealed=security.cipher.seal_bytes(data, context=FILE_CONTEXT),
        status="queued",
    )
    session.add(job)
    await session.flush()
    await defer(session, [import_job(job.id)])
    await audit.record(
        session,
        actor_kind="staff",
        actor_id=actor.id,
        action="people_ledger.import_started",
        subject_kind="ledger_import",
        subject_id=job.id,
        details={"file_sha256": job.file_sha256, "file_size": job.file_size},
    )
    return job


async def list_imports(
    session: AsyncSession, *, cursor: str | None, limit: int
) -> Page[ImportListItem]:
    rows = await repository.list_imports(session, after=TIME_ID.decode(cursor), limit=limit)
    return TIME_ID.page(rows, limit, created_key, views.import_item)


async def read_import(session: AsyncSession, import_id: uuid.UUID) -> ImportRead:
    job = await repository.get_import(session, import_id)
    if job is None:
        raise ImportNotFound()
    return views.import_read(job)


async def list_people(
    session: AsyncSession,
    security: Security,
    clock: Clock,
    *,
    category: str | None,
    status: str | None,
    area_code: str | None,
    id_number: str | None,
    year: int | None,
    cursor: str | None,
    limit: int,
) -> Page[PersonListItem]:
    today = local_date(clock())
    digest = None
    if id_number is not None:
        number = validate_id_number(id_number, today=today).number
        digest = security.hasher.digest(number, purpose="id_number")
    rows = await repository.list_people(
        session,
        category=category,
        status=status,
        area_code=area_code,
        id_number_hash=digest,
        year=year,
        after=TIME_ID.decode(cursor),
        limit=limit,
    )
    return TIME_ID.page(rows, limit, created_key, lambda p: views.list_item(security, p, today))


async def _person(
    session: AsyncSession, person_id: uuid.UUID, *, lock: bool = False
) -> LedgerPerson:
    person = await repository.get_person(session, person_id, lock=lock)
    if person is None:
        raise PersonNotFound()
    return person


async def read_person(
    session: AsyncSession, security: Security, clock: Clock, person_id: uuid.UUID
) -> PersonRead:
    person = await _person(session, person_id)
    follow_ups = [
        views.follow_up(r[0], r[1]) for r in await repository.follow_ups(session, person.id)
    ]
    return PersonRead(
        **views.list_fields(security, person, local_date(clock())),
        education=person.education,
        school=person.school,
        major=person.major,
        graduated_on=person.graduated_on,
        note=person.note,
        status_changed_at=person.status_changed_at,
        follow_ups=follow_ups,
        platform=await _platform(session, person),
    )


async def _platform(session: AsyncSession, person: LedgerPerson) -> PlatformRecords | None:
    user = await repository.platform_user(session, person.id_number_hash)
    if user is None:
        return None
    return PlatformRecords(
        user_id=user.id,
        applications=[
            PlatformApplication.model_validate(r, from_attributes=True)
            for r in await repository.applications_of(session, user.id)
        ],
        hires=[
            PlatformHire.model_validate(r, from_attributes=True)
            for r in await repository.hires_of(session, user.id)
        ],
        trainings=[
            PlatformTraining.model_validate(r, from_attributes=True)
            for r in await repository.trainings_of(session, user.id)
        ],
    )


async def read_identity(
    session: AsyncSession, security: Security, person_id: uuid.UUID, *, actor: StaffAccount
) -> PersonIdentityRead:
    """Unmasked name, ID number and phone; the read itself is audited (who, whom, when)."""
    person = await _person(session, person_id)
    await audit.record(
        session,
        actor_kind="staff",
        actor_id=actor.id,
        action="people_ledger.read_unmasked",
        subject_kind="ledger_person",
        subject_id=person.id,
    )
    cipher = security.cipher
    return PersonIdentityRead(
        person_id=person.id,
        name=cipher.decrypt(person.name_encrypted, context="real_name"),
        id_number=cipher.decrypt(person.id_number_encrypted, context="id_number"),
        phone=(
            cipher.decrypt(person.phone_encrypted, context="phone")
            if person.phone_encrypted
            else None
        ),
    )


async def add_follow_up(
    session: AsyncSession,
    clock: Clock,
    person_id: uuid.UUID,
    body: FollowUpCreate,
    *,
    actor: StaffAccount,
) -> FollowUpRead:
    """Record a follow-up; it moves the status (explicit ``status``, else by kind)."""
    person = await _person(session, person_id, lock=True)
    if body.job_id is not None and not await repository.job_exists(session, body.job_id):
        raise JobUnknown()
    now = clock()
    if body.happened_at is not None and body.happened_at > now + timedelta(minutes=5):
        raise FollowUpInFuture()
    after = body.status or STATUS_AFTER_FOLLOW_UP.get(body.kind, person.status)
    row = LedgerFollowUp(
        person_id=person.id,
        kind=body.kind,
        happened_at=body.happened_at or now,
        note=body.note,
        job_id=body.job_id,
        status_before=person.status,
        status_after=after,
        staff_id=actor.id,
        created_at=now,
    )
    session.add(row)
    if after != person.status:
        person.status = after
        person.status_changed_at = now
    await session.flush()
    return views.follow_up(row, actor.display_name)


async def stats(session: AsyncSession, year: int) -> LedgerStats:
    total, by_category, by_status = await figures.counts(session, year)
    rate = await figures.assistance_employment_figures(session, year)
    return LedgerStats(
        year=year,
        total=total,
        by_category=[
            CountItem(code=c, name=CATEGORY_LABELS[c], count=n) for c, n in by_category.items()
        ],
        by_status=[CountItem(code=c, name=STATUS_LABELS[c], count=n) for c, n in by_status.items()],
        assistance_employment_rate=AssistanceRate(
            year=year, graduates=rate.graduates, employed=rate.employed, rate=rate.rate
        ),
    )
