"""政策清单 and 服务清单 as dated workbooks, built from the very functions that answer
``GET /api/v1/policies`` and ``GET /api/v1/service-items``, so the published lists and the
exports cannot disagree."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy.ext.asyncio import AsyncSession

from app.policies import service as policies
from app.policies.schemas import PolicyListItem, policy_list_item
from app.service_desk import service as service_desk
from app.service_desk.schemas import ServiceItemListItem

HEADER_ROW = 2  # row 1 carries the list's title and date
POLICY_HEADER = (
    "代码",
    "政策",
    "条款",
    "适用对象",
    "申请方",
    "摘要",
    "标准",
    "可在线测算申请",
    "有效期至",
)
SERVICE_HEADER = (
    "代码",
    "服务事项",
    "类别",
    "摘要",
    "办理时限",
    "办结工作日",
    "在线办理",
    "服务站类型",
    "关联政策",
)
APPLICANTS = {"person": "个人", "organisation": "单位"}
PAGE = 100


def current_policies() -> list[PolicyListItem]:
    """The whole catalogue exactly as ``GET /api/v1/policies`` lists it without filters."""
    found = policies.search(keyword=None, audience=None, computable=None, include_general=True)
    return [policy_list_item(p) for p in found]


async def current_service_items(session: AsyncSession) -> list[ServiceItemListItem]:
    """Every page of ``GET /api/v1/service-items`` without filters."""
    items: list[ServiceItemListItem] = []
    cursor: str | None = None
    while True:
        page = await service_desk.list_service_items(
            session, category=None, online=None, station_kind=None, cursor=cursor, limit=PAGE
        )
        items.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            return items


def policy_row(item: PolicyListItem) -> list[Any]:
    return [
        item.code,
        item.title,
        item.clause,
        "、".join(item.audience_labels) or "所有人",
        APPLICANTS[item.applicant],
        item.summary,
        item.amount_text,
        "是" if item.computable else "否",
        item.valid_to.isoformat(),
    ]


def service_row(item: ServiceItemListItem) -> list[Any]:
    return [
        item.code,
        item.name,
        item.category,
        item.summary,
        item.time_limit,
        item.time_limit_days,
        "是" if item.online else "否",
        "、".join(item.station_kinds),
        item.policy_code,
    ]


def _workbook(title: str, on: date, header: Sequence[str], rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append([f"东胜区{title}（截至 {on.isoformat()}，共 {len(rows)} 项）"])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    sheet.append(list(header))
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    book.properties.title = f"{title} {on.isoformat()}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def policy_workbook(items: list[PolicyListItem], on: date) -> bytes:
    return _workbook("政策清单", on, POLICY_HEADER, [policy_row(i) for i in items])


def service_workbook(items: list[ServiceItemListItem], on: date) -> bytes:
    return _workbook("服务清单", on, SERVICE_HEADER, [service_row(i) for i in items])
