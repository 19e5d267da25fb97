"""Staff endpoints of the bureau: the plan's targets, measures and liaison progress, and the
月调度 / 季通报 reports (JSON and .xlsx)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated, Any, Literal

from fastapi import Depends, Path, Query, Response

from app.bureau import (
    exports,
    measures,
    reports,
    shortage,
    supply_demand,
    targets,
    vacancies,
    workbook,
)
from app.bureau.dependencies import LedgerDep, MonthPath, MonthQuery, QuarterQuery
from app.bureau.periods import Month
from app.bureau.schemas import (
    MeasureList,
    MonthlyReport,
    ProgressPut,
    ProgressRead,
    QuarterlyReport,
    ShortageCatalogueList,
    ShortageCatalogueRead,
    ShortageDraftCreate,
    ShortageItemsPut,
    SupplyDemandRead,
    TargetEntryPut,
    TargetEntryRead,
    TargetList,
    VacancyFollowUpCreate,
    VacancyFollowUpList,
    VacancyFollowUpRead,
    VacancyList,
)
from app.core.clock import ClockDep, local_date
from app.core.db import SessionDep
from app.core.downloads import XLSX_MEDIA_TYPE, xlsx_attachment
from app.core.routing import APIRouter
from app.identity.dependencies import (
    AdminStaff,
    CurrentStaff,
    LiaisonStaff,
    require_staff,
)
from app.identity.models import StaffAccount

router = APIRouter(prefix="/admin", tags=["bureau"])

XLSX_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {XLSX_MEDIA_TYPE: {}}, "description": "Excel 工作簿（.xlsx）"}
}
TargetCode = Annotated[
    str, Path(max_length=40, pattern=r"^[a-z_]+$", examples=["new_urban_employment"])
]
MeasureNo = Annotated[int, Path(ge=1, le=99, description="措施序号（方案重点任务 1–23）")]


@router.get("/targets", response_model=TargetList, summary="年度目标完成情况")
async def get_targets(
    staff: CurrentStaff,
    session: SessionDep,
    clock: ClockDep,
    ledger: LedgerDep,
    year: Annotated[int | None, Query(ge=2024, le=2099, description="年份（默认今年）")] = None,
) -> TargetList:
    """方案的年度目标（城镇新增就业、招聘活动场次、帮扶就业率、青年求职能力实训期数）及当年完成值。

    每项写明 `source`：`platform` 由平台数据自动统计，`entered` 由工作人员按月填报（年度值为各月
    之和）；两种来源从不相加，平台内录用人数只作为 `references` 参考列出。帮扶就业率来自人员清单，
    清单上线前 `available=false`、`value=null`。本年统计至当前月份，往年统计全年
    （平台数据只计到当前时刻）。
    """
    now = clock()
    current = Month.containing(now)
    through = current if year is None or year == current.year else Month(year, 12)
    return await targets.target_figures(session, ledger, through, now)


@router.put(
    "/targets/{code}/entries/{month}", response_model=TargetEntryRead, summary="填报目标月度数"
)
async def put_target_entry(
    code: TargetCode,
    month: MonthPath,
    body: TargetEntryPut,
    staff: AdminStaff,
    session: SessionDep,
    clock: ClockDep,
) -> TargetEntryRead:
    """填报（或更正）某月的官方统计数（目前只有 `new_urban_employment` 城镇新增就业）。
    平台自动统计的指标不能填报（409 `bureau.target_computed`）。留审计记录（前后值）。"""
    return await targets.put_entry(session, staff, code, month, body, clock())


@router.get("/measures", response_model=MeasureList, summary="方案重点任务清单")
async def list_measures(staff: CurrentStaff) -> MeasureList:
    """方案“重点任务”的全部措施（序号、原文、牵头单位、责任单位），以及全部单位名称。"""
    return measures.list_measures()


@router.put(
    "/measures/{no}/progress/{month}", response_model=ProgressRead, summary="填报措施月度进展"
)
async def put_measure_progress(
    no: MeasureNo,
    month: MonthPath,
    body: ProgressPut,
    staff: LiaisonStaff,
    session: SessionDep,
    clock: ClockDep,
) -> ProgressRead:
    """联络员填报本单位在某项措施上的当月进展（整体替换，可更正）。只能填报本单位牵头或负责的
    措施（含“各行业部门”的措施任何单位都可填报），不能填报未来月份。留审计记录。"""
    return await measures.put_progress(session, staff, no, month, body, clock())


@router.get("/reports/monthly", response_model=MonthlyReport, summary="月调度报表")
async def get_monthly_report(
    month: MonthQuery, staff: CurrentStaff, session: SessionDep, clock: ClockDep, ledger: LedgerDep
) -> MonthlyReport:
    """月调度：当月各措施的单位进展与未填报单位、当月平台数据、年度目标（统计至当月末）。"""
    return await reports.monthly_report(session, ledger, month, clock())


@router.get(
    "/reports/monthly.xlsx",
    response_class=Response,
    responses=XLSX_RESPONSE,
    summary="月调度报表（Excel）",
)
async def get_monthly_report_xlsx(
    month: MonthQuery, staff: CurrentStaff, session: SessionDep, clock: ClockDep, ledger: LedgerDep
) -> Response:
    """与 `GET /admin/reports/monthly` 相同的数据，合计为 Excel 公式。"""
    report = await reports.monthly_report(session, ledger, month, clock())
    content = await asyncio.to_thread(workbook.monthly_workbook, report)
    return xlsx_attachment(content, f"月调度-{month}.xlsx", f"monthly-{month}.xlsx")


@router.get("/reports/quarterly", response_model=QuarterlyReport, summary="季通报")
async def get_quarterly_report(
    quarter: QuarterQuery,
    staff: CurrentStaff,
    session: SessionDep,
    clock: ClockDep,
) -> QuarterlyReport:
    """季通报：各单位牵头/参与措施数、填报条数、未填报（措施×月）数；本季度无进展的措施。
    只统计已到的月份。"""
    return await reports.quarterly_report(session, quarter, clock())


@router.get(
    "/reports/quarterly.xlsx",
    response_class=Response,
    responses=XLSX_RESPONSE,
    summary="季通报（Excel）",
)
async def get_quarterly_report_xlsx(
    quarter: QuarterQuery,
    staff: CurrentStaff,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    """与 `GET /admin/reports/quarterly` 相同的数据，合计为 Excel 公式。"""
    report = await reports.quarterly_report(session, quarter, clock())
    content = await asyncio.to_thread(workbook.quarterly_workbook, report)
    return xlsx_attachment(
        content, f"季通报-{quarter.label}.xlsx", f"quarterly-{quarter.label}.xlsx"
    )


@router.get("/supply-demand", response_model=SupplyDemandRead, summary="人力资源市场供求分析")
async def get_supply_demand(
    month: MonthQuery,
    staff: CurrentStaff,
    session: SessionDep,
    clock: ClockDep,
    ledger: LedgerDep,
    months: Annotated[int, Query(ge=1, le=12, description="趋势覆盖的月数")] = 6,
) -> SupplyDemandRead:
    """按职业、职业类别、区域统计岗位需求人数（月末在招岗位招聘人数 + 当月新发零工人数）与
    求职人数（简历求职意向、零工技能；人员清单上线后计入），当月投递数、每个岗位需求的投递数、
    在招岗位月薪中位数，以及近 `months` 个月的求人倍率。按求人倍率从高到低排列。"""
    return await supply_demand.supply_demand(session, ledger, month, clock(), months)


@router.post(
    "/shortage-catalogue/drafts",
    response_model=ShortageCatalogueRead,
    status_code=201,
    summary="生成急需紧缺职业目录草稿",
)
async def create_shortage_draft(
    body: ShortageDraftCreate,
    staff: AdminStaff,
    session: SessionDep,
    clock: ClockDep,
    ledger: LedgerDep,
) -> ShortageCatalogueRead:
    """按规则（见 `rule.text`：连续 2 个月岗位需求人数不少于 10 人且求人倍率不低于 1.5）
    生成截至 `month` 的急需紧缺职业（工种）目录草稿，供审核。留审计记录。"""
    month = Month.parse(body.month)
    return await shortage.create_draft(session, staff, ledger, month, clock())


@router.get(
    "/shortage-catalogue/drafts",
    response_model=ShortageCatalogueList,
    summary="急需紧缺职业目录列表",
)
async def list_shortage_catalogues(
    staff: CurrentStaff, session: SessionDep
) -> ShortageCatalogueList:
    """最近 20 份目录（草稿、已发布、已被替代），新的在前。"""
    return ShortageCatalogueList(items=await shortage.recent_catalogues(session))


@router.get(
    "/shortage-catalogue/drafts/{catalogue_id}",
    response_model=ShortageCatalogueRead,
    summary="急需紧缺职业目录详情",
)
async def get_shortage_catalogue(
    catalogue_id: uuid.UUID, staff: CurrentStaff, session: SessionDep
) -> ShortageCatalogueRead:
    """一份目录：规则、各职业及规则考察各月的数据。"""
    return await shortage.get_catalogue(session, catalogue_id)


@router.put(
    "/shortage-catalogue/drafts/{catalogue_id}/items",
    response_model=ShortageCatalogueRead,
    summary="审核目录草稿（保留的职业）",
)
async def put_shortage_items(
    catalogue_id: uuid.UUID, body: ShortageItemsPut, staff: AdminStaff, session: SessionDep
) -> ShortageCatalogueRead:
    """审核草稿：只保留 `codes` 中的职业（须为草稿中已有的）。只有草稿可改。留审计记录。"""
    return await shortage.keep_items(session, staff, catalogue_id, body.codes)


@router.post(
    "/shortage-catalogue/drafts/{catalogue_id}/publish",
    response_model=ShortageCatalogueRead,
    summary="发布急需紧缺职业目录",
)
async def publish_shortage_catalogue(
    catalogue_id: uuid.UUID, staff: AdminStaff, session: SessionDep, clock: ClockDep
) -> ShortageCatalogueRead:
    """发布草稿；此前发布的目录变为 `superseded`。发布后小程序通过
    `GET /api/v1/shortage-occupations` 读取。留审计记录。"""
    return await shortage.publish(session, staff, catalogue_id, clock())


FieldStaff = Annotated[StaffAccount, Depends(require_staff("station", "reviewer"))]
PostingKind = Annotated[Literal["job", "gig"], Path(description="job 岗位；gig 零工")]


@router.get("/vacancies", response_model=VacancyList, summary="岗位清单（有活没人干）")
async def list_vacancies(
    staff: CurrentStaff,
    session: SessionDep,
    clock: ClockDep,
    unfilled_days: Annotated[int, Query(ge=1, le=365, description="发布超过 N 天仍未招满")] = 30,
    max_applicants: Annotated[
        int, Query(ge=0, le=100, description="或投递数不超过 M（且未招满）")
    ] = 2,
    kind: Annotated[Literal["job", "gig"] | None, Query(description="只看岗位或零工")] = None,
    occupation: Annotated[str | None, Query(max_length=40, description="职业代码")] = None,
    area: Annotated[str | None, Query(max_length=20, description="区域代码")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> VacancyList:
    """在招岗位与未开工零工中，未招满且（发布超过 `unfilled_days` 天或投递数不超过
    `max_applicants`）的，按发布时间先后列出（最多 `limit` 条），并按职业、区域、单位分组汇总
    （分组覆盖全部符合条件的，不受 `limit` 限制）。每条带跟进次数和最近一次跟进。"""
    return await vacancies.vacancy_list(
        session,
        clock(),
        unfilled_days=unfilled_days,
        max_applicants=max_applicants,
        kind=kind,
        occupation=occupation,
        area=area,
        limit=limit,
    )


@router.post(
    "/vacancies/{kind}/{posting_id}/follow-ups",
    response_model=VacancyFollowUpRead,
    status_code=201,
    summary="记录岗位跟进",
)
async def create_vacancy_follow_up(
    kind: PostingKind,
    posting_id: uuid.UUID,
    body: VacancyFollowUpCreate,
    staff: FieldStaff,
    session: SessionDep,
) -> VacancyFollowUpRead:
    """记录对难招岗位或零工的跟进：推送到招聘会（`fair`）、直播带岗（`livestream`）、人岗推荐
    （`recommendation`）或其他。留审计记录。"""
    return await vacancies.add_follow_up(session, staff, kind, posting_id, body)


@router.get(
    "/vacancies/{kind}/{posting_id}/follow-ups",
    response_model=VacancyFollowUpList,
    summary="岗位跟进记录",
)
async def list_vacancy_follow_ups(
    kind: PostingKind, posting_id: uuid.UUID, staff: CurrentStaff, session: SessionDep
) -> VacancyFollowUpList:
    """一个岗位或零工的全部跟进记录，按时间先后。"""
    return VacancyFollowUpList(items=await vacancies.follow_ups(session, kind, posting_id))


@router.get(
    "/exports/policies.xlsx",
    response_class=Response,
    responses=XLSX_RESPONSE,
    summary="政策清单（Excel）",
)
async def export_policies(staff: CurrentStaff, clock: ClockDep) -> Response:
    """政策清单现状（与 `GET /api/v1/policies` 不加筛选时的条目逐一相同），标明导出日期。"""
    on = local_date(clock())
    content = await asyncio.to_thread(exports.policy_workbook, exports.current_policies(), on)
    return xlsx_attachment(content, f"政策清单-{on}.xlsx", f"policies-{on}.xlsx")


@router.get(
    "/exports/service-items.xlsx",
    response_class=Response,
    responses=XLSX_RESPONSE,
    summary="服务清单（Excel）",
)
async def export_service_items(
    staff: CurrentStaff, session: SessionDep, clock: ClockDep
) -> Response:
    """服务清单现状（与 `GET /api/v1/service-items` 不加筛选时的全部条目相同），标明导出日期。"""
    on = local_date(clock())
    items = await exports.current_service_items(session)
    content = await asyncio.to_thread(exports.service_workbook, items, on)
    return xlsx_attachment(content, f"服务清单-{on}.xlsx", f"service-items-{on}.xlsx")


public_router = APIRouter(tags=["bureau"])


@public_router.get(
    "/shortage-occupations", response_model=ShortageCatalogueRead, summary="急需紧缺职业目录"
)
async def get_published_shortage_occupations(session: SessionDep) -> ShortageCatalogueRead:
    """当前发布的急需紧缺职业（工种）目录（无需登录）。尚未发布时 404
    `bureau.no_published_catalogue`。"""
    return await shortage.published_catalogue(session)
