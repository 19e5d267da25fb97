"""一网可办: people and organisations apply for subsidies and follow their applications."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Body, Depends, Request, Response

from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.idempotency import IdempotencyKeyHeader, idempotent
from app.core.pagination import CursorParam, LimitParam, Page
from app.core.routing import APIRouter
from app.core.security import KeyedHasher
from app.identity.dependencies import CurrentUser, SecurityDep
from app.integrations.storage.local import LocalStorage
from app.subsidies import listing, service, views
from app.subsidies.schemas import (
    SubsidyApplicationCreate,
    SubsidyApplicationListItem,
    SubsidyApplicationRead,
    SubsidyResubmit,
)

router = APIRouter(prefix="/api/v1", tags=["subsidies"])

_CREATE_EXAMPLES = {
    "graduate": {
        "summary": "高校毕业生本人申请中小企业就业一次性生活补贴",
        "value": {
            "policy_code": "graduate-sme-living",
            "applicant": {"kind": "person"},
            "period": "2025",
            "facts": {
                "person": {
                    "is_college_graduate": True,
                    "left_school_on": "2024-07-01",
                    "unemployed_since_leaving_school": True,
                    "employments": [
                        {
                            "employer_in_district": True,
                            "employer_is_sme": True,
                            "start_date": "2025-01-15",
                            "contract_months": 36,
                            "insured_months": 7,
                        }
                    ],
                }
            },
            "material_file_ids": [],
        },
    }
}


def _hasher(security: SecurityDep) -> KeyedHasher:
    return security.hasher


Hasher = Annotated[KeyedHasher, Depends(_hasher)]


@router.post(
    "/subsidy-applications",
    response_model=SubsidyApplicationRead,
    status_code=201,
    summary="申请补贴",
)
async def submit_subsidy_application(
    body: Annotated[SubsidyApplicationCreate, Body(openapi_examples=_CREATE_EXAMPLES)],
    user: CurrentUser,
    session: SessionDep,
    hasher: Hasher,
    clock: ClockDep,
    key: IdempotencyKeyHeader = None,
) -> SubsidyApplicationRead:
    """Apply for a computable policy as yourself (`applicant.kind=person`) or for a verified
    unit you are a member of (`organisation` + `employer_id`, e.g. an HR agency's referrals).
    Real-name verification is required (403 `identity.real_name_required`).

    `facts` are the calculator's; what the service knows is filled in or corrected (your ID's
    birth date, the unit's kind and SME status) and listed in `known_facts`. On a list, give each
    person's 18-digit ID number as `person_key`: only its keyed hash and a masked number are kept.
    The rules engine decides at once, together with the policies of the same 就高不重复 group
    (an agency's list is split between the 500 and 800 rows): ineligible → 422
    `subsidy.ineligible` with every reason in `details`; eligible or needs-review → 201 with the
    full decision record and `expected_amount_fen`. A second open application for the same
    recipient, policy group and `period` → 409 `subsidy.duplicate`. Upload materials first
    (`POST /api/v1/files`) and send their ids. Send an `Idempotency-Key`: a retry returns the
    first answer; the same key with another body → 422 `idempotency.key_reused`.
    """
    now = clock()

    async def produce() -> SubsidyApplicationRead:
        application = await service.submit(session, hasher, user, body, now)
        return await views.full(session, application)

    return await idempotent(
        session,
        key,
        scope=f"user:{user.id}:submit_subsidy_application",
        body=body,
        produce=produce,
        response_model=SubsidyApplicationRead,
    )


@router.get(
    "/me/subsidy-applications",
    response_model=Page[SubsidyApplicationListItem],
    summary="我的补贴申请",
)
async def list_my_subsidy_applications(
    user: CurrentUser, session: SessionDep, cursor: CursorParam = None, limit: LimitParam = 20
) -> Page[SubsidyApplicationListItem]:
    """Your applications and those of the units you are a member of, newest first."""
    return await listing.mine(session, user, cursor, limit)


@router.get(
    "/subsidy-applications/{application_id}",
    response_model=SubsidyApplicationRead,
    summary="补贴申请详情",
)
async def get_subsidy_application(
    application_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> SubsidyApplicationRead:
    """One application with its facts, the engine's decision record, materials and status
    history. Only the applicant and members of the applying unit can see it; others get 404."""
    application = await service.get_readable(session, user, application_id)
    return await views.full(session, application)


@router.post(
    "/subsidy-applications/{application_id}/resubmit",
    response_model=SubsidyApplicationRead,
    summary="补充材料后重新提交",
)
async def resubmit_subsidy_application(
    application_id: uuid.UUID,
    body: SubsidyResubmit,
    user: CurrentUser,
    session: SessionDep,
    hasher: Hasher,
    clock: ClockDep,
) -> SubsidyApplicationRead:
    """Answer a return (status `returned`, see `return_note`): add material file ids and/or
    send corrected `facts`. The engine decides again with the latest award records; the
    application goes back to `submitted`. Other statuses → 409 `subsidy.transition_invalid`."""
    application = await service.resubmit(session, hasher, user, application_id, body, clock())
    return await views.full(session, application)


@router.get(
    "/subsidy-applications/{application_id}/files/{file_id}",
    response_class=Response,
    summary="下载申请材料",
    responses={200: {"content": {"application/octet-stream": {"schema": {"type": "string"}}}}},
)
async def download_material(
    application_id: uuid.UUID,
    file_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    request: Request,
) -> Response:
    """A material of an application you may read (also one a co-member of your unit uploaded).
    Staff read materials with `GET /api/v1/files/{file_id}`."""
    stored = await listing.material(session, user, application_id, file_id)
    data = await LocalStorage(request.app.state.settings.storage.root).read(stored.storage_key)
    return Response(
        content=data,
        media_type=stored.content_type,
        headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
    )
