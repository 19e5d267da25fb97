"""Typed, immutable records of the taxonomy data shipped in this package's JSON files."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from app.taxonomy.enums import AreaKind, EducationLevel, IndustryGroup, SkillLevel

_CODE_PATTERN = r"^[a-z][a-z0-9_]*$"
# Lengths match the columns that store them (employer.industry_code, employer.area_code).
Code = Annotated[str, StringConstraints(pattern=_CODE_PATTERN, max_length=32)]
IndustryCode = Annotated[str, StringConstraints(pattern=_CODE_PATTERN, max_length=20)]
AreaCode = Annotated[str, StringConstraints(pattern=_CODE_PATTERN, max_length=12)]


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Named(Record):
    code: Code
    name: str = Field(min_length=1, max_length=30)


class Aliased(Named):
    aliases: tuple[str, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        """The name followed by its aliases: every word a person may type for this entry."""
        return (self.name, *self.aliases)


class OccupationCategory(Named):
    pass


class Occupation(Aliased):
    """An occupation (职业/工种) with the pay that is typical for it in Dongsheng."""

    category: str
    industries: tuple[str, ...] = Field(min_length=1)
    education: EducationLevel
    pay_p10_fen: int = Field(gt=0, description="typical monthly pay, 10th percentile, in fen")
    pay_p90_fen: int = Field(gt=0, description="typical monthly pay, 90th percentile, in fen")
    duties: tuple[str, ...] = Field(min_length=1)
    certificates: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _pay_ordered(self) -> Occupation:
        if self.pay_p10_fen >= self.pay_p90_fen:
            raise ValueError(f"{self.code}: pay_p10_fen must be below pay_p90_fen")
        return self


class IndustryGroupInfo(Record):
    code: IndustryGroup
    name: str


class Industry(Named):
    code: IndustryCode
    group: IndustryGroup
    description: str


class Certificate(Aliased):
    pass


class SkillGroup(Named):
    pass


class SkillLevelInfo(Record):
    code: SkillLevel
    name: str
    rank: int


class Skill(Aliased):
    """A gig skill; ``licensed`` means the law requires one of ``certificates`` for the work."""

    group: str
    certificates: tuple[str, ...] = ()
    licensed: bool
    day_pay_p10_fen: int = Field(gt=0)
    day_pay_p90_fen: int = Field(gt=0)
    occupation: str
    tasks: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Skill:
        if self.day_pay_p10_fen >= self.day_pay_p90_fen:
            raise ValueError(f"{self.code}: day_pay_p10_fen must be below day_pay_p90_fen")
        if self.licensed and not self.certificates:
            raise ValueError(f"{self.code}: a licensed skill needs its certificates")
        return self


class Area(Named):
    """A street (街道) or town (镇) of Dongsheng District with its approximate centre."""

    code: AreaCode
    short_name: str
    kind: AreaKind
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)


class District(Record):
    code: str
    name: str
    lat: float
    lng: float


class EducationLevelInfo(Record):
    code: EducationLevel
    name: str
    rank: int


class Benefit(Named):
    pass
