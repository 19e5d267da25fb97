"""Job seekers' side endpoints: favourites, reports and saved searches."""

from __future__ import annotations

import uuid

from fastapi import Response, status

from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.pagination import CursorParam, LimitParam, Page
from app.core.routing import APIRouter
from app.identity.dependencies import CurrentUser
from app.jobs import favourites, reports, saved_searches
from app.jobs.saved_search_schemas import SavedSearchCreate, SavedSearchRead
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


@router.post(
    "/me/saved-searches", response_model=SavedSearchRead, status_code=201, summary="订阅搜索"
)
async def create_saved_search(
    body: SavedSearchCreate, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> SavedSearchRead:
    """保存一组岗位筛选条件（与 `GET /api/v1/jobs` 相同，不含排序和分页）。此后每天 09:00
    若有新发布且符合任一订阅的岗位，发送一条「订阅岗位每日推荐」通知（每人每天最多一条）。
    每人最多 10 个，超过 409 `saved_search.limit`；只给 lat 或 lng 之一 422。"""
    return await saved_searches.create(session, clock(), user, body)


@router.get("/me/saved-searches", response_model=list[SavedSearchRead], summary="我的订阅搜索")
async def list_saved_searches(user: CurrentUser, session: SessionDep) -> list[SavedSearchRead]:
    """我保存的订阅搜索，最早保存的在前（最多 10 个，不分页）。打开其一时，用 `criteria`
    调用 `GET /api/v1/jobs` 即得结果。"""
    return await saved_searches.list_mine(session, user)


@router.delete(
    "/me/saved-searches/{search_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="删除订阅搜索",
)
async def delete_saved_search(
    search_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> Response:
    """删除一个订阅搜索；不存在或不是自己的 404 `saved_search.not_found`。"""
    await saved_searches.remove(session, user, search_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
