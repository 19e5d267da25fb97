"""Staff endpoints of the people ledger (人员清单), under ``/api/v1/admin/people-ledger``.

Who may do what (roles of ``app.identity``; ``admin`` may do everything):

| act | roles |
|---|---|
| template, import, import report | admin |
| list, detail, stats, recommendations | station, reviewer |
| follow-ups, unmasked identity (audited) | station |
"""

from __future__ import annotations

import uuid
from typing import Annotated

import anyio
from fastapi import Depends, File, Path, Query, Request, Response, UploadFile

from app.core.clock import ClockDep, local_date
from app.core.db import SessionDep
from app.core.downloads import XLSX_MEDIA_TYPE, xlsx_attachment
from app.core.idempotency import IdempotencyKeyHeader, idempotent
from app.core.pagination import CursorParam, LimitParam, Page
from app.core.routing import APIRouter
from app.identity.dependencies import AdminStaff, get_security, require_staff
from app.identity.models import StaffAccount
from app.people_ledger import recommendations, service
from app.people_ledger.codes import Category, PersonStatus
from app.people_ledger.columns import MAX_FILE_BYTES
from app.people_ledger.schemas import (
    FollowUpCreate,
    FollowUpRead,
    ImportAccepted,
    ImportListItem,
    ImportRead,
    LedgerStats,
    PersonIdentityRead,
    PersonListItem,
    PersonRead,
    Recommendations,
)
from app.people_ledger.workbook import build_template

router = APIRouter(prefix="/api/v1/admin/people-ledger", tags=["admin-people-ledger"])

LedgerReader = Annotated[StaffAccount, Depends(require_staff("station", "reviewer"))]
LedgerWriter = Annotated[StaffAccount, Depends(require_staff("station"))]
PersonId = Annotated[uuid.UUID, Path(description="人员 id")]


@router.get(
    "/template.xlsx",
    response_class=Response,
    summary="人员清单导入模板",
    responses={
        200: {"content": {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}}
    },
)
async def ledger_template(actor: AdminStaff) -> Response:
    """The import template: sheet `人员清单` (headers in row 1, required ones in red, drop-down
    lists for category, status, street/town, occupation and education), a hidden `代码表`, and
    `填写说明` explaining every column and the merge rules."""
    data = await anyio.to_thread.run_sync(build_template)
    return xlsx_attachment(data, "人员清单导入模板.xlsx", "people-ledger-template.xlsx")


@router.post("/imports", response_model=ImportAccepted, status_code=202, summary="导入人员清单")
async def import_ledger(
    request: Request,
    actor: AdminStaff,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="按模板填写的 .xlsx，不超过 10 MB、50,000 行")],
) -> ImportAccepted:
    """Upload a filled template (multipart field `file`); answers 202 `{id, status: "queued"}`
    and the worker imports it. Poll `GET /imports/{id}` for progress and the report.

    Refused at once: an empty file (422 `people_ledger.file_empty`), not an .xlsx (415
    `people_ledger.file_type`), a damaged one (422 `people_ledger.file_unreadable`), over 10 MB
    (413 `people_ledger.file_too_large`), over 50,000 rows (422 `people_ledger.too_many_rows`),
    missing required columns (422 `people_ledger.headers_missing`) or no data row (422
    `people_ledger.no_rows`)."""
    data = await file.read(MAX_FILE_BYTES + 1)
    job = await service.start_import(
        session, get_security(request), data=data, file_name=file.filename, actor=actor
    )
    return ImportAccepted(id=job.id, status="queued")


@router.get("/imports", response_model=Page[ImportListItem], summary="导入记录")
async def list_imports(
    actor: AdminStaff, session: SessionDep, cursor: CursorParam = None, limit: LimitParam = 20
) -> Page[ImportListItem]:
    """Imports, newest first, with their counts (open one for its errors)."""
    return await service.list_imports(session, cursor=cursor, limit=limit)


@router.get("/imports/{import_id}", response_model=ImportRead, summary="导入进度与报告")
async def read_import(import_id: uuid.UUID, actor: AdminStaff, session: SessionDep) -> ImportRead:
    """Progress (`processed` of `total`) while `running`; when `completed`, the counts
    (`total = created + updated + unchanged + duplicates + rejected`) and every error by row,
    column and reason. `failed`: the file could not be read (`failure` says why)."""
    return await service.read_import(session, import_id)


