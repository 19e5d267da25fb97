"""Small closed vocabularies shared by jobs, gigs, resumes and the demo data.

Each enum value is the stable machine code stored in the database and sent over the API; ``label``
is the Chinese text the mini-program shows.
"""

from __future__ import annotations

from enum import StrEnum


class EducationLevel(StrEnum):
    """Education levels, lowest first; ``education.json`` carries the same codes with ranks."""

    NONE = "none"
    JUNIOR_MIDDLE = "junior_middle"
    SENIOR_HIGH = "senior_high"
    ASSOCIATE = "associate"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"

    @property
    def rank(self) -> int:
        """0 for 不限 up to 6 for 博士; compare ranks, never codes."""
        return _EDUCATION_ORDER.index(self)

    @property
    def label(self) -> str:
        return _EDUCATION_LABELS[self]

    def satisfies(self, wanted: EducationLevel) -> bool:
        """Whether a person with this level meets a posting that asks for ``wanted``."""
        return self.rank >= wanted.rank


_EDUCATION_ORDER = tuple(EducationLevel)
_EDUCATION_LABELS = {
    EducationLevel.NONE: "不限",
    EducationLevel.JUNIOR_MIDDLE: "初中",
    EducationLevel.SENIOR_HIGH: "高中/中专",
    EducationLevel.ASSOCIATE: "大专",
    EducationLevel.BACHELOR: "本科",
    EducationLevel.MASTER: "硕士",
    EducationLevel.DOCTORATE: "博士",
}


class PayUnit(StrEnum):
    """The period a pay amount refers to."""

    MONTH = "month"
    DAY = "day"
    HOUR = "hour"
    PIECE = "piece"

    @property
    def label(self) -> str:
        """``元/月`` and so on, to follow an amount in yuan."""
        return _PAY_UNIT_LABELS[self]


_PAY_UNIT_LABELS = {
    PayUnit.MONTH: "元/月",
    PayUnit.DAY: "元/天",
    PayUnit.HOUR: "元/小时",
    PayUnit.PIECE: "元/件",
}


class JobType(StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    INTERNSHIP = "internship"

    @property
    def label(self) -> str:
        return _JOB_TYPE_LABELS[self]


_JOB_TYPE_LABELS = {
    JobType.FULL_TIME: "全职",
    JobType.PART_TIME: "兼职",
    JobType.INTERNSHIP: "实习",
}


class SkillLevel(StrEnum):
    """A worker's level in one gig skill, lowest first."""

    JUNIOR = "junior"
    INTERMEDIATE = "intermediate"
    SENIOR = "senior"

    @property
    def rank(self) -> int:
        """1 for 初级 up to 3 for 高级."""
        return _SKILL_LEVEL_ORDER.index(self) + 1

    @property
    def label(self) -> str:
        return _SKILL_LEVEL_LABELS[self]


_SKILL_LEVEL_ORDER = tuple(SkillLevel)
_SKILL_LEVEL_LABELS = {
    SkillLevel.JUNIOR: "初级",
    SkillLevel.INTERMEDIATE: "中级",
    SkillLevel.SENIOR: "高级",
}


class AreaKind(StrEnum):
    STREET = "street"
    TOWN = "town"


class IndustryGroup(StrEnum):
    """How the district plan groups its industries (clauses 2 and 3)."""

    TRADITIONAL = "traditional"
    EMERGING = "emerging"
    FUTURE = "future"
    GREEN = "green"
    SERVICE_PILLAR = "service_pillar"
    SERVICE_GROWTH = "service_growth"
    LIVELIHOOD = "livelihood"
    OTHER = "other"
