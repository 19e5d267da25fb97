"""One spreadsheet row → one validated ledger entry, or the list of what is wrong with it.

Pure functions (no database): the worker calls them for every row, the tests call them directly.
Every message is Chinese and names the problem so a clerk can fix the cell.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from app.core.text import forbidden_character
from app.identity.idcard import IdNumber, IdNumberInvalid, validate_id_number
from app.people_ledger.codes import CATEGORY_BY_WORD, OVER_RETIREMENT_AGE, STATUS_BY_WORD, YOUTH
from app.taxonomy import loader
from app.taxonomy.enums import EducationLevel

_PHONE = re.compile(r"1[3-9][0-9]{9}")
_NAME = re.compile(r"[^\W\d_]+(?:[·•. ][^\W\d_]+)*")
_SEPARATORS = re.compile(r"[、,，;；/\s]+")
_DATE_PATTERNS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_EXCEL_EPOCH = date(1899, 12, 30)
_EARLIEST = date(1950, 1, 1)
MIN_AGE = 16
YOUTH_AGES = (16, 24)
# The lowest statutory retirement ages (female workers 50, men 60): a plausibility check of the
# 超龄 category, not a pension decision.
RETIREMENT_AGE = {"male": 60, "female": 50}
EDUCATION_BY_WORD = {e.label: e.value for e in EducationLevel} | {
    e.value: e.value for e in EducationLevel
}


@dataclass(frozen=True, slots=True)
class CellError:
    row: int
    column: str
    message: str


@dataclass(slots=True)
class LedgerRow:
    """A valid row: what it says about one person (``None``: the cell was empty)."""

    row: int
    name: str
    id_number: IdNumber
    phone: str | None
    categories: tuple[str, ...]
    status: str | None
    area_code: str | None
    wanted_occupation_code: str | None
    education: str | None
    school: str | None
    major: str | None
    graduated_on: date | None
    registered_on: date | None
    note: str | None


@dataclass(slots=True)
class _Row:
    number: int
    cells: Mapping[str, Any]
    errors: list[CellError] = field(default_factory=list)

    def fail(self, header: str, message: str) -> None:
        self.errors.append(CellError(self.number, header, message))


def text_of(value: Any) -> str | None:
    """A cell as trimmed text (NFKC: full-width digits become digits), or None when blank."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date().isoformat()
    elif isinstance(value, float) and value.is_integer():
        value = str(int(value))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return text or None


def _free_text(row: _Row, header: str, limit: int) -> str | None:
    text = text_of(row.cells.get(header))
    if text is None:
        return None
    if forbidden_character(text) is not None:
        row.fail(header, f"{header}含有不允许的字符")
        return None
    if len(text) > limit:
        row.fail(header, f"{header}过长（不超过{limit}个字）")
        return None
    return text


def _name(row: _Row) -> str | None:
    header = "姓名"
    text = text_of(row.cells.get(header))
    if text is None:
        row.fail(header, "姓名不能为空")
        return None
    text = " ".join(text.split())
    if len(text) > 30:
        row.fail(header, "姓名过长（不超过30个字）")
    elif forbidden_character(text) is not None or not _NAME.fullmatch(text):
        row.fail(header, "姓名只能包含文字，不能有数字或符号")
    else:
        return text
    return None


def _id_number(row: _Row, today: date) -> IdNumber | None:
    header = "身份证号码"
    value = row.cells.get(header)
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 1e15:
        row.fail(header, "身份证号码被存成了数字（后几位已丢失），请把该列设为文本格式后重新填写")
        return None
    try:
        return validate_id_number(text_of(value) or "", today=today)
    except IdNumberInvalid as error:
        row.fail(header, error.message)
        return None


def _phone(row: _Row) -> str | None:
    header = "手机号码"
    text = text_of(row.cells.get(header))
    if text is None:
        return None
    digits = re.sub(r"[\s-]", "", text).removeprefix("+86")
    if not _PHONE.fullmatch(digits):
        row.fail(header, "手机号码应为以1开头的11位数字")
        return None
    return digits


