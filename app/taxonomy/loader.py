"""Load the taxonomy JSON files once per process and look entries up by code.

Every loader is cached: the files are read and validated on first use (or by ``load_all`` at
start-up) and the returned tuples and mappings are immutable, so callers may share them freely.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Protocol, TypeVar

from app.taxonomy.enums import EducationLevel, SkillLevel
from app.taxonomy.models import (
    Area,
    Benefit,
    Certificate,
    District,
    EducationLevelInfo,
    Industry,
    IndustryGroupInfo,
    Occupation,
    OccupationCategory,
    Record,
    Skill,
    SkillGroup,
    SkillLevelInfo,
)


class _HasCode(Protocol):
    @property
    def code(self) -> str: ...


_T = TypeVar("_T", bound=_HasCode)


class _OccupationFile(Record):
    about: str
    categories: tuple[OccupationCategory, ...]
    occupations: tuple[Occupation, ...]


class _IndustryFile(Record):
    about: str
    groups: tuple[IndustryGroupInfo, ...]
    industries: tuple[Industry, ...]


class _SkillFile(Record):
    about: str
    levels: tuple[SkillLevelInfo, ...]
    groups: tuple[SkillGroup, ...]
    certificates: tuple[Certificate, ...]
    skills: tuple[Skill, ...]


class _AreaFile(Record):
    about: str
    district: District
    areas: tuple[Area, ...]


class _EducationFile(Record):
    about: str
    levels: tuple[EducationLevelInfo, ...]


class _BenefitFile(Record):
    about: str
    benefits: tuple[Benefit, ...]


def _read(name: str) -> bytes:
    return resources.files("app.taxonomy").joinpath(name).read_bytes()


def _index(items: tuple[_T, ...]) -> Mapping[str, _T]:
    by_code = {item.code: item for item in items}
    if len(by_code) != len(items):
        raise ValueError("duplicate codes in taxonomy data")
    return MappingProxyType(by_code)


@cache
def _occupation_file() -> _OccupationFile:
    return _OccupationFile.model_validate_json(_read("occupations.json"))


@cache
def _industry_file() -> _IndustryFile:
    return _IndustryFile.model_validate_json(_read("industries.json"))


@cache
def _skill_file() -> _SkillFile:
    data = _SkillFile.model_validate_json(_read("skills.json"))
    if tuple(level.code for level in data.levels) != tuple(SkillLevel):
        raise ValueError("skills.json levels differ from SkillLevel")
    return data


@cache
def _area_file() -> _AreaFile:
    return _AreaFile.model_validate_json(_read("areas.json"))


@cache
def _education_file() -> _EducationFile:
    data = _EducationFile.model_validate_json(_read("education.json"))
    if tuple(level.code for level in data.levels) != tuple(EducationLevel):
        raise ValueError("education.json levels differ from EducationLevel")
    return data


def occupation_categories() -> tuple[OccupationCategory, ...]:
    return _occupation_file().categories


def occupations() -> tuple[Occupation, ...]:
    return _occupation_file().occupations


@cache
def occupations_by_code() -> Mapping[str, Occupation]:
    return _index(occupations())


def get_occupation(code: str) -> Occupation | None:
    return occupations_by_code().get(code)


@cache
def occupations_by_term() -> Mapping[str, Occupation]:
    """Occupation by lower-cased name or alias (``"网约车"`` → 网约车司机)."""
    return MappingProxyType({term.lower(): o for o in occupations() for term in o.terms})


def industries() -> tuple[Industry, ...]:
    return _industry_file().industries


@cache
def industries_by_code() -> Mapping[str, Industry]:
    return _index(industries())


def industry_groups() -> tuple[IndustryGroupInfo, ...]:
    return _industry_file().groups


def skills() -> tuple[Skill, ...]:
    return _skill_file().skills


@cache
def skills_by_code() -> Mapping[str, Skill]:
    return _index(skills())


def skill_groups() -> tuple[SkillGroup, ...]:
    return _skill_file().groups


def skill_levels() -> tuple[SkillLevelInfo, ...]:
    return _skill_file().levels


def certificates() -> tuple[Certificate, ...]:
    return _skill_file().certificates


@cache
def certificates_by_code() -> Mapping[str, Certificate]:
    return _index(certificates())


def district() -> District:
    return _area_file().district


def areas() -> tuple[Area, ...]:
    return _area_file().areas


@cache
def areas_by_code() -> Mapping[str, Area]:
    return _index(areas())


def education_levels() -> tuple[EducationLevelInfo, ...]:
    return _education_file().levels


@cache
def benefits() -> tuple[Benefit, ...]:
    return _BenefitFile.model_validate_json(_read("benefits.json")).benefits


@cache
def benefits_by_code() -> Mapping[str, Benefit]:
    return _index(benefits())


@cache
def dictionary_words() -> tuple[str, ...]:
    """Words the search tokenizer must keep whole, sorted so that its build is reproducible."""
    words: set[str] = set()
    for entries in (occupations(), skills(), certificates()):
        for entry in entries:
            words.update(entry.terms)
    words.update(b.name for b in benefits())
    words.update(i.name for i in industries())
    for area in areas():
        words.update((area.name, area.short_name))
    words.update(("东胜", "东胜区", "鄂尔多斯", "康巴什", "日结", "周结", "月结"))
    return tuple(sorted(words))


def load_all() -> None:
    """Read and validate every file now (call at start-up so a broken file fails fast)."""
    occupations_by_code()
    occupations_by_term()
    industries_by_code()
    skills_by_code()
    certificates_by_code()
    areas_by_code()
    education_levels()
    benefits_by_code()
    dictionary_words()
