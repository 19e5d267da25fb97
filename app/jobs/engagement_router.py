"""Job seekers' side endpoints: favourites and reports."""

from __future__ import annotations

import uuid

from fastapi import Response, status

from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.pagination import CursorParam, LimitParam, Page
from app.core.routing import APIRouter
from app.identity.dependencies import CurrentUser
from app.jobs import favourites, reports
from app.jobs.schemas import FavouriteRead, ReportCreate, ReportRead

router = APIRouter(tags=["jobs"])


@router.put(
    "/jobs/{job_id}/favourite",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="收藏岗位",
)
async def add_favourite(
    job_id: uuid.UUID, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> Response:
    """收藏岗位（重复收藏无副作用）。只能收藏在招岗位，否则 404。"""
    await favourites.add(session, clock, user, job_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/jobs/{job_id}/favourite",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="取消收藏",
)
async def remove_favourite(job_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Response:
    """取消收藏（未收藏时也返回 204）。"""
    await favourites.remove(session, user, job_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me/favourites", response_model=Page[FavouriteRead], summary="我的收藏")
async def list_favourites(
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Page[FavouriteRead]:
    """我的收藏，最近收藏的在前。已下架或过期的岗位仍列出，`available` = false。"""
    return await favourites.list_mine(session, clock, user, cursor, limit)


@router.post(
    "/jobs/{job_id}/reports",
    response_model=ReportRead,
    status_code=status.HTTP_201_CREATED,
    summary="举报岗位",
)
async def report_job(
    job_id: uuid.UUID, body: ReportCreate, user: CurrentUser, session: SessionDep
) -> ReportRead:
    """举报岗位（虚假招聘、就业歧视、拖欠工资、其他）。同一岗位在处理完之前只能举报一次
    （409 `job_report.duplicate`）。工作人员处理后可在举报记录中看到结果。"""
    return await reports.file_report(session, user, job_id, body)
