"""The workbook's columns: header text, whether required, and the notes the template shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

SHEET_NAME: Final = "人员清单"
NOTES_SHEET: Final = "填写说明"
LISTS_SHEET: Final = "代码表"
MAX_FILE_BYTES: Final = 10 * 1024 * 1024
MAX_ROWS: Final = 50_000
FIRST_DATA_ROW: Final = 2  # row 1 holds the headers


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    required: bool
    note: str
    width: int = 14


COLUMNS: Final = (
    Column("name", "姓名", True, "必填，与身份证一致，不超过 30 个字", 10),
    Column(
        "id_number",
        "身份证号码",
        True,
        "必填，18 位居民身份证号码（末位可为 X）；请保持文本格式",
        22,
    ),
    Column("phone", "手机号码", False, "11 位手机号码", 14),
    Column(
        "categories",
        "人员类别",
        True,
        "必填，可多个，用顿号“、”分隔：登记失业人员、离校未就业高校毕业生、16—24岁青年、"
        "就业困难人员、退役军人、超龄有就业意愿人员",
        26,
    ),
    Column(
        "status", "就业状态", False, "求职中、培训中、已就业、暂无就业意愿；新人员留空为求职中", 12
    ),
    Column("area", "所在镇街", False, "东胜区的街道或镇，从下拉列表选择", 14),
    Column("occupation", "求职意向", False, "意向职业（工种），从下拉列表选择，用于岗位推荐", 16),
    Column("education", "学历", False, "不限、初中、高中/中专、大专、本科、硕士、博士", 10),
    Column("school", "毕业院校", False, "高校毕业生填写", 20),
    Column("major", "所学专业", False, "高校毕业生填写", 16),
    Column("graduated_on", "毕业时间", False, "日期，如 2025-06-30", 12),
    Column("registered_on", "纳入台账日期", False, "日期，如 2025-07-15；留空为导入当天", 14),
    Column("note", "备注", False, "不超过 200 个字", 24),
)
COLUMN_BY_HEADER: Final = {column.header: column for column in COLUMNS}
REQUIRED_HEADERS: Final = tuple(column.header for column in COLUMNS if column.required)