@router.get("/stats", response_model=LedgerStats, summary="人员清单统计与帮扶就业率")
async def ledger_stats(
    actor: LedgerReader,
    session: SessionDep,
    clock: ClockDep,
    year: Annotated[int | None, Query(ge=2000, le=2099, description="台账年度，默认今年")] = None,
) -> LedgerStats:
    """People of the ledger year by category and by status, and the 帮扶就业率: of the year's
    离校未就业高校毕业生, the share with status 已就业 or a hire through the platform since
    entering the ledger (see docs/people-ledger.md)."""
    return await service.stats(session, year or local_date(clock()).year)


@router.get("", response_model=Page[PersonListItem], summary="人员清单")
async def list_people(
    request: Request,
    actor: LedgerReader,
    session: SessionDep,
    clock: ClockDep,
    category: Category | None = None,
    status: PersonStatus | None = None,
    area_code: Annotated[str | None, Query(max_length=20, pattern=r"^[a-z0-9_]+$")] = None,
    id_number: Annotated[
        str | None,
        Query(pattern=r"^[0-9]{17}[0-9Xx]$", description="完整身份证号码（精确查找一人）"),
    ] = None,
    year: Annotated[int | None, Query(ge=2000, le=2099, description="台账年度")] = None,
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Page[PersonListItem]:
    """The ledger, newest first, masked. Names and phones are encrypted, so there is no text
    search: find one person by their full `id_number` (422 `identity.id_number_invalid` when it
    is not a valid number)."""
    return await service.list_people(
        session,
        get_security(request),
        clock,
        category=category,
        status=status,
        area_code=area_code,
        id_number=id_number,
        year=year,
        cursor=cursor,
        limit=limit,
    )


@router.get("/{person_id}", response_model=PersonRead, summary="人员详情")
async def read_person(
    person_id: PersonId, request: Request, actor: LedgerReader, session: SessionDep, clock: ClockDep
) -> PersonRead:
    """One person, masked, with follow-ups (newest first) and — when they use the
    mini-program under the same ID number — their applications, hires and trainings."""
    return await service.read_person(session, get_security(request), clock, person_id)


@router.get(
    "/{person_id}/identity", response_model=PersonIdentityRead, summary="查看完整身份信息（留痕）"
)
async def read_person_identity(
    person_id: PersonId, request: Request, actor: LedgerWriter, session: SessionDep
) -> PersonIdentityRead:
    """Unmasked name, ID number and phone, for station staff and admins. Every read leaves an
    audit record (`people_ledger.read_unmasked`: who, whom, when)."""
    return await service.read_identity(session, get_security(request), person_id, actor=actor)


@router.post(
    "/{person_id}/follow-ups", response_model=FollowUpRead, status_code=201, summary="记录跟进"
)
async def add_follow_up(
    person_id: PersonId,
    body: FollowUpCreate,
    actor: LedgerWriter,
    session: SessionDep,
    clock: ClockDep,
    key: IdempotencyKeyHeader = None,
) -> FollowUpRead:
    """Record one act of help (contact, job recommended, training, hired) with what was done.
    The person's status follows: `status` when given, else `training` → 培训中 and
    `hired` → 已就业. Send an `Idempotency-Key` so a double click records it once."""
    return await idempotent(
        session,
        key,
        scope=f"staff:{actor.id}:ledger_follow_up:{person_id}",
        body=body,
        produce=lambda: service.add_follow_up(session, clock, person_id, body, actor=actor),
        response_model=FollowUpRead,
    )


@router.get(
    "/{person_id}/recommendations", response_model=Recommendations, summary="为该人员推荐岗位"
)
async def recommend_jobs(
    person_id: PersonId,
    actor: LedgerReader,
    session: SessionDep,
    clock: ClockDep,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> Recommendations:
    """Live postings for the person from the job search: wanted occupation in their street or
    town, then anywhere, then their street or town, then the newest (open to graduates for a
    graduate); `basis` says which."""
    return await recommendations.recommend(session, clock, person_id, limit=limit)
