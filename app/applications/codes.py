"""Dictionary checks for resume fields: occupation, area and education codes from app.taxonomy."""

from __future__ import annotations

from app.taxonomy import EducationLevel, areas_by_code, occupation_categories, occupations_by_code


def check_education(code: str) -> str:
    try:
        EducationLevel(code)
    except ValueError:
        raise ValueError("学历代码不在字典中") from None
    return code


def check_occupation(code: str) -> str:
    """An occupation (快递员) or a whole category (快递与即时配送) a person would take."""
    categories = {category.code for category in occupation_categories()}
    if code not in occupations_by_code() and code not in categories:
        raise ValueError("职业代码不在字典中")
    return code


def check_area(code: str) -> str:
    if code not in areas_by_code():
        raise ValueError("地区代码不在字典中")
    return code


def highest_education(degrees: list[str]) -> str | None:
    """The highest of ``degrees`` by rank (None for an empty list)."""
    if not degrees:
        return None
    return max((EducationLevel(d) for d in degrees), key=lambda level: level.rank).value
