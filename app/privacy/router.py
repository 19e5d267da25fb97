"""The account itself: a copy of everything held (个人信息副本) and deletion (账号注销)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import BackgroundTasks, Depends, Request, Response
from pydantic import BeforeValidator, Field

from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.routing import APIRouter
from app.core.schemas import Schema
from app.identity.dependencies import CurrentUser, current_or_deleted_user, get_security
from app.identity.models import User
from app.integrations.storage.local import LocalStorage
from app.privacy import erasure, export
from app.privacy.schemas import AccountExport

router = APIRouter(prefix="/api/v1/me", tags=["me"])


def _json_true_only(value: object) -> object:
    if not isinstance(value, bool):  # 1 == True in Python; only JSON true confirms
        raise ValueError("confirm 必须为 true")
    return value


class AccountDeletion(Schema):
    confirm: Annotated[Literal[True], BeforeValidator(_json_true_only)] = Field(
        description="必须为 true：确认注销（不可恢复）"
    )


async def _remove_bytes(storage: LocalStorage, keys: list[str]) -> None:
    for key in keys:
        await storage.delete(key)


@router.get("/export", response_model=AccountExport, summary="导出我的个人信息副本")
async def export_me(
    user: CurrentUser, request: Request, session: SessionDep, clock: ClockDep
) -> AccountExport:
    """Everything the service holds about the caller, as one JSON document (PIPL art. 45).

    Profile with the **full** phone number, real name and ID number (it is the caller's own
    data; the read is recorded in the audit log), consents, resume, job applications with the
    resume each employer received, employment and internships, favourites, reports, employer
    memberships, gig profile, postings, applications, bookings and ratings, appointments, event
    registrations, training enrolments, complaints, subsidy applications and awards, and the
    list of uploaded files (metadata; download each with `GET /api/v1/files/{id}`). Offer it as
    a download or show it; do not cache it on the device longer than needed.
    """
    return await export.export_account(session, get_security(request), user, clock())


@router.delete("", status_code=204, summary="注销账号")
async def delete_me(
    body: AccountDeletion,
    user: Annotated[User, Depends(current_or_deleted_user)],
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    background: BackgroundTasks,
) -> Response:
    """Delete the caller's account (账号注销). Send `{"confirm": true}`; cannot be undone.

    Personal data is erased: profile, phone, real name and ID number, resume, the resumes in
    job applications, gig profile, favourites, uploaded files, notes and messages; future
    appointments, event registrations and course seats are cancelled. Every login ends at once
    (refresh tokens are deleted, access tokens stop working). Records the law requires — subsidy
    applications and awards, employment records, complaint cases, the audit log — are kept
    under an anonymous id without name, phone or ID number.

    Logging in again with the same WeChat account afterwards creates a **new, empty** account.
    Repeating the request with the old token answers 204 again. Refused with 409 while the
    caller is the owner of an employer (`account.employer_owner`: transfer ownership first), has
    a subsidy application in progress (`account.subsidy_open`) or a gig in progress
    (`account.gigs_active`). Ask the user to confirm in the UI before calling.
    """
    done = await erasure.delete_account(session, user, clock())
    if done.storage_keys:
        storage = LocalStorage(request.app.state.settings.storage.root)
        background.add_task(_remove_bytes, storage, done.storage_keys)  # after the commit
    return Response(status_code=204)
