"""The resume as the mini-program writes and reads it (``PUT`` / ``GET /me/resume``).

Dates are business dates (Asia/Shanghai); sizes are bounded so a resume stays a resume.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from app.applications import codes
from app.core.clock import today
from app.core.schemas import Integer, IsoDate, ReadSchema, Schema

EARLIEST = date(1950, 1, 1)
# A current student may name a graduation date up to this many years ahead.
GRADUATION_YEARS_AHEAD = 8

SalaryUnit = Literal["month", "day", "hour"]
Text20 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
OccupationCode = Annotated[
    str, StringConstraints(max_length=20), AfterValidator(codes.check_occupation)
]
AreaCode = Annotated[str, StringConstraints(max_length=12), AfterValidator(codes.check_area)]
EducationCode = Annotated[
    str, StringConstraints(max_length=20), AfterValidator(codes.check_education)
]


def _not_before_1950(value: date | None, field: str) -> None:
    if value is not None and value < EARLIEST:
        raise ValueError(f"{field} 不能早于 1950-01-01")


def _not_future(value: date | None, field: str) -> None:
    if value is not None and value > today():
        raise ValueError(f"{field} 不能晚于今天")


class EducationEntry(Schema):
    school: str = Field(min_length=1, max_length=60, examples=["内蒙古大学"])
    major: str | None = Field(default=None, max_length=60, examples=["计算机科学与技术"])
    degree: EducationCode = Field(description="学历代码（见学历字典）", examples=["bachelor"])
    start_date: IsoDate | None = Field(default=None, description="入学日期，可不填")
    graduation_date: IsoDate = Field(description="毕业（或预计毕业）日期", examples=["2025-06-30"])

    @model_validator(mode="after")
    def _dates(self) -> Self:
        _not_before_1950(self.start_date, "入学日期")
        _not_before_1950(self.graduation_date, "毕业日期")
        _not_future(self.start_date, "入学日期")
        this_day = today()
        latest = this_day.replace(year=this_day.year + GRADUATION_YEARS_AHEAD)
        if self.graduation_date > latest:
            raise ValueError("毕业日期太远")
        if self.start_date is not None and self.start_date >= self.graduation_date:
            raise ValueError("入学日期应早于毕业日期")
        return self


class WorkEntry(Schema):
    employer_name: str = Field(min_length=1, max_length=100, examples=["示例物流有限公司"])
    title: str = Field(min_length=1, max_length=60, examples=["快递员"])
    start_date: IsoDate = Field(examples=["2021-03-01"])
    end_date: IsoDate | None = Field(default=None, description="离职日期；为空表示至今")
    description: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _dates(self) -> Self:
        _not_before_1950(self.start_date, "入职日期")
        _not_future(self.start_date, "入职日期")
        _not_future(self.end_date, "离职日期")
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError("离职日期不能早于入职日期")
        return self


class Certificate(Schema):
    name: str = Field(min_length=1, max_length=60, examples=["叉车司机证"])
    issuer: str | None = Field(default=None, max_length=60)
    issued_on: IsoDate | None = None

    @model_validator(mode="after")
    def _dates(self) -> Self:
        _not_before_1950(self.issued_on, "发证日期")
        _not_future(self.issued_on, "发证日期")
        return self


class ExpectedSalary(Schema):
    min_fen: Integer = Field(
        ge=0, le=100_000_000, description="期望薪资下限（分）", examples=[500000]
    )
    max_fen: Integer = Field(
        ge=0, le=100_000_000, description="期望薪资上限（分）", examples=[800000]
    )
    unit: SalaryUnit = Field(description="month / day / hour", examples=["month"])

    @model_validator(mode="after")
    def _range(self) -> Self:
        if self.max_fen < self.min_fen:
            raise ValueError("期望薪资上限不能低于下限")
        return self


def _unique(values: list[str], what: str) -> list[str]:
    if len(set(values)) != len(values):
        raise ValueError(f"{what}不能重复")
    return values


class ResumeBody(Schema):
    education: list[EducationEntry] = Field(default_factory=list, max_length=10)
    work_history: list[WorkEntry] = Field(default_factory=list, max_length=20)
    skills: Annotated[list[Text20], AfterValidator(lambda v: _unique(v, "技能"))] = Field(
        default_factory=list, max_length=30, examples=[["驾驶", "仓储管理"]]
    )
    certificates: list[Certificate] = Field(default_factory=list, max_length=20)
    expected_occupation_codes: Annotated[
        list[OccupationCode], AfterValidator(lambda v: _unique(v, "期望职位"))
    ] = Field(default_factory=list, max_length=5, description="期望职位（职业分类代码）")
    expected_salary: ExpectedSalary | None = None
    expected_area_codes: Annotated[
        list[AreaCode], AfterValidator(lambda v: _unique(v, "期望地点"))
    ] = Field(default_factory=list, max_length=5, description="期望工作地点（镇/街道代码）")
    self_introduction: str | None = Field(default=None, max_length=1000)


class ResumeWrite(ResumeBody):
    """The whole resume; ``PUT`` replaces what was there."""


# Read side: plain models without the write-time checks, so stored data always reads back even
# after a dictionary changed or "today" moved on.


class EducationRead(ReadSchema):
    school: str
    major: str | None = None
    degree: str
    start_date: date | None = None
    graduation_date: date


class WorkRead(ReadSchema):
    employer_name: str
    title: str
    start_date: date
    end_date: date | None = None
    description: str | None = None


class CertificateRead(ReadSchema):
    name: str
    issuer: str | None = None
    issued_on: date | None = None


class SalaryRead(ReadSchema):
    min_fen: int
    max_fen: int
    unit: SalaryUnit


class ResumeContent(ReadSchema):
    education: list[EducationRead] = Field(default_factory=list)
    work_history: list[WorkRead] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list)
    certificates: list[CertificateRead] = Field(default_factory=list)
    expected_occupation_codes: list[str] = Field(default_factory=list)
    expected_salary: SalaryRead | None = None
    expected_area_codes: list[str] = Field(default_factory=list)
    self_introduction: str | None = None
    highest_education: str | None = Field(default=None, description="学历中最高的一项（学历代码）")


class ResumeRead(ResumeContent, ReadSchema):
    updated_at: datetime


class ResumeSnapshot(ResumeContent, ReadSchema):
    """The resume as the employer received it with the application."""

    taken_at: datetime
