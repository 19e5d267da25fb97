"""The ledger's Excel side: the template the API serves, and reading an uploaded workbook.

openpyxl is synchronous and CPU-bound: callers run these functions in a worker thread
(``anyio.to_thread``) or in the background worker, never on the event loop.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from app.people_ledger.codes import CATEGORY_LABELS, STATUS_LABELS
from app.people_ledger.columns import (
    COLUMNS,
    FIRST_DATA_ROW,
    LISTS_SHEET,
    MAX_FILE_BYTES,
    MAX_ROWS,
    NOTES_SHEET,
    REQUIRED_HEADERS,
    SHEET_NAME,
)
from app.taxonomy import loader
from app.taxonomy.enums import EducationLevel

_VALIDATED_ROWS = 50_000


class WorkbookRefused(Exception):
    """The upload is not a workbook the ledger can read; ``reason`` is a machine word."""

    def __init__(self, reason: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.details = details or {}


@dataclass(slots=True)
class ReadProgress:
    """Shared with the thread reading a workbook: its size estimate and the rows read so far."""

    estimate: int = 0
    read: int = 0


@dataclass(frozen=True, slots=True)
class Shape:
    """What a quick look at an upload found: the data sheet and its approximate size."""

    sheet: str
    rows: int | None  # from the sheet's dimension record; None when the file omits it


def _lists() -> list[tuple[str, list[str]]]:
    return [
        ("人员类别", list(CATEGORY_LABELS.values())),
        ("就业状态", list(STATUS_LABELS.values())),
        ("所在镇街", [area.name for area in loader.areas()]),
        ("求职意向", [occupation.name for occupation in loader.occupations()]),
        ("学历", [level.label for level in EducationLevel]),
    ]


def build_template() -> bytes:
    """The import template: headers (required ones in red), drop-down lists, a notes sheet."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET_NAME
    _headers(sheet)
    lists = book.create_sheet(LISTS_SHEET)
    for index, (header, values) in enumerate(_lists(), start=1):
        letter = get_column_letter(index)
        lists.cell(1, index, header)
        for row, value in enumerate(values, start=2):
            lists.cell(row, index, value)
        name = f"list_{index}"
        ref = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
        book.defined_names[name] = DefinedName(name, attr_text=ref)
        _validate(sheet, header, name)
    lists.sheet_state = "hidden"
    _notes(book.create_sheet(NOTES_SHEET))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _headers(sheet: Worksheet) -> None:
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(1, index, column.header)
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
        cell.alignment = Alignment(horizontal="center")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.key in ("id_number", "phone"):
            # Text, or Excel turns an 18-digit number into 1.50602E+17 and loses its last digits.
            sheet.column_dimensions[letter].number_format = "@"
        if column.key in ("graduated_on", "registered_on"):
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"


def _validate(sheet: Worksheet, header: str, list_name: str) -> None:
    index = next(i for i, c in enumerate(COLUMNS, start=1) if c.header == header)
    letter = get_column_letter(index)
    many = header == "人员类别"
    rule = DataValidation(
        type="list",
        formula1=f"={list_name}",
        allow_blank=True,
        # Several categories are typed as 「A、B」, which no list holds: warn, never refuse.
        errorStyle="information" if many else "stop",
        showErrorMessage=True,
        error="可填写多个类别，用顿号“、”分隔" if many else "请从下拉列表中选择",
        promptTitle=header,
        prompt="可从列表选择，多个类别用顿号“、”分隔" if many else "请从下拉列表中选择",
        showInputMessage=True,
    )
    rule.add(f"{letter}{FIRST_DATA_ROW}:{letter}{_VALIDATED_ROWS}")
    sheet.add_data_validation(rule)


