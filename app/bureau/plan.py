"""The district plan as data: its 2025 targets and its numbered measures with their units.

Source: seed/000_ae89ef67c4eeb691.txt (东胜区就业促进行动方案（征求意见稿）). The plan numbers 23
measures (三、重点任务 1–23); all are kept, in the plan's order.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

TargetSource = Literal["platform", "entered"]

# Two units appear under two names in the plan; progress is reported per unit, so each unit
# has one name. The plan's own words stay in ``Measure.responsibility``.
UNIT_ALIASES = {"区市场局": "区市场监督管理局", "区生态环境局": "区生态环境分局"}

EVERY_SECTOR = "各行业部门"
"""Not a unit but "every sector department": a measure naming it accepts progress from the
liaison of any unit, while only the units it names are counted as missing a month."""


@dataclass(frozen=True)
class Measure:
    no: int
    title: str
    text: str
    responsibility: str  # the plan's words: （牵头单位：…；责任单位：…）
    lead: str | None  # 牵头单位, when the plan names one
    units: tuple[str, ...]  # 责任单位, normalised

    def involves(self, unit: str) -> bool:
        """True when ``unit`` leads or shares this measure (EVERY_SECTOR admits every unit)."""
        return unit == self.lead or unit in self.units or EVERY_SECTOR in self.units

    def named_units(self) -> tuple[str, ...]:
        """The units the plan names (lead first), without the EVERY_SECTOR placeholder."""
        named = ((self.lead,) if self.lead else ()) + self.units
        return tuple(u for u in dict.fromkeys(named) if u != EVERY_SECTOR)


@dataclass(frozen=True)
class Target:
    code: str
    title: str
    clause: str
    wording: str  # the plan's words
    threshold: float
    unit: str
    source: TargetSource
    definition: str


TARGETS: tuple[Target, ...] = (
    Target(
        code="new_urban_employment",
        title="城镇新增就业",
        clause="二、工作目标",
        wording="2025年城镇新增就业6500人以上",
        threshold=6500,
        unit="人",
        source="entered",
        definition="官方统计口径的城镇新增就业人数，平台无法看到全部就业，由工作人员按月填报；"
        "年度值为当年各月填报数之和。平台内录用人数另列为参考，不计入本指标。",
    ),
    Target(
        code="recruitment_events",
        title="各类招聘活动",
        clause="6",
        wording="2025年组织各类招聘活动不少于40场",
        threshold=40,
        unit="场",
        source="platform",
        definition="当年已举办（开始时间已到、未取消）的招聘会、专场招聘、赴外招聘与直播带岗场次。",
    ),
    Target(
        code="assisted_employment_rate",
        title="离校未就业高校毕业生帮扶就业率",
        clause="10",
        wording="帮扶就业率达90%以上",
        threshold=90,
        unit="%",
        source="platform",
        definition="人员清单中离校未就业高校毕业生已就业的比例，由人员清单计算；人员清单上线前为空。",
    ),
    Target(
        code="youth_job_training",
        title="青年求职能力实训",
        clause="10",
        wording="2025年计划至少组织2期青年求职能力实训",
        threshold=2,
        unit="期",
        source="platform",
        definition="当年已开班（开班日已到、未取消）且面向青年或高校毕业生的培训课程期数。",
    ),
)


@cache
def targets_by_code() -> dict[str, Target]:
    return {t.code: t for t in TARGETS}


@cache
def measures() -> tuple[Measure, ...]:
    from app.bureau.measures_data import MEASURES

    return MEASURES


@cache
def measures_by_no() -> dict[int, Measure]:
    return {m.no: m for m in measures()}


@cache
def units() -> tuple[str, ...]:
    """Every unit the plan names, in order of first mention (EVERY_SECTOR excluded)."""
    seen: dict[str, None] = {}
    for measure in measures():
        seen.update(dict.fromkeys(measure.named_units()))
    return tuple(seen)
