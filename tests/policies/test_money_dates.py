"""Money rounding and calendar arithmetic."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.policies.engine.dates import (
    add_months,
    add_years,
    age_bounds,
    age_on,
    full_months,
    months_served,
)
from app.policies.engine.money import fen_text, multiply, pct_text, to_fen


@pytest.mark.parametrize(
    ("yuan", "fen"),
    [("0.005", 1), ("0.004", 0), ("2.675", 268), ("1589", 158900), ("-0.005", -1)],
)
def test_round_half_up_to_the_fen(yuan: str, fen: int) -> None:
    assert to_fen(Decimal(yuan)) == fen


def test_texts() -> None:
    assert fen_text(476700) == "4767.00"
    assert fen_text(5) == "0.05"
    assert fen_text(-150) == "-1.50"
    assert pct_text(Decimal("0.70")) == "70%"
    assert pct_text(Decimal("1")) == "100%"
    assert multiply(Decimal("2270"), Decimal("0.7"), Decimal(3)) == 476700
    assert multiply(Decimal("1657.1"), Decimal("0.333")) == 55181  # 551.8143 -> 551.81


def test_month_and_year_arithmetic() -> None:
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert full_months(date(2025, 1, 15), date(2025, 7, 14)) == 5
    assert full_months(date(2025, 1, 15), date(2025, 7, 15)) == 6
    assert full_months(date(2025, 1, 31), date(2025, 2, 28)) == 1
    assert months_served(date(2025, 1, 15), date(2025, 7, 14)) == 6
    assert full_months(date(2025, 3, 1), date(2025, 2, 1)) == 0


def test_ages() -> None:
    assert age_on(date(2000, 1, 15), date(2025, 1, 14)) == 24
    assert age_on(date(2000, 1, 15), date(2025, 1, 15)) == 25
    assert age_bounds(25, date(2025, 9, 1), date(2025, 1, 15)) == (24, 25)
    assert age_bounds(23, date(2025, 9, 1), date(2025, 9, 1)) == (23, 23)
