"""One row's validation, without a database: what a clerk may type and what is refused."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.identity.idcard import check_character
from app.people_ledger.rows import CellError, LedgerRow, parse_date, parse_row
from tests.people_ledger.helpers import GRADUATE_ID, OLDER_ID, VETERAN_ID, person

TODAY = date(2025, 12, 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-06-30", date(2025, 6, 30)),
        ("2025/6/3", date(2025, 6, 3)),
        ("2025.06.30", date(2025, 6, 30)),
        ("2025年6月30日", date(2025, 6, 30)),
        ("20250630", date(2025, 6, 30)),
        ("２０２５－０６－３０", date(2025, 6, 30)),  # full-width, as typed on a Chinese keyboard
        (datetime(2025, 6, 30, 0, 0), date(2025, 6, 30)),
        (45838, date(2025, 6, 30)),  # an Excel serial number in a cell not formatted as a date
        (None, None),
        ("  ", None),
    ],
)
def test_dates_in_the_forms_clerks_type(value: object, expected: date | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["2025-02-30", "30/06/2025", "明年"])
def test_dates_that_do_not_exist_or_cannot_be_read(value: str) -> None:
    with pytest.raises(ValueError):
        parse_date(value)


def test_a_full_row_reads_labels_codes_and_aliases() -> None:
    row = parse_row(
        2,
        person(
            " 阿依古丽·买买提 ",
            GRADUATE_ID.lower(),
            "离校未就业毕业生，youth",
            手机号码="+86 138-0000-0001",
            就业状态="in_training",
            所在镇街="罕台",
            求职意向="快递小哥",
            学历="大专",
            纳入台账日期="2025-07-15",
        ),
        today=TODAY,
    )
    assert isinstance(row, LedgerRow)
    assert (row.name, row.id_number.number, row.phone) == (
        "阿依古丽·买买提",
        GRADUATE_ID.upper(),
        "13800000001",
    )
    assert row.categories == ("unemployed_graduate", "youth")
    assert (row.status, row.area_code, row.wanted_occupation_code, row.education) == (
        "in_training",
        "hantai",
        "courier",
        "associate",
    )


def test_every_problem_of_a_row_is_reported_with_its_column() -> None:
    errors = parse_row(
        5,
        person(
            "李四",
            VETERAN_ID,
            "超龄有就业意愿人员",
            就业状态="退休",
            学历="小学",
            毕业时间="2026-01-01",
            备注="x" * 201,
        ),
        today=TODAY,
    )
    assert errors == [
        CellError(5, "就业状态", "就业状态“退休”不在可选范围内"),
        CellError(5, "学历", "学历“小学”不在可选范围内"),
        CellError(5, "毕业时间", "毕业时间应在 1950-01-01 至今天之间"),
        CellError(5, "备注", "备注过长（不超过200个字）"),
        CellError(5, "人员类别", "按身份证出生日期，年龄40岁，未达法定退休年龄（50岁）"),
    ]


def test_age_rules_use_the_ledger_day() -> None:
    older = parse_row(2, person("周八", OLDER_ID, "超龄有就业意愿人员"), today=TODAY)
    assert isinstance(older, LedgerRow)
    child = "150602" + "20150101" + "123"
    errors = parse_row(
        3, person("小明", child + check_character(child), "登记失业人员"), today=TODAY
    )
    assert errors == [
        CellError(3, "身份证号码", "按身份证出生日期，年龄10岁，不满16周岁不能纳入人员清单")
    ]
