"""Search parameters and the lean list item of ``GET /api/v1/jobs``."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import Field

from app.core.pagination import CURSOR_PATTERN
from app.core.schemas import ReadSchema, Schema
from app.jobs.schemas import Education, JobType, SalaryUnit
from app.taxonomy.display import JobLabels

SearchSort = Literal["relevance", "newest", "distance", "salary"]

MAX_RADIUS_KM = 50.0


class JobSearchParams(Schema):
    q: str | None = Field(
        default=None,
        max_length=50,
        description="关键词（中文分词；多个词须全部命中），如 `快递员`、`东胜 司机 五险一金`",
    )
    category: str | None = Field(default=None, max_length=40, description="职业大类代码")
    occupation: str | None = Field(default=None, max_length=40, description="职业代码")
    industry: str | None = Field(default=None, max_length=40, description="行业代码")
    job_type: JobType | None = None
    salary_min_fen: int | None = Field(
        default=None,
        ge=0,
        le=100_000_000,
        description="期望月薪下限（分）：返回折算月薪上限不低于该值的岗位"
        "（日薪×21.75、时薪×174 折算为月薪）",
    )
    area_code: str | None = Field(default=None, max_length=20, description="镇街代码")
    education: Education | None = Field(
        default=None, description="我的学历：只返回学历要求不高于它的岗位"
    )
    open_to_graduates: bool | None = Field(default=None, description="true：只看接受应届生的岗位")
    employer_id: uuid.UUID | None = None
    posted_within_days: int | None = Field(default=None, ge=1, le=365, description="N 天内发布")
    lat: float | None = Field(default=None, ge=3.0, le=54.0, description="我的纬度（附近岗位）")
    lng: float | None = Field(default=None, ge=73.0, le=136.0, description="我的经度")
    radius_km: float | None = Field(
        default=None, gt=0, le=MAX_RADIUS_KM, description="半径（公里），与 lat/lng 同用，默认 10"
    )
    sort: SearchSort | None = Field(
        default=None,
        description="relevance 相关度（须有 q）· newest 最新 · distance 距离（须有 lat/lng）"
        " · salary 薪资从高到低。默认：有 q 时 relevance，否则有位置时 distance，否则 newest",
    )
    cursor: str | None = Field(
        default=None, max_length=512, pattern=CURSOR_PATTERN, description="上一页的 next_cursor"
    )
    limit: int = Field(default=20, ge=1, le=50)


class JobListItem(ReadSchema, JobLabels):
    """One search hit: just what a list row shows. Open the detail for the rest."""

    id: uuid.UUID
    title: str
    employer_id: uuid.UUID
    employer_name: str
    employer_verified: bool
    occupation_code: str
    job_type: JobType
    salary_min_fen: int
    salary_max_fen: int
    salary_unit: SalaryUnit
    headcount: int
    education: Education
    experience_years: int
    area_code: str
    benefits: list[str]
    open_to_graduates: bool
    published_at: datetime
    valid_until: date
    distance_km: float | None = Field(default=None, description="与 lat/lng 的直线距离（公里）")
