"""Saved job searches (订阅搜索): the criteria kept, and what the list answers."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field, StrictBool, StrictFloat

from app.core.schemas import Body, Integer, ReadSchema, Schema
from app.jobs.schemas import Education, JobType
from app.jobs.search_schemas import MAX_RADIUS_KM

MAX_SAVED_SEARCHES = 10


class SavedSearchCriteria(Schema):
    """The filters of `GET /api/v1/jobs` a saved search keeps (no sort, cursor or limit)."""

    q: str | None = Field(default=None, max_length=50, description="关键词，如 `快递员`")
    category: str | None = Field(default=None, max_length=40, description="职业大类代码")
    occupation: str | None = Field(default=None, max_length=40, description="职业代码")
    industry: str | None = Field(default=None, max_length=40, description="行业代码")
    job_type: JobType | None = None
    salary_min_fen: Integer | None = Field(
        default=None, ge=0, le=100_000_000, description="期望月薪下限（分）"
    )
    area_code: str | None = Field(default=None, max_length=20, description="镇街代码")
    education: Education | None = Field(default=None, description="我的学历")
    open_to_graduates: StrictBool | None = Field(
        default=None, description="true：只看接受应届生的岗位"
    )
    lat: StrictFloat | None = Field(default=None, ge=3.0, le=54.0, description="纬度（附近岗位）")
    lng: StrictFloat | None = Field(default=None, ge=73.0, le=136.0, description="经度")
    radius_km: StrictFloat | None = Field(
        default=None, gt=0, le=MAX_RADIUS_KM, description="半径（公里）"
    )


class SavedSearchCreate(Body):
    name: str = Field(min_length=1, max_length=40, description="名称，如「东胜 快递员」")
    criteria: SavedSearchCriteria = Field(
        description="与 `GET /api/v1/jobs` 相同的筛选条件（lat/lng 须成对）"
    )


class SavedSearchCriteriaRead(ReadSchema):
    q: str | None
    category: str | None
    occupation: str | None
    industry: str | None
    job_type: JobType | None
    salary_min_fen: int | None
    area_code: str | None
    education: Education | None
    open_to_graduates: bool | None
    lat: float | None
    lng: float | None
    radius_km: float | None


class SavedSearchRead(ReadSchema):
    id: uuid.UUID
    name: str
    criteria: SavedSearchCriteriaRead
    created_at: datetime
