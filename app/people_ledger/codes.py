"""The ledger's closed vocabularies: machine codes with the Chinese labels staff see.

The labels are also the words a spreadsheet may use: an import accepts a label or a code.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final, Literal

Category = Literal[
    "registered_unemployed",
    "unemployed_graduate",
    "youth",
    "hard_to_employ",
    "veteran",
    "over_retirement_age",
]
PersonStatus = Literal["seeking", "in_training", "employed", "not_seeking"]
FollowUpKind = Literal["contact", "job_recommended", "training", "hired"]
ImportStatus = Literal["queued", "running", "completed", "failed"]

GRADUATE: Final = "unemployed_graduate"
YOUTH: Final = "youth"
OVER_RETIREMENT_AGE: Final = "over_retirement_age"
EMPLOYED: Final = "employed"

CATEGORY_LABELS: Final = MappingProxyType(
    {
        "registered_unemployed": "登记失业人员",
        "unemployed_graduate": "离校未就业高校毕业生",
        "youth": "16—24岁青年",
        "hard_to_employ": "就业困难人员",
        "veteran": "退役军人",
        "over_retirement_age": "超龄有就业意愿人员",
    }
)
STATUS_LABELS: Final = MappingProxyType(
    {
        "seeking": "求职中",
        "in_training": "培训中",
        "employed": "已就业",
        "not_seeking": "暂无就业意愿",
    }
)
FOLLOW_UP_LABELS: Final = MappingProxyType(
    {
        "contact": "联系沟通",
        "job_recommended": "推荐岗位",
        "training": "参加培训",
        "hired": "实现就业",
    }
)
IMPORT_STATUS_LABELS: Final = MappingProxyType(
    {"queued": "排队中", "running": "导入中", "completed": "已完成", "failed": "导入失败"}
)

CATEGORIES: Final = tuple(CATEGORY_LABELS)
STATUSES: Final = tuple(STATUS_LABELS)
FOLLOW_UP_KINDS: Final = tuple(FOLLOW_UP_LABELS)
IMPORT_STATUSES: Final = tuple(IMPORT_STATUS_LABELS)

# Other words a bureau's table may use for a category (the return data's own wording).
_CATEGORY_ALIASES = {
    "登记失业": "registered_unemployed",
    "失业人员": "registered_unemployed",
    "离校未就业毕业生": "unemployed_graduate",
    "离校未就业": "unemployed_graduate",
    "高校毕业生": "unemployed_graduate",
    "青年": "youth",
    "16-24岁青年": "youth",
    "16～24岁青年": "youth",
    "就业困难": "hard_to_employ",
    "退役士兵": "veteran",
    "超龄人员": "over_retirement_age",
    "超过法定退休年龄有就业意愿人员": "over_retirement_age",
}
_STATUS_ALIASES = {"已就业": "employed", "未就业": "seeking", "培训": "in_training"}


def _lookup(labels: MappingProxyType[str, str], aliases: dict[str, str]) -> dict[str, str]:
    table = {code: code for code in labels}
    table.update({label: code for code, label in labels.items()})
    table.update(aliases)
    return table


CATEGORY_BY_WORD: Final = MappingProxyType(_lookup(CATEGORY_LABELS, _CATEGORY_ALIASES))
STATUS_BY_WORD: Final = MappingProxyType(_lookup(STATUS_LABELS, _STATUS_ALIASES))

# A follow-up of these kinds moves the person to this status unless the staff member says
# otherwise in the same follow-up.
STATUS_AFTER_FOLLOW_UP: Final = MappingProxyType({"training": "in_training", "hired": "employed"})
