"""Chinese names and display money beside the codes of a response, computed in one place.

Response schemas mix these in; each adds read-only fields computed from the codes the schema
already has (``occupation_code`` → ``occupation_name`` …), so every screen shows the same text for
the same code. An unknown code (retired from the vocabulary) shows as ``None``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import BaseModel, computed_field

from app.taxonomy.enums import EducationLevel, PayUnit
from app.taxonomy.loader import (
    areas_by_code,
    benefits_by_code,
    industries_by_code,
    occupations_by_code,
)
from app.taxonomy.pay import format_amount, format_pay


def occupation_name(code: str | None) -> str | None:
    occupation = occupations_by_code().get(code) if code else None
    return occupation.name if occupation else None


def industry_name(code: str | None) -> str | None:
    industry = industries_by_code().get(code) if code else None
    return industry.name if industry else None


def area_name(code: str | None) -> str | None:
    area = areas_by_code().get(code) if code else None
    return area.name if area else None


def benefit_names(codes: list[str]) -> list[str]:
    return [b.name for code in codes if (b := benefits_by_code().get(code))]


_EDUCATION_NAMES = {level.value: level.label for level in EducationLevel}


def education_name(code: str | None) -> str | None:
    return _EDUCATION_NAMES.get(code) if code else None


@lru_cache(maxsize=4096)  # a list page shows a few common ranges again and again
def salary_text(min_fen: int | None, max_fen: int | None, unit: str | None) -> str:
    """``"6000-8000元/月"``, ``"210元/天"``; ``"面议"`` without an amount."""
    if unit is None:
        return "面议"
    return format_pay(min_fen, max_fen, PayUnit(unit))


def amount_text(amount_fen: int | None) -> str | None:
    """``"3,000元"``, ``"1,234.50元"``; ``None`` without an amount."""
    return None if amount_fen is None else format_amount(amount_fen)


def _get(model: BaseModel, name: str) -> Any:
    return getattr(model, name, None)


class OccupationLabel(BaseModel):
    @computed_field(description="职业名称（职业目录）")  # type: ignore[prop-decorator]
    @property
    def occupation_name(self) -> str | None:
        return occupation_name(_get(self, "occupation_code"))


class IndustryLabel(BaseModel):
    @computed_field(description="行业名称（行业目录）")  # type: ignore[prop-decorator]
    @property
    def industry_name(self) -> str | None:
        return industry_name(_get(self, "industry_code"))


class AreaLabel(BaseModel):
    @computed_field(description="镇/街道名称")  # type: ignore[prop-decorator]
    @property
    def area_name(self) -> str | None:
        return area_name(_get(self, "area_code"))


class BenefitLabels(BaseModel):
    @computed_field(description="福利名称，与 benefits 一一对应")  # type: ignore[prop-decorator]
    @property
    def benefit_names(self) -> list[str]:
        return benefit_names(_get(self, "benefits") or [])


class EducationLabel(BaseModel):
    @computed_field(description="学历要求名称，如 大专")  # type: ignore[prop-decorator]
    @property
    def education_name(self) -> str | None:
        return education_name(_get(self, "education"))


class SalaryText(BaseModel):
    @computed_field(description="薪资展示文本，如 6000-8000元/月、210元/天、面议")  # type: ignore[prop-decorator]
    @property
    def salary_text(self) -> str:
        return salary_text(
            _get(self, "salary_min_fen"), _get(self, "salary_max_fen"), _get(self, "salary_unit")
        )


class GigPayText(BaseModel):
    @computed_field(description="报酬展示文本，如 210元/天")  # type: ignore[prop-decorator]
    @property
    def salary_text(self) -> str:
        return salary_text(_get(self, "pay_fen"), _get(self, "pay_fen"), _get(self, "pay_unit"))


class JobLabels(OccupationLabel, AreaLabel, BenefitLabels, EducationLabel, SalaryText):
    """The names and pay text of a job row: occupation, area, benefits, education, salary."""
