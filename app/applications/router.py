"""Resumes, job applications and employment events over HTTP."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Body, Query, Request, Response

from app.applications import listing, resume_service, service
from app.applications.pipeline import ApplicationStatus
from app.applications.resume_schemas import ResumeRead, ResumeWrite
from app.applications.schemas import (
    ApplicationDetail,
    EmployerApplicationItem,
    EmploymentEventRead,
    MyApplicationItem,
    StatusUpdate,
    WithdrawRequest,
)
from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.idempotency import IdempotencyKeyHeader, idempotent
from app.core.pagination import CursorParam, LimitParam, Page
from app.core.routing import APIRouter
from app.identity.dependencies import CurrentUser, get_security

router = APIRouter(prefix="/api/v1", tags=["applications"])

StatusFilter = Annotated[ApplicationStatus | None, Query(description="按投递状态筛选")]


@router.get("/me/resume", response_model=ResumeRead, summary="我的简历")
async def get_my_resume(user: CurrentUser, session: SessionDep) -> Any:
    """The caller's resume. 404 `resume.not_found` until it is first saved with `PUT`."""
    return await resume_service.read_resume(session, user)


@router.put("/me/resume", response_model=ResumeRead, summary="保存我的简历")
async def put_my_resume(
    body: ResumeWrite, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> Any:
    """Create or replace the caller's resume as a whole (send every section each time).

    * `education`: up to 10 entries; `degree` is an education code (`none`, `junior_middle`,
      `senior_high`, `associate`, `bachelor`, `master`, `doctorate`); `start_date` (optional)
      must be before `graduation_date`, which may lie in the future for students.
    * `work_history`: up to 20 entries; `end_date` empty means 至今; no dates in the future.
    * `skills` (≤ 30 tags of ≤ 20 characters), `certificates` (≤ 20).
    * `expected_occupation_codes` (≤ 5 occupation or category codes), `expected_area_codes`
      (≤ 5 town/street codes), `expected_salary` in fen with its unit (`month`/`day`/`hour`).
    * `self_introduction` ≤ 1000 characters.

    Each application keeps a snapshot of the resume as it was when sent, so editing it later
    does not change what employers already received.
    """
    return await resume_service.save_resume(session, clock, user, body)


@router.post(
    "/jobs/{job_id}/applications",
    response_model=ApplicationDetail,
    status_code=201,
    summary="投递岗位",
    responses={200: {"model": ApplicationDetail, "description": "已投递过：返回原投递记录"}},
)
async def apply_to_job(
    job_id: uuid.UUID,
    user: CurrentUser,
    request: Request,
    response: Response,
    session: SessionDep,
    clock: ClockDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Any:
    """Apply to a job with the current resume (a snapshot is stored with the application).

    Once per job and person: applying again — a retry, a double tap, with or without the same
    `Idempotency-Key` — answers **200** with the existing application instead of **201**. After
    withdrawing, applying again reopens the same application with a fresh resume snapshot.

    Refusals: `identity.phone_required` (403, bind a phone first so the employer can call),
    `application.resume_required` (409, fill in the resume first), `job.closed`, `job.expired`,
    `job.not_published` (409), `application.own_employer` (409), `job.not_found` (404).
    """
    security = get_security(request)
    created = False

    async def produce() -> ApplicationDetail:
        nonlocal created
        detail, created = await service.apply(session, clock, security, user, job_id)
        return detail

    detail = await idempotent(
        session,
        idempotency_key,
        scope=f"user:{user.id}:apply:{job_id}",
        body=None,
        produce=produce,
        response_model=ApplicationDetail,
    )
    response.status_code = 201 if created else 200
    return detail


@router.post(
    "/applications/{application_id}/withdraw",
    response_model=ApplicationDetail,
    summary="撤回投递",
)
async def withdraw_application(
    application_id: uuid.UUID,
    user: CurrentUser,
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    body: Annotated[WithdrawRequest | None, Body()] = None,
) -> Any:
    """The applicant withdraws their application (any status before hired/rejected).

    Withdrawing an already withdrawn application answers with it unchanged. After withdrawal the
    employer no longer sees the phone number in full. 409 `application.illegal_transition` once
    hired or rejected; 404 for anyone but the applicant.
    """
    note = body.note if body is not None else None
    return await service.withdraw(session, clock, get_security(request), user, application_id, note)


@router.get("/applications/{application_id}", response_model=ApplicationDetail, summary="投递详情")
async def get_application(
    application_id: uuid.UUID,
    user: CurrentUser,
    request: Request,
    session: SessionDep,
    clock: ClockDep,
) -> Any:
    """One application with its job, resume snapshot, full status history and, after a hire, the
    employment record. Readable by the applicant and by members of the employer it was sent to
    (`viewer_role` says which); `applicant` (name, phone) is filled for the employer only.
    The first time an employer member opens it, the applicant is told (简历被查看, once)."""
    return await service.get_detail(session, clock, get_security(request), user, application_id)


@router.post(
    "/applications/{application_id}/status",
    response_model=ApplicationDetail,
    summary="更新投递状态",
)
async def update_application_status(
    application_id: uuid.UUID,
    body: StatusUpdate,
    user: CurrentUser,
    request: Request,
    session: SessionDep,
    clock: ClockDep,
) -> Any:
    """Employer members move an application along the pipeline:
    `submitted → viewed → interview → offered → hired`, or `rejected` from any open status.

    Moves go forward only (skipping a stage is allowed); `hired`, `rejected` and `withdrawn` are
    final; `withdrawn` is the applicant's own action (`POST /applications/{id}/withdraw`).
    Anything else is 409 `application.illegal_transition` with `details.from` / `details.to`.

    `hired` needs `employment` (`start_date`, `contract_type`, `contract_months` for fixed-term
    contracts, `is_first_contract` if known): it is recorded as an employment event that
    statistics and subsidy checks use. Every change is kept in the history with who and when.
    Non-members get 404.

    `interview` may carry `interview_at` and `interview_place` (other statuses: 422); the
    applicant is told of every step in the inbox and by subscribe message (投递进度更新), with
    the interview's time and place when given.
    """
    security = get_security(request)
    return await service.change_status(session, clock, security, user, application_id, body)


@router.get("/me/applications", response_model=Page[MyApplicationItem], summary="我的投递")
async def list_my_applications(
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    status: StatusFilter = None,
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Any:
    """The caller's applications, newest first, with each job's summary (`job.is_open` tells
    whether it still recruits) and the current status."""
    return await listing.my_applications(
        session, clock, user, status=status, cursor=cursor, limit=limit
    )


@router.get(
    "/jobs/{job_id}/applications",
    response_model=Page[EmployerApplicationItem],
    summary="岗位收到的投递",
)
async def list_job_applications(
    job_id: uuid.UUID,
    user: CurrentUser,
    request: Request,
    session: SessionDep,
    status: StatusFilter = None,
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Any:
    """Applications to one job, newest first — for members of the job's employer only (anyone
    else gets 404 `job.not_found`).

    Each item carries the resume snapshot and `applicant`: the real name (or nickname) and phone
    in full, because the person applied to this employer (`contact_visible: true`). If the person
    withdrew, or switched off phone calls in their contact preferences, both are masked."""
    return await listing.job_applications(
        session, get_security(request), user, job_id, status=status, cursor=cursor, limit=limit
    )


@router.get(
    "/me/employment-events",
    response_model=Page[EmploymentEventRead],
    summary="我的入职记录",
)
async def list_my_employment_events(
    user: CurrentUser, session: SessionDep, cursor: CursorParam = None, limit: LimitParam = 20
) -> Any:
    """Hires recorded by employers through applications (start date, contract type and length),
    newest first. Subsidy checks read these records."""
    return await listing.my_employment_events(session, user, cursor=cursor, limit=limit)
