"""Request and response schemas of the bureau's endpoints (targets, measures, reports)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from app.core.schemas import Body, Integer, ReadSchema

Source = Literal["platform", "entered"]


class FigureRead(ReadSchema):
    key: str
    label: str
    value: int | float | None = Field(description="null：尚无数据（未填报或数据源未上线）")
    source: Source = Field(description="platform：平台数据自动统计；entered：工作人员填报")


class MonthValue(ReadSchema):
    month: str = Field(examples=["2025-06"])
    value: int


class TargetRead(ReadSchema):
    code: str = Field(examples=["recruitment_events"])
    title: str
    clause: str = Field(description="方案条款（二、工作目标 或 重点任务序号）")
    wording: str = Field(description="方案原文")
    threshold: float
    unit: str
    definition: str
    source: Source
    value: float | None = Field(description="本年（截至所选月份）完成值；null 表示暂无数据")
    available: bool = Field(description="false：数据源尚未上线（如人员清单），value 为 null")
    note: str | None = None
    progress_percent: float | None = Field(description="完成值 / 目标值 × 100")
    met: bool | None
    months: list[MonthValue] = Field(description="填报类指标的逐月填报值（平台类为空）")
    references: list[FigureRead] = Field(
        description="相关的参考数据（来源不同，不计入完成值），如平台内录用人数"
    )


class TargetList(ReadSchema):
    year: int
    through_month: str = Field(description="统计截至的月份")
    items: list[TargetRead]


class TargetEntryPut(Body):
    value: Integer = Field(ge=0, le=10_000_000, description="该月数值（如城镇新增就业人数）")
    note: str | None = Field(default=None, max_length=200, description="口径或来源说明")


class TargetEntryRead(ReadSchema):
    target_code: str
    month: str
    value: int
    note: str | None
    entered_by: str | None
    updated_at: datetime


class MeasureRead(ReadSchema):
    no: int
    title: str
    text: str
    responsibility: str = Field(description="方案原文：牵头单位、责任单位")
    lead: str | None = Field(description="牵头单位（方案未列明时为 null）")
    units: list[str] = Field(description="责任单位（含“各行业部门”时任何单位的联络员都可填报）")


class MeasureList(ReadSchema):
    items: list[MeasureRead]
    units: list[str] = Field(description="方案列明的全部单位（联络员账号的所属单位取值）")


class ProgressPut(Body):
    summary: str = Field(min_length=1, max_length=2000, description="本月工作进展")


class ProgressRead(ReadSchema):
    measure_no: int
    month: str
    unit: str
    summary: str
    entered_by: str | None = Field(description="填报人用户名")
    updated_at: datetime


class MonthlyMeasureRow(ReadSchema):
    no: int
    title: str
    lead: str | None
    units: list[str]
    entry_count: int
    entries: list[ProgressRead]
    missing_units: list[str] = Field(description="方案列明但本月未填报的单位")


class MonthlyReport(ReadSchema):
    month: str
    generated_at: datetime
    measures: list[MonthlyMeasureRow]
    entries_total: int = Field(description="本月进展填报条数（各措施 entry_count 之和）")
    platform: list[FigureRead] = Field(description="本月平台数据（source 均为 platform）")
    targets: TargetList = Field(description="年度目标，统计至本月末")


class UnitRow(ReadSchema):
    unit: str
    measures_led: int = Field(description="牵头的措施数")
    measures_shared: int = Field(description="作为责任单位参与的措施数（不含牵头）")
    entries: int = Field(description="本季度填报的进展条数")
    months_expected: int = Field(description="应填报的（措施 × 已到月份）数")
    months_missing: int = Field(description="其中未填报的数")


class QuarterTotals(ReadSchema):
    entries: int
    months_expected: int
    months_missing: int


class QuarterMeasureRow(ReadSchema):
    no: int
    title: str
    lead: str | None
    units: list[str]
    entries: int
    months_with_progress: int
    flagged: bool = Field(description="true：本季度没有任何单位填报进展")


class QuarterlyReport(ReadSchema):
    quarter: str
    months: list[str] = Field(description="本季度已到的月份（计入应填报）")
    generated_at: datetime
    units: list[UnitRow]
    totals: QuarterTotals
    measures: list[QuarterMeasureRow]
    measures_without_progress: list[int] = Field(description="本季度无进展的措施序号")


class MarketRow(ReadSchema):
    code: str = Field(description="职业代码 / 职业类别代码 / 区域代码")
    name: str
    category: str | None = Field(default=None, description="职业类别代码（按职业统计时）")
    openings: int = Field(description="岗位需求人数：在招岗位招聘人数 + 当月新发零工人数")
    job_openings: int
    gig_openings: int
    postings: int = Field(description="在招岗位数")
    seekers: int = Field(description="求职人数（简历意向、零工技能；人员清单上线后计入）")
    applications: int | None = Field(description="当月投递数（按区域统计时为 null）")
    applications_per_opening: float | None
    ratio: float | None = Field(description="求人倍率：岗位需求人数 / 求职人数；无求职者时为 null")
    median_monthly_pay_fen: int | None = Field(description="在招岗位月薪中位数（分，取区间中点）")
    median_gig_daily_pay_fen: int | None = Field(description="零工日薪中位数（分）")


class TrendPoint(ReadSchema):
    month: str
    openings: int
    seekers: int
    ratio: float | None


class OccupationTrend(ReadSchema):
    code: str
    name: str
    points: list[TrendPoint]


class SupplyDemandRead(ReadSchema):
    month: str
    as_of: datetime = Field(description="在招岗位与求职人数的统计时点（月末或当前时刻）")
    ledger_included: bool = Field(description="人员清单是否已计入求职人数")
    occupations: list[MarketRow]
    categories: list[MarketRow]
    areas: list[MarketRow]
    trend: list[OccupationTrend] = Field(description="近 N 个月各职业的求人倍率")


class ShortageRuleRead(ReadSchema):
    ratio_min: float = Field(description="求人倍率下限")
    consecutive_months: int
    openings_min: int = Field(description="每月岗位需求人数下限")
    text: str


class ShortageItem(ReadSchema):
    code: str
    name: str
    category: str | None
    points: list[TrendPoint] = Field(description="规则考察的各月数据")


class ShortageCatalogueRead(ReadSchema):
    id: uuid.UUID
    status: Literal["draft", "published", "superseded"]
    month: str
    rule: ShortageRuleRead
    items: list[ShortageItem]
    created_at: datetime
    published_at: datetime | None


class ShortageDraftCreate(Body):
    month: str = Field(pattern=r"^20\d{2}-(0[1-9]|1[0-2])$", description="规则考察的最后一个月")


class ShortageItemsPut(Body):
    codes: list[str] = Field(max_length=200, description="保留的职业代码（须为草稿中已有的）")


class ShortageCatalogueList(ReadSchema):
    items: list[ShortageCatalogueRead]


FollowUpAction = Literal["fair", "livestream", "recommendation", "other"]


class VacancyFollowUpCreate(Body):
    action: FollowUpAction = Field(
        description="fair 推送招聘会；livestream 推送直播带岗；recommendation 人岗推荐；other 其他"
    )
    event_id: uuid.UUID | None = Field(default=None, description="推送到的招聘活动（可选）")
    note: str | None = Field(default=None, max_length=500, description="跟进情况")


class VacancyFollowUpRead(ReadSchema):
    id: uuid.UUID
    action: FollowUpAction
    event_id: uuid.UUID | None
    note: str | None
    staff_username: str | None
    created_at: datetime


class VacancyFollowUpList(ReadSchema):
    items: list[VacancyFollowUpRead]


class VacancyRead(ReadSchema):
    kind: Literal["job", "gig"]
    id: uuid.UUID
    title: str
    occupation_code: str | None
    occupation_name: str | None
    area_code: str | None
    employer_id: uuid.UUID | None = Field(description="零工为个人发布时为 null")
    employer_name: str | None
    headcount: int
    filled: int = Field(description="已录用（岗位）/ 已预订（零工）人数")
    applications: int
    published_at: datetime
    open_days: int = Field(description="发布至今的天数")
    reasons: list[Literal["long_unfilled", "few_applicants"]]
    follow_up_count: int
    last_follow_up_action: FollowUpAction | None
    last_follow_up_at: datetime | None


class VacancyGroup(ReadSchema):
    code: str | None
    name: str | None
    postings: int
    unfilled: int = Field(description="未招满人数")


class VacancyList(ReadSchema):
    as_of: datetime
    unfilled_days: int
    max_applicants: int
    total: int = Field(description="符合条件的岗位与零工总数（items 最多列出 limit 条）")
    items: list[VacancyRead]
    by_occupation: list[VacancyGroup]
    by_area: list[VacancyGroup]
    by_employer: list[VacancyGroup]
