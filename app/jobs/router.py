"""Job endpoints: search, post, edit, close, detail, poster code."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Response, status

from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.idempotency import IdempotencyKeyHeader, idempotent
from app.core.pagination import CursorParam, LimitParam, Page
from app.core.routing import APIRouter
from app.identity.dependencies import CurrentUser
from app.jobs import search_service, service, wxacode
from app.jobs.dependencies import CurrentViewer, ReadSession, WeChat
from app.jobs.schemas import JobCreate, JobRead, JobUpdate
from app.jobs.search_schemas import JobListItem, JobSearchParams

router = APIRouter(tags=["jobs"])


@router.get("/jobs", response_model=Page[JobListItem], summary="搜索岗位")
async def search_jobs(
    params: Annotated[JobSearchParams, Query()], session: ReadSession, clock: ClockDep
) -> Page[JobListItem]:
    """搜索岗位（只返回已发布且未过期的岗位）。

    * `q`：中文关键词，用与建索引相同的 jieba 分词（职业词典保证“快递员”“月嫂”“网约车”不被切开）；
      多个词须**全部**命中。搜“快递员”不会返回只提到“快递”的岗位。
    * 筛选：`category` 职业大类、`occupation` 职业、`industry`、`job_type`、`salary_min_fen`
      （折算月薪：日薪×21.75、时薪×174；返回薪资上限不低于该值的岗位）、`area_code` 镇街、
      `education`（我的学历）、`open_to_graduates`、`employer_id`、`posted_within_days`。
    * 附近：`lat` + `lng`（+ `radius_km`，默认 10，最大 50），结果带 `distance_km`。
    * 相关度（relevance）：标题或职业名命中的岗位靠前（相当于新 30 天），其次越新越靠前；
      带 `lat`/`lng` 时越近越靠前（每公里相当于旧 1 天）。多个词时按命中标题的词数比例计分。
    * `sort`：relevance / newest / distance / salary；游标分页，顺序稳定，
      翻页期间有新岗位发布也不会重复或遗漏。
    * 不返回总数。
    """
    return await search_service.search_jobs(session, clock, params)


@router.post(
    "/jobs", response_model=JobRead, status_code=status.HTTP_201_CREATED, summary="发布岗位"
)
async def create_job(
    body: JobCreate,
    user: CurrentUser,
    session: SessionDep,
    wechat: WeChat,
    clock: ClockDep,
    key: IdempotencyKeyHeader = None,
) -> JobRead:
    """发布岗位（本人须为该单位成员，单位须已认证，否则 403 `employer.not_verified`）。

    发布前审核：
    * 法律禁止的招聘要求（限性别、民族、户籍、婚育、乙肝等）→ 422 `job.content_refused`，
      `details.findings` 列出命中的规则与原文片段，修改后重新提交；
    * 微信内容安全检测 `risky` → 422 `job.content_risky`；
    * 疑似诈骗（押金、培训费、薪资明显偏高…）、性别偏好、微信建议复核 →
      岗位以 `pending_review` 保存，`moderation` 说明原因，工作人员审核通过后发布；
    * 其余直接 `published`。
    支持 `Idempotency-Key`：重试只会创建一个岗位。
    """
    return await idempotent(
        session,
        key,
        scope=f"user:{user.id}:create_job",
        body=body,
        produce=lambda: _create(session, clock, wechat, user, body),
        response_model=JobRead,
    )


async def _create(
    session: SessionDep, clock: ClockDep, wechat: WeChat, user: CurrentUser, body: JobCreate
) -> JobRead:
    job = await service.create_job(session, clock, wechat, user, body)
    return await service.read_job(session, clock, job.id, user)


@router.get("/jobs/{job_id}", response_model=JobRead, summary="岗位详情")
async def get_job(
    job_id: uuid.UUID, session: ReadSession, viewer: CurrentViewer, clock: ClockDep
) -> JobRead:
    """岗位详情，含单位概况与认证徽章（`employer.is_verified`）。
    未发布（待审核、被驳回、已关闭）的岗位只有本单位成员和工作人员能看到，其他人 404。
    过期岗位仍可打开（`is_expired` = true，`can_apply` = false）。`moderation` 仅成员可见。"""
    return await service.read_job(session, clock, job_id, viewer.user, staff=viewer.staff)


@router.put("/jobs/{job_id}", response_model=JobRead, summary="修改岗位")
async def update_job(
    job_id: uuid.UUID,
    body: JobUpdate,
    user: CurrentUser,
    session: SessionDep,
    wechat: WeChat,
    clock: ClockDep,
) -> JobRead:
    """修改岗位（本单位成员）。整体替换：请求体与发布时相同（不含 `employer_id`），
    未传的可选字段取默认值；每次修改都重新按规则审核，
    标题或描述改动时还会重新做微信内容安全检测，结果可能变为 `pending_review`。
    已关闭的岗位不能修改（409 `job.closed`）；其他单位的岗位 404。"""
    job = await service.update_job(session, clock, wechat, user, job_id, body)
    return await service.read_job(session, clock, job.id, user)


@router.post("/jobs/{job_id}/close", response_model=JobRead, summary="关闭岗位")
async def close_job(
    job_id: uuid.UUID, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> JobRead:
    """关闭岗位（下架，不可恢复；重复关闭无副作用）。"""
    job = await service.close_job(session, clock, user, job_id)
    return await service.read_job(session, clock, job.id, user)


@router.get(
    "/jobs/{job_id}/wxacode",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}, "description": "小程序码 PNG"}},
    summary="岗位小程序码",
)
async def get_job_wxacode(
    job_id: uuid.UUID, session: SessionDep, viewer: CurrentViewer, wechat: WeChat
) -> Response:
    """岗位海报用的小程序码（PNG）。扫码打开 `pages/jobs/detail`，`scene` 为岗位 id 的 32 位十六进制
    （可直接用作 `GET /jobs/{job_id}` 的 id）。首次生成后缓存。"""
    png = await wxacode.job_wxacode(session, wechat, job_id, viewer.user)
    return Response(
        content=png, media_type="image/png", headers={"Cache-Control": "public, max-age=86400"}
    )


@router.get("/employers/{employer_id}/jobs", response_model=Page[JobRead], summary="本单位岗位")
async def list_employer_jobs(
    employer_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    cursor: CursorParam = None,
    limit: LimitParam = 20,
) -> Page[JobRead]:
    """本单位的全部岗位（任何状态，含审核信息），最新创建的在前。仅单位成员可用。"""
    return await service.employer_jobs(session, clock, user, employer_id, cursor, limit)
