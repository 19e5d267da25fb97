"""Excel renderings (openpyxl) of the reports and lists. Each sheet is written from the same
objects the JSON endpoints answer with; totals are real formulas (``=SUM(E2:E24)``) over the
cells above them, so a reader who edits a row sees the total follow."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.bureau.schemas import MonthlyReport, QuarterlyReport

TOTAL_LABEL = "合计"


def _sheet(
    book: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Worksheet:
    sheet = book.create_sheet(title)
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, 2 * len(name) + 4)
    return sheet


def _total_row(sheet: Worksheet, columns: Sequence[int], label_column: int = 1) -> int:
    """Append a 合计 row whose cells in ``columns`` are =SUM over the data rows; its row number."""
    last: int = sheet.max_row
    row = last + 1
    sheet.cell(row=row, column=label_column, value=TOTAL_LABEL).font = Font(bold=True)
    for column in columns:
        letter = get_column_letter(column)
        sheet.cell(row=row, column=column, value=f"=SUM({letter}2:{letter}{last})")
    return row


def _save(book: Workbook) -> bytes:
    del book[book.sheetnames[0]]  # the empty default sheet
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _wrap(sheet: Worksheet, column: int, width: int) -> None:
    sheet.column_dimensions[get_column_letter(column)].width = width
    for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def monthly_workbook(report: MonthlyReport) -> bytes:
    book = Workbook()
    progress = _sheet(
        book,
        "措施进展",
        ("序号", "措施", "牵头单位", "责任单位", "填报条数", "进展", "未填报单位"),
        (
            (
                row.no,
                row.title,
                row.lead or "",
                "、".join(row.units),
                row.entry_count,
                "\n".join(f"【{e.unit}】{e.summary}" for e in row.entries),
                "、".join(row.missing_units),
            )
            for row in report.measures
        ),
    )
    _total_row(progress, [5])
    _wrap(progress, 6, 80)
    _sheet(
        book,
        "平台数据",
        ("指标", "数值", "来源"),
        ((f.label, f.value, f.source) for f in report.platform),
    )
    targets = report.targets
    _sheet(
        book,
        "年度目标",
        (
            "目标",
            "条款",
            "目标值",
            "单位",
            f"完成值（截至{targets.through_month}）",
            "来源",
            "说明",
        ),
        (
            (t.title, t.clause, t.threshold, t.unit, t.value, t.source, t.note or "")
            for t in targets.items
        ),
    )
    for target in targets.items:
        if target.source == "entered":
            detail = _sheet(
                book,
                f"{target.title}填报",
                ("月份", "填报值"),
                ((m.month, m.value) for m in target.months),
            )
            _total_row(detail, [2])
    book.properties.title = f"月调度 {report.month}"
    return _save(book)


def quarterly_workbook(report: QuarterlyReport) -> bytes:
    book = Workbook()
    units = _sheet(
        book,
        "单位对比",
        ("单位", "牵头措施数", "参与措施数", "填报条数", "应填报（措施×月）", "未填报"),
        (
            (
                u.unit,
                u.measures_led,
                u.measures_shared,
                u.entries,
                u.months_expected,
                u.months_missing,
            )
            for u in report.units
        ),
    )
    _total_row(units, [4, 5, 6])
    measures = _sheet(
        book,
        "措施进展",
        ("序号", "措施", "牵头单位", "填报条数", "有进展月数", "本季度无进展"),
        (
            (
                m.no,
                m.title,
                m.lead or "",
                m.entries,
                m.months_with_progress,
                "是" if m.flagged else "",
            )
            for m in report.measures
        ),
    )
    _total_row(measures, [4])
    book.properties.title = f"季通报 {report.quarter}"
    return _save(book)