def _categories(row: _Row) -> tuple[str, ...]:
    header = "人员类别"
    text = text_of(row.cells.get(header))
    if text is None:
        row.fail(header, "人员类别不能为空")
        return ()
    found: list[str] = []
    for word in filter(None, _SEPARATORS.split(text)):
        code = CATEGORY_BY_WORD.get(word)
        if code is None:
            row.fail(header, f"人员类别“{word[:20]}”不在可选范围内")
        elif code not in found:
            found.append(code)
    return tuple(found)


def _choice(row: _Row, header: str, table: Mapping[str, str], what: str) -> str | None:
    text = text_of(row.cells.get(header))
    if text is None:
        return None
    code = table.get(text)
    if code is None:
        row.fail(header, f"{what}“{text[:20]}”不在可选范围内")
    return code


def parse_date(value: Any) -> date | None:
    """A date cell (a real date, an Excel serial number, or text in a common Chinese form)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 80_000:
        return _EXCEL_EPOCH + timedelta(days=int(value))
    text = text_of(value)
    if text is None:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            try:
                return date(*(int(part) for part in match.groups()))
            except ValueError:
                raise ValueError("日期不存在") from None
    raise ValueError("日期格式应为 2025-06-30")


def _date(row: _Row, header: str, today: date) -> date | None:
    value = row.cells.get(header)
    if text_of(value) is None:
        return None
    try:
        day = parse_date(value)
    except ValueError as error:
        row.fail(header, f"{header}无法识别：{error}")
        return None
    if day is None:
        return None
    if day < _EARLIEST or day > today:
        row.fail(header, f"{header}应在 1950-01-01 至今天之间")
        return None
    return day


def _age_rules(row: _Row, person: IdNumber, categories: tuple[str, ...], on: date) -> None:
    age = person.age_on(on)
    header = "人员类别"
    if age < MIN_AGE:
        row.fail("身份证号码", f"按身份证出生日期，年龄{age}岁，不满16周岁不能纳入人员清单")
        return
    if YOUTH in categories and not YOUTH_AGES[0] <= age <= YOUTH_AGES[1]:
        row.fail(header, f"按身份证出生日期，纳入台账时{age}岁，不属于16—24岁青年")
    if OVER_RETIREMENT_AGE in categories and age < RETIREMENT_AGE[person.sex]:
        limit = RETIREMENT_AGE[person.sex]
        row.fail(header, f"按身份证出生日期，年龄{age}岁，未达法定退休年龄（{limit}岁）")


def parse_row(number: int, cells: Mapping[str, Any], *, today: date) -> LedgerRow | list[CellError]:
    """Validate one row (``cells`` by header text); every problem of the row is reported."""
    row = _Row(number, cells)
    name = _name(row)
    person = _id_number(row, today)
    phone = _phone(row)
    categories = _categories(row)
    status = _choice(row, "就业状态", STATUS_BY_WORD, "就业状态")
    area = _choice(row, "所在镇街", _areas(), "镇街")
    occupation = _choice(row, "求职意向", _occupations(), "职业")
    education = _choice(row, "学历", EDUCATION_BY_WORD, "学历")
    school = _free_text(row, "毕业院校", 100)
    major = _free_text(row, "所学专业", 100)
    graduated_on = _date(row, "毕业时间", today)
    registered_on = _date(row, "纳入台账日期", today)
    note = _free_text(row, "备注", 200)
    if person is not None and categories:
        _age_rules(row, person, categories, registered_on or today)
    if row.errors or name is None or person is None:
        return row.errors
    return LedgerRow(
        row=number,
        name=name,
        id_number=person,
        phone=phone,
        categories=categories,
        status=status,
        area_code=area,
        wanted_occupation_code=occupation,
        education=education,
        school=school,
        major=major,
        graduated_on=graduated_on,
        registered_on=registered_on,
        note=note,
    )


@cache
def _areas() -> dict[str, str]:
    table: dict[str, str] = {}
    for area in loader.areas():
        table.update({area.code: area.code, area.name: area.code, area.short_name: area.code})
    return table


@cache
def _occupations() -> dict[str, str]:
    table = {term: occupation.code for term, occupation in loader.occupations_by_term().items()}
    for occupation in loader.occupations():
        table.update({occupation.code: occupation.code, occupation.name: occupation.code})
    return table
