"""Masks on personal data shown to other people."""

from __future__ import annotations

import pytest

from app.identity.masking import mask_id_number, mask_name, mask_phone


def test_id_number_keeps_first_and_last_four() -> None:
    assert mask_id_number("150102199001011234") == "1501**********1234"


def test_phone_keeps_first_three_and_last_four() -> None:
    assert mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三丰", "张**"), ("张三", "张*"), ("欧阳娜娜", "欧***"), ("巴特尔", "巴**"), ("张", "*")],
)
def test_name_keeps_first_character(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize("value", ["", "1", "1234567", "12345678"])
def test_short_values_reveal_nothing(value: str) -> None:
    assert mask_id_number(value) == "*" * len(value)


def test_short_phone_reveals_nothing() -> None:
    assert mask_phone("1234567") == "*******"