def _notes(sheet: Worksheet) -> None:
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 8
    sheet.column_dimensions["C"].width = 90
    lines = [
        ("人员清单导入说明", "", ""),
        ("", "", ""),
        ("列名", "必填", "填写要求"),
        *[(c.header, "是" if c.required else "", c.note) for c in COLUMNS],
        ("", "", ""),
        ("规则", "", f"第一行为列名，请勿修改；数据从第 {FIRST_DATA_ROW} 行开始，每行一人。"),
        ("", "", f"每个文件不超过 {MAX_ROWS} 行、{MAX_FILE_BYTES // 1024 // 1024} MB。"),
        (
            "",
            "",
            "同一身份证号码只保留一人：文件内重复的行合并，已在清单中的人员更新其信息，"
            "人员类别取并集，空白单元格不会清除已有信息。",
        ),
        (
            "",
            "",
            "同一文件重复导入不会产生任何变化。有错误的行不导入，导入报告列出行号、列名和原因。",
        ),
    ]
    for row in lines:
        sheet.append(row)
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in sheet[3]:
        cell.font = Font(bold=True)


def _refuse(reason: str, message: str, **details: Any) -> WorkbookRefused:
    return WorkbookRefused(reason, message, details)


def _open(data: bytes) -> Any:
    if not data:
        raise _refuse("empty", "文件为空，请选择填写好的 Excel 文件")
    if not data.startswith(b"PK\x03\x04"):
        raise _refuse("not_xlsx", "文件不是 Excel（.xlsx）格式，请使用导入模板")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise _refuse("not_xlsx", "文件不是 Excel（.xlsx）格式，请使用导入模板")
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except WorkbookRefused:
        raise
    except Exception:  # openpyxl raises many kinds for a damaged archive
        raise _refuse("unreadable", "Excel 文件已损坏或无法读取，请重新保存后上传") from None


def _data_sheet(book: Any) -> Any:
    if SHEET_NAME in book.sheetnames:
        return book[SHEET_NAME]
    return book.worksheets[0]


def _header_map(sheet: Any) -> dict[int, str]:
    first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), None)
    found: dict[int, str] = {}
    for index, value in enumerate(first or ()):
        header = "".join(str(value).split()).strip("*＊") if value is not None else ""
        if header and any(c.header == header for c in COLUMNS):
            found[index] = header
    missing = [h for h in REQUIRED_HEADERS if h not in found.values()]
    if missing:
        raise _refuse(
            "headers",
            f"第 1 行缺少必填列：{'、'.join(missing)}。请使用导入模板，不要修改列名",
            missing=missing,
        )
    return found


def inspect(data: bytes) -> Shape:
    """A quick look at an upload: readable, headers present, not too long, not blank."""
    book = _open(data)
    try:
        sheet = _data_sheet(book)
        headers = _header_map(sheet)
        rows = sheet.max_row - 1 if sheet.max_row else None
        if rows is not None and rows > MAX_ROWS:
            raise _refuse(
                "too_many_rows", f"文件有 {rows} 行数据，超过每次 {MAX_ROWS} 行的上限，请拆分后导入"
            )
        if next(_data_rows(sheet, headers), None) is None:
            raise _refuse("no_rows", "文件中没有数据行，请从第 2 行开始填写")
        return Shape(sheet=sheet.title, rows=rows)
    finally:
        book.close()


def _data_rows(sheet: Any, headers: dict[int, str]) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, values in enumerate(
        sheet.iter_rows(min_row=FIRST_DATA_ROW, values_only=True), start=FIRST_DATA_ROW
    ):
        cells = {h: values[i] for i, h in headers.items() if i < len(values)}
        if any(
            v is not None and not (isinstance(v, str) and not v.strip()) for v in cells.values()
        ):
            yield number, cells


def read_rows(
    data: bytes, progress: ReadProgress | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(row number, {header: value})`` for every non-blank data row.

    Raises ``WorkbookRefused`` for an unreadable file or more than ``MAX_ROWS`` rows.
    """
    progress = progress or ReadProgress()
    book = _open(data)
    try:
        sheet = _data_sheet(book)
        headers = _header_map(sheet)
        progress.estimate = max(0, (sheet.max_row or 1) - 1)
        for seen, (number, cells) in enumerate(_data_rows(sheet, headers), start=1):
            if seen > MAX_ROWS:
                raise _refuse("too_many_rows", f"文件超过每次 {MAX_ROWS} 行的上限，请拆分后导入")
            progress.read = seen
            yield number, cells
    finally:
        book.close()
